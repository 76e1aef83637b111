#include "sim/check/duplicate.h"

#include <algorithm>
#include <tuple>

namespace ksim::check {

Duplicates find_duplicates(const CheckContext& ctx) {
  const History& history = ctx.history;
  // Only the copies of records that are in the committed logs more than
  // once (the index counts a sent record's copies; an unsent record's copies
  // are all kept and counted by the sort).
  std::vector<RecordCopy> copies;
  for (PartitionIndex p = 0; p < history.partitions.size(); ++p)
    for (const auto& e : ctx.committed_logs[p]) {
      const uint32_t s = history.send_index_of(e.record);
      if (s == History::kNoSend || ctx.committed.copies_all(s) > 1) copies.push_back(RecordCopy{e.record, p, e.offset});
    }
  std::sort(copies.begin(), copies.end());

  struct Dup {
    size_t first;  // index into copies
    size_t n;
  };
  std::vector<Dup> dups;
  for (size_t i = 0; i < copies.size();) {
    size_t j = i + 1;
    while (j < copies.size() && copies[j].record == copies[i].record) ++j;
    if (j - i > 1) dups.push_back(Dup{i, j - i});
    i = j;
  }
  std::sort(dups.begin(), dups.end(), [&](const Dup& a, const Dup& b) {
    const RecordCopy& x = copies[a.first];
    const RecordCopy& y = copies[b.first];
    return std::tie(x.partition, x.offset) < std::tie(y.partition, y.offset);
  });

  Duplicates out;
  out.copies.reserve(copies.size());
  out.first_copy.reserve(dups.size());
  for (const Dup& d : dups) {
    out.first_copy.push_back(out.copies.size());
    out.copies.insert(out.copies.end(), copies.begin() + static_cast<ptrdiff_t>(d.first),
                      copies.begin() + static_cast<ptrdiff_t>(d.first + d.n));
  }
  return out;
}

CheckResult check_duplicate(const CheckContext& ctx) {
  const History& history = ctx.history;
  const Duplicates dups = find_duplicates(ctx);
  ResultBuilder out("duplicate");
  for (size_t i = 0; i < dups.size(); ++i) {
    out.add([&] {
      const std::span<const RecordCopy> copies = dups.copies_of(i);
      const RecordCopy& first = copies.front();
      AnomalyExample ex;
      ex.partition = history.partition_name(first.partition);
      ex.records = {first.record};
      std::string where;
      for (const RecordCopy& c : copies) {
        ex.offsets.push_back(c.offset);
        if (!where.empty()) where += ", ";
        if (c.partition != first.partition) where += history.partition_name(c.partition) + " ";
        where += std::to_string(c.offset.value);
      }
      if (const Send* s = history.find_send(first.record)) ex.times = {s->sent.time};
      ex.explanation = history.record_name(first.record) + " is in the committed log " + std::to_string(copies.size()) +
                       " times: " + ex.partition + " offsets " + where;
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
