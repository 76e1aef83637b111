#include "sim/check/unexpected.h"

#include <algorithm>

namespace ksim::check {

CheckResult check_unexpected(const CheckContext& ctx) {
  const History& history = ctx.history;
  struct Sighting {
    RecordId record;
    uint64_t seq;
    SimTime time;
    PartitionIndex partition;
    Offset offset;
    NodeId node;
    bool polled;  // false: appended by a broker
  };
  std::vector<Sighting> unsent;
  for (const Append& a : history.appends) {
    const auto records = history.records_of(a);
    for (size_t i = 0; i < records.size(); ++i)
      if (!history.find_send(records[i]))
        unsent.push_back(Sighting{records[i], a.at.seq, a.at.time, a.partition,
                                  a.base_offset + static_cast<int64_t>(i), a.node, false});
  }
  for (const Poll& p : history.polls)
    for (const auto& e : p.records)
      if (!history.find_send(e.record))
        unsent.push_back(Sighting{e.record, p.at.seq, p.at.time, p.partition, e.offset, p.consumer, true});

  // The first sighting of each record id, then in run order.
  std::sort(unsent.begin(), unsent.end(), [](const Sighting& a, const Sighting& b) {
    return std::pair{a.record, a.seq} < std::pair{b.record, b.seq};
  });
  unsent.erase(std::unique(unsent.begin(), unsent.end(),
                           [](const Sighting& a, const Sighting& b) { return a.record == b.record; }),
               unsent.end());
  std::stable_sort(unsent.begin(), unsent.end(), [](const Sighting& a, const Sighting& b) { return a.seq < b.seq; });

  ResultBuilder out("unexpected");
  for (const Sighting& s : unsent) {
    out.add([&] {
      AnomalyExample ex;
      ex.partition = history.partition_name(s.partition);
      ex.offsets = {s.offset};
      ex.times = {s.time};
      ex.records = {s.record};
      ex.explanation = "record " + history.record_name(s.record) + " was never sent, yet " +
                       std::string(history.node_name(s.node)) + (s.polled ? " polled it" : " appended it") +
                       " at " + ex.partition + " offset " + std::to_string(s.offset.value) + " (" +
                       format_ms(s.time) + ")";
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
