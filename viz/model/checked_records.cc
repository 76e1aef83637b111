#include "viz/model/checked_records.h"

#include <algorithm>

#include "sim/check/duplicate.h"
#include "sim/check/lost_write.h"

namespace ksim::viz {
namespace {

bool log_holds(const ReplicaState& r, RecordId id) {
  for (size_t i = 0; i < r.log.size(); ++i)
    if (r.log[i].id == id) return true;
  return false;
}

// Where the end of the run has a lost record, if anywhere, in one sentence.
std::string why_lost(const ClusterState& final_state, const TopicPartition& tp, RecordId id,
                     const TraceHeader& header) {
  auto p = final_state.partitions.find(tp);
  if (p == final_state.partitions.end()) return "acknowledged, but no replica of " + tp.str() + " is in the trace";
  if (const ReplicaState* leader = p->second.leader_replica()) {
    const std::string name(header.node_name(leader->node));
    if (log_holds(*leader, id))
      return "acknowledged, but the final leader (" + name + ") holds it only above its HW: not committed";
    return "acknowledged, but not in the final leader's log (" + name + ")";
  }
  for (const auto& [b, r] : p->second.replica_states)
    if (log_holds(r, id)) return "acknowledged, but not committed (the partition ended with no leader)";
  return "acknowledged, but not in any replica (the partition ended with no leader)";
}

std::optional<uint64_t> last_truncation(const RecordJourneys& journeys, RecordId id) {
  std::optional<uint64_t> event;
  if (const RecordJourney* j = journeys.find(id))
    for (const JourneyStep& step : j->steps)
      if (step.kind == JourneyKind::truncated) event = step.event;
  return event;
}

TopicPartition topic_partition(const check::History& h, check::PartitionIndex p) {
  return TopicPartition{h.partitions[p].name.topic, h.partitions[p].name.partition};
}

}  // namespace

CheckedRecords find_checked_records(const check::CheckContext& ctx, const ClusterState& final_state,
                                    const RecordJourneys& journeys, const TraceHeader& header) {
  const check::History& h = ctx.history;
  CheckedRecords out;
  for (uint32_t s : check::lost_write_sends(ctx)) {
    const check::Send& send = h.sends[s];
    const TopicPartition tp = topic_partition(h, send.partition);
    out.lost.emplace(send.record, LostRecord{send.record, tp, why_lost(final_state, tp, send.record, header),
                                             last_truncation(journeys, send.record)});
  }
  const check::Duplicates dups = check::find_duplicates(ctx);
  for (size_t i = 0; i < dups.size(); ++i) {
    std::vector<Offset>& offsets = out.duplicates[dups.copies_of(i).front().record];
    for (const check::RecordCopy& c : dups.copies_of(i))
      if (std::find(offsets.begin(), offsets.end(), c.offset) == offsets.end()) offsets.push_back(c.offset);
  }
  return out;
}

}  // namespace ksim::viz
