#include "sim/check/send_order.h"

#include <algorithm>
#include <map>
#include <utility>
#include <tuple>


namespace ksim::check {
namespace {

auto session_key(const Send& s) { return std::tuple{s.producer, s.session, s.partition}; }

// Indices of the sends that pass `keep`, grouped by session and partition
// (groups in session_key order), in send order within each group: what a
// stable sort by session_key gives, by bucketing instead of sorting.
template <class Keep>
std::vector<uint32_t> sends_by_session(const History& h, Keep&& keep) {
  using Key = decltype(session_key(std::declval<const Send&>()));
  std::map<Key, std::vector<uint32_t>> groups;
  std::vector<uint32_t>* last = nullptr;
  Key last_key{};
  size_t n = 0;
  for (uint32_t i = 0; i < h.sends.size(); ++i) {
    const Send& s = h.sends[i];
    if (s.partition == kNoPartition || !keep(i, s)) continue;
    const Key key = session_key(s);
    if (last == nullptr || key != last_key) {
      last = &groups[key];
      last_key = key;
    }
    last->push_back(i);
    ++n;
  }
  std::vector<uint32_t> idx;
  idx.reserve(n);
  for (const auto& [key, list] : groups) idx.insert(idx.end(), list.begin(), list.end());
  return idx;
}

std::string session_desc(const History& h, const Send& s) {
  return std::string(h.node_name(s.producer)) + " (session " + std::to_string(s.session) + ")";
}

}  // namespace

CheckResult check_nonmonotonic_send(const CheckContext& ctx) {
  const History& history = ctx.history;
  const auto idx = sends_by_session(
      history, [](uint32_t, const Send& s) { return s.outcome == SendOutcome::acked && s.acked_offset.value >= 0; });
  std::vector<std::pair<uint32_t, uint32_t>> found;  // (earlier, later)
  for (size_t k = 1; k < idx.size(); ++k) {
    const Send& a = history.sends[idx[k - 1]];
    const Send& b = history.sends[idx[k]];
    if (session_key(a) == session_key(b) && b.acked_offset <= a.acked_offset) found.emplace_back(idx[k - 1], idx[k]);
  }
  std::sort(found.begin(), found.end(), [&](const auto& x, const auto& y) {
    return history.sends[x.second].completed.seq < history.sends[y.second].completed.seq;
  });
  ResultBuilder out("nonmonotonic-send");
  for (const auto& [ai, bi] : found) {
    out.add([&] {
      const Send& a = history.sends[ai];
      const Send& b = history.sends[bi];
      AnomalyExample ex;
      ex.partition = history.partition_name(a.partition);
      ex.offsets = {a.acked_offset, b.acked_offset};
      ex.times = {a.completed.time, b.completed.time};
      ex.records = {a.record, b.record};
      ex.explanation = session_desc(history, a) + " sent " + history.record_name(a.record) + " before " +
                       history.record_name(b.record) + ", but " + ex.partition + " acked them at offsets " +
                       std::to_string(a.acked_offset.value) + " and " + std::to_string(b.acked_offset.value) +
                       " (acked at " + format_ms(a.completed.time) + " and " + format_ms(b.completed.time) + ")";
      return ex;
    });
  }
  return std::move(out).finish();
}

CheckResult check_reorder(const CheckContext& ctx) {
  const History& history = ctx.history;
  const CommittedIndex& committed = ctx.committed;
  const auto idx = sends_by_session(history, [&](uint32_t i, const Send&) { return committed.contains(i); });
  std::vector<std::pair<uint32_t, uint32_t>> found;
  for (size_t k = 1; k < idx.size(); ++k) {
    const Send& a = history.sends[idx[k - 1]];
    const Send& b = history.sends[idx[k]];
    if (session_key(a) == session_key(b) &&
        *committed.first_offset(idx[k]) < *committed.first_offset(idx[k - 1]))
      found.emplace_back(idx[k - 1], idx[k]);
  }
  std::sort(found.begin(), found.end(),
            [&](const auto& x, const auto& y) { return history.sends[x.second].sent.seq < history.sends[y.second].sent.seq; });
  ResultBuilder out("reorder");
  for (const auto& [ai, bi] : found) {
    out.add([&] {
      const Send& a = history.sends[ai];
      const Send& b = history.sends[bi];
      const Offset oa = *committed.first_offset(ai);
      const Offset ob = *committed.first_offset(bi);
      AnomalyExample ex;
      ex.partition = history.partition_name(a.partition);
      ex.offsets = {oa, ob};
      ex.times = {a.sent.time, b.sent.time};
      ex.records = {a.record, b.record};
      ex.explanation = session_desc(history, a) + " sent " + history.record_name(a.record) + " before " +
                       history.record_name(b.record) + ", but the log of " + ex.partition + " holds " +
                       history.record_name(b.record) + " at offset " + std::to_string(ob.value) + ", before " +
                       history.record_name(a.record) + " at offset " + std::to_string(oa.value);
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
