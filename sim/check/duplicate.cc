#include "sim/check/duplicate.h"

#include <algorithm>
#include <tuple>

namespace ksim::check {

CheckResult check_duplicate(const CheckContext& ctx) {
  const History& history = ctx.history;
  struct Copy {
    RecordId record;
    PartitionIndex partition;
    Offset offset;
    auto operator<=>(const Copy&) const = default;
  };
  // Only the copies of records that are in the committed logs more than
  // once (the index counts a sent record's copies; an unsent record's copies
  // are all kept and counted by the sort).
  std::vector<Copy> copies;
  for (PartitionIndex p = 0; p < history.partitions.size(); ++p)
    for (const auto& e : ctx.committed_logs[p]) {
      const uint32_t s = history.send_index_of(e.record);
      if (s == History::kNoSend || ctx.committed.copies_all(s) > 1) copies.push_back(Copy{e.record, p, e.offset});
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
    const Copy& x = copies[a.first];
    const Copy& y = copies[b.first];
    return std::tie(x.partition, x.offset) < std::tie(y.partition, y.offset);
  });

  ResultBuilder out("duplicate");
  for (const Dup& d : dups) {
    out.add([&] {
      AnomalyExample ex;
      const Copy& first = copies[d.first];
      ex.partition = history.partition_name(first.partition);
      ex.records = {first.record};
      std::string where;
      for (size_t k = d.first; k < d.first + d.n; ++k) {
        ex.offsets.push_back(copies[k].offset);
        if (!where.empty()) where += ", ";
        if (copies[k].partition != first.partition) where += history.partition_name(copies[k].partition) + " ";
        where += std::to_string(copies[k].offset.value);
      }
      if (const Send* s = history.find_send(first.record)) ex.times = {s->sent.time};
      ex.explanation = history.record_name(first.record) + " is in the committed log " + std::to_string(d.n) +
                       " times: " + ex.partition + " offsets " + where;
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
