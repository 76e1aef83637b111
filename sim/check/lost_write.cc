#include "sim/check/lost_write.h"

namespace ksim::check {
namespace {

// Where the record is instead, and which kind of loss that is:
//   uncommitted  the reference replica holds it above its HW: never committed
//                (the ISR stayed below min.insync.replicas, or the run ended first)
//   partial      only other replicas hold it: not on the reference replica
//   gone         no replica's final log holds it: truncated away or lost with the disk
std::pair<std::string, std::string> where_else(const History& h, const PartitionHistory& ph, RecordId record) {
  if (ph.committed_replica >= 0) {
    const Replica& leader = ph.replicas[static_cast<size_t>(ph.committed_replica)];
    if (leader.holds(record))
      return {std::string(h.node_name(leader.node)) + " holds it above its HW " + std::to_string(leader.hw.value) +
                  " (not committed when the run ended)",
              "uncommitted"};
  }
  std::string holders;
  for (const auto& r : ph.replicas)
    if (r.holds(record)) holders += (holders.empty() ? "" : ", ") + std::string(h.node_name(r.node));
  if (!holders.empty())
    return {"only " + holders + " still hold" + (holders.find(',') == std::string::npos ? "s" : "") + " it", "partial"};
  return {"no replica's final log holds it", "gone"};
}

std::string committed_desc(const History& h, const PartitionHistory& ph) {
  if (ph.committed_replica < 0)
    return ph.final_leader == kNoBroker ? "no replica of " + ph.name.str() + " is in the trace"
                                        : "its leader, " + h.broker_name(ph.final_leader) + ", has no node in the trace";
  const Replica& r = ph.replicas[static_cast<size_t>(ph.committed_replica)];
  return std::string(ph.final_leader == kNoBroker ? "no leader; reference " : "leader ") +
         std::string(h.node_name(r.node)) + ", HW " + std::to_string(r.hw.value);
}

}  // namespace

std::vector<uint32_t> lost_write_sends(const CheckContext& ctx) {
  std::vector<uint32_t> lost;
  for (const Send& s : ctx.history.sends) {
    if (s.outcome != SendOutcome::acked || s.partition == kNoPartition) continue;
    if (!ctx.committed.contains(ctx.send_index(s))) lost.push_back(ctx.send_index(s));
  }
  return lost;
}

CheckResult check_lost_write(const CheckContext& ctx) {
  const History& history = ctx.history;
  ResultBuilder out("lost-write");
  for (uint32_t lost : lost_write_sends(ctx)) {
    const Send& s = history.sends[lost];
    out.add([&] {
      const PartitionHistory& ph = history.partitions[s.partition];
      AnomalyExample ex;
      ex.partition = ph.name.str();
      if (s.acked_offset.value >= 0) ex.offsets.push_back(s.acked_offset);
      ex.times = {s.sent.time, s.completed.time};
      ex.records = {s.record};
      const std::string acked = s.acked_offset.value >= 0
                                    ? "acked at offset " + std::to_string(s.acked_offset.value)
                                    : std::string("acked without an offset (acks=0)");
      auto [where, kind] = where_else(history, ph, s.record);
      ex.explanation = history.record_name(s.record) + " " + acked + " at " + format_ms(s.completed.time) +
                       " is not in the committed log of " + ph.name.str() + " (" + committed_desc(history, ph) +
                       "): " + where;
      ex.kind = std::move(kind);
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
