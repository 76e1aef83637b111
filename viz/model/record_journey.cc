#include "viz/model/record_journey.h"

#include <set>

namespace ksim::viz {

std::string_view journey_kind_name(JourneyKind k) {
  switch (k) {
    case JourneyKind::sent: return "sent";
    case JourneyKind::appended_by_leader: return "appended by leader";
    case JourneyKind::fetched_by_follower: return "fetched by follower";
    case JourneyKind::covered_by_hw: return "below HW";
    case JourneyKind::acked: return "acknowledged";
    case JourneyKind::failed: return "send failed";
    case JourneyKind::polled: return "consumed";
    case JourneyKind::processed: return "processed";
    case JourneyKind::committed: return "offset committed";
    case JourneyKind::truncated: return "TRUNCATED";
  }
  return "?";
}

void RecordJourneys::add(RecordId id, const std::optional<TopicPartition>& tp, JourneyStep step) {
  RecordJourney& j = journeys_[id];
  j.id = id;
  if (!j.tp && tp) j.tp = tp;
  if (step.kind == JourneyKind::acked) {
    j.acked = true;
    j.acked_offset = step.offset;
    j.acked_event = step.event;
  } else if (step.kind == JourneyKind::failed) {
    j.failed = true;
  }
  j.steps.push_back(std::move(step));
}

const RecordJourney* RecordJourneys::find(RecordId id) const {
  auto it = journeys_.find(id);
  return it == journeys_.end() ? nullptr : &it->second;
}

void RecordJourneys::consumed(const std::string& group, const std::string& tp, Offset offset, RecordId id) {
  pending_commit_[{group, tp}][offset] = id;
}

void RecordJourneys::commit(const std::string& group, const std::string& tp, Offset offset, const JourneyStep& step) {
  auto it = pending_commit_.find({group, tp});
  if (it == pending_commit_.end()) return;
  auto& pending = it->second;
  for (auto p = pending.begin(); p != pending.end() && p->first < offset;) {
    JourneyStep s = step;
    s.offset = p->first;
    add(p->second, std::nullopt, std::move(s));
    p = pending.erase(p);
  }
}

std::map<RecordId, LostRecord> find_lost_acked(const ClusterState& final_state, const RecordJourneys& journeys,
                                               const TraceHeader& header) {
  // The surviving records of each partition: the final leader's log, or the
  // union of all replicas when the partition ended without a leader.
  std::map<TopicPartition, std::set<RecordId>> surviving;
  std::map<TopicPartition, std::string> survivor_name;
  for (const auto& [tp, p] : final_state.partitions) {
    std::set<RecordId>& ids = surviving[tp];
    if (const ReplicaState* leader = p.leader_replica()) {
      for (size_t i = 0; i < leader->log.size(); ++i) ids.insert(leader->log[i].id);
      survivor_name[tp] = "the final leader's log (" + std::string(header.node_name(leader->node)) + ")";
    } else {
      for (const auto& [b, r] : p.replica_states)
        for (size_t i = 0; i < r.log.size(); ++i) ids.insert(r.log[i].id);
      survivor_name[tp] = "any replica (the partition ended with no leader)";
    }
  }
  std::map<RecordId, LostRecord> lost;
  for (const auto& [id, j] : journeys.all()) {
    if (!j.acked || !j.tp) continue;
    auto s = surviving.find(*j.tp);
    if (s == surviving.end()) continue;  // no replication events for it: nothing to judge
    if (s->second.count(id)) continue;
    LostRecord l{id, *j.tp, "acknowledged, but not in " + survivor_name[*j.tp], std::nullopt};
    for (const JourneyStep& step : j.steps)
      if (step.kind == JourneyKind::truncated) l.truncation_event = step.event;
    lost.emplace(id, std::move(l));
  }
  return lost;
}

std::string record_label(const TraceHeader& header, RecordId id) {
  const NodeId producer = record_producer(id);
  std::string name = producer.value < header.nodes.size() ? header.nodes[producer.value].name
                                                           : "node" + std::to_string(producer.value);
  return name + "#" + std::to_string(record_send_index(id));
}

}  // namespace ksim::viz
