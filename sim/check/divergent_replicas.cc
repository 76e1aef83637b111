#include "sim/check/divergent_replicas.h"

namespace ksim::check {

CheckResult check_divergent_replicas(const CheckContext& ctx) {
  const History& history = ctx.history;
  ResultBuilder out("divergent-replicas");
  for (const PartitionHistory& ph : history.partitions) {
    if (ph.committed_replica < 0) continue;
    const Replica& ref = ph.replicas[static_cast<size_t>(ph.committed_replica)];
    for (const Replica& r : ph.replicas) {
      if (&r == &ref) continue;
      const auto mine = r.below_hw();
      size_t i = 0;
      while (i < mine.size() && i < ref.log.size() && mine[i] == ref.log[i]) ++i;
      if (i == mine.size()) continue;
      out.add([&] {
        const LogEntry& m = mine[i];
        AnomalyExample ex;
        ex.partition = ph.name.str();
        ex.offsets = {m.offset};
        ex.records = {m.record};
        const std::string who = std::string(history.node_name(r.node)) + " (HW " + std::to_string(r.hw.value) + ")";
        const std::string ref_name = std::string(history.node_name(ref.node)) +
                                     (ph.final_leader == kNoBroker ? " (reference, no leader)" : " (leader)");
        // What the reference holds at m's offset, if anything.
        std::string theirs = "nothing";
        for (const auto& e : ref.log)
          if (e.offset == m.offset) {
            theirs = history.record_name(e.record);
            ex.records.push_back(e.record);
            break;
          }
        ex.explanation = who + " holds " + history.record_name(m.record) + " at " + ex.partition + " offset " +
                         std::to_string(m.offset.value) + " below its HW, where " + ref_name + " holds " + theirs;
        return ex;
      });
    }
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
