#include "sim/check/consumer_delivery.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <tuple>

namespace ksim::check {
namespace {

// Per group, per record: how many times the group processed it, counted up
// to 2 (all the checkers ask is "never, once, or more?"). Sent records are
// counted in a table by send index; unsent ones in a sorted list.
class ProcessedBy {
 public:
  explicit ProcessedBy(const History& h) : h_(h), by_send_(h.groups.size()) {}

  void add(GroupIndex g, RecordId record) {
    const uint32_t s = h_.send_index_of(record);
    if (s == History::kNoSend) {
      unsent_.emplace_back(g, record);
      return;
    }
    auto& counts = by_send_[g];
    if (counts.empty()) counts.resize(h_.sends.size(), 0);
    if (counts[s] < 2) ++counts[s];
  }
  void seal() { std::sort(unsent_.begin(), unsent_.end()); }

  // 0, 1 or 2 (twice or more). Call seal() first.
  uint8_t count(GroupIndex g, RecordId record) const {
    const uint32_t s = h_.send_index_of(record);
    if (s == History::kNoSend) {
      auto [lo, hi] = std::equal_range(unsent_.begin(), unsent_.end(), std::pair{g, record});
      return static_cast<uint8_t>(std::min<ptrdiff_t>(hi - lo, 2));
    }
    return by_send_[g].empty() ? 0 : by_send_[g][s];
  }
  bool contains(GroupIndex g, RecordId record) const { return count(g, record) > 0; }

 private:
  const History& h_;
  std::vector<std::vector<uint8_t>> by_send_;             // [group][send]
  std::vector<std::pair<GroupIndex, RecordId>> unsent_;  // sorted after seal()
};

}  // namespace

CheckResult check_consumer_lost(const CheckContext& ctx) {
  const History& history = ctx.history;
  struct GroupPartition {
    bool committed = false;
    Offset last_commit;
    const Commit* last = nullptr;
    Offset start{INT64_MAX};
  };
  std::map<std::pair<GroupIndex, PartitionIndex>, GroupPartition> state;
  for (const Commit& c : history.commits) {
    if (!c.ok()) continue;
    auto& s = state[{c.group, c.partition}];
    s.committed = true;
    s.last_commit = c.offset;
    s.last = &c;
    s.start = std::min(s.start, c.offset);
  }
  for (const Poll& p : history.polls) {
    auto it = state.find({p.group, p.partition});
    if (it == state.end()) continue;  // never committed: nothing promised
    for (const auto& e : p.records) it->second.start = std::min(it->second.start, e.offset);
  }

  // What each group processed: a flag per send for sent records, a sorted
  // list for records nobody sent (rare: the unexpected checker's business).
  ProcessedBy processed(history);
  for (const Processed& p : history.processed) processed.add(p.group, p.entry.record);
  processed.seal();

  ResultBuilder out("consumer-lost");
  for (const auto& [key, s] : state) {
    const auto [g, p] = key;
    for (const LogEntry& e : history.partitions[p].committed_log()) {
      if (e.offset < s.start) continue;
      if (e.offset >= s.last_commit) break;
      if (processed.contains(g, e.record)) continue;
      out.add([&] {
        AnomalyExample ex;
        ex.partition = history.partition_name(p);
        ex.offsets = {e.offset, s.last_commit};
        ex.times = {s.last->at.time};
        ex.records = {e.record};
        if (const Send* send = history.find_send(e.record)) ex.times.push_back(send->sent.time);
        const std::string group = history.groups[g].empty() ? "the group-less consumers" : "group " + history.groups[g];
        ex.explanation = group + " committed " + ex.partition + " up to offset " + std::to_string(s.last_commit.value) +
                         " (" + std::string(history.node_name(s.last->consumer)) + " at " + format_ms(s.last->at.time) +
                         "), but no member processed " + history.record_name(e.record) + " at offset " +
                         std::to_string(e.offset.value);
        return ex;
      });
    }
  }
  return std::move(out).finish();
}

CheckResult check_consumer_duplicate(const CheckContext& ctx) {
  const History& history = ctx.history;
  ProcessedBy processed(history);
  for (const Processed& p : history.processed) processed.add(p.group, p.entry.record);
  processed.seal();
  // Only the processings of records a group processed more than once, in the
  // order a stable sort by (group, record) gives.
  std::vector<uint32_t> idx;
  for (uint32_t i = 0; i < history.processed.size(); ++i)
    if (processed.count(history.processed[i].group, history.processed[i].entry.record) > 1) idx.push_back(i);
  auto key = [&](uint32_t i) { return std::pair{history.processed[i].group, history.processed[i].entry.record}; };
  std::stable_sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return key(a) < key(b); });

  struct Dup {
    size_t first;  // into idx
    size_t n;
  };
  std::vector<Dup> dups;
  for (size_t i = 0; i < idx.size();) {
    size_t j = i + 1;
    while (j < idx.size() && key(idx[j]) == key(idx[i])) ++j;
    if (j - i > 1) dups.push_back(Dup{i, j - i});
    i = j;
  }
  // In run order of the second processing: when the duplicate happened.
  std::sort(dups.begin(), dups.end(), [&](const Dup& a, const Dup& b) {
    return history.processed[idx[a.first + 1]].at.seq < history.processed[idx[b.first + 1]].at.seq;
  });

  ResultBuilder out("consumer-duplicate");
  for (const Dup& d : dups) {
    out.add([&] {
      const Processed& first = history.processed[idx[d.first]];
      AnomalyExample ex;
      ex.partition = history.partition_name(first.partition);
      ex.records = {first.entry.record};
      std::string list;
      for (size_t k = d.first; k < d.first + d.n; ++k) {
        const Processed& p = history.processed[idx[k]];
        ex.offsets.push_back(p.entry.offset);
        ex.times.push_back(p.at.time);
        if (!list.empty()) list += ", ";
        list += std::string(history.node_name(p.consumer)) + " at offset " + std::to_string(p.entry.offset.value) +
                " (" + format_ms(p.at.time) + ")";
      }
      const std::string group =
          history.groups[first.group].empty() ? "the group-less consumers" : "group " + history.groups[first.group];
      ex.explanation =
          group + " processed " + history.record_name(first.entry.record) + " " + std::to_string(d.n) + " times: " + list;
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
