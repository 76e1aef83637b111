// Reducers of broker and controller events: topics, partition states, replica
// logs, LEO and HW, truncation, ISR proposals, fencing
// (core/trace/replication_events.h).
//
// The epoch cache is derived from appends the way Kafka's
// LeaderEpochFileCache.assign() builds it: a batch whose leader epoch is newer
// than the latest entry starts a new entry at the batch's base offset; a
// truncation to offset o drops the entries starting at or after o
// (truncateFromEnd).
#include <algorithm>

#include "viz/model/reducers.h"

namespace ksim::viz {
namespace {

ReplicaState& replica_of(ClusterState& s, const EventContext& c, const std::string& topic, PartitionId p) {
  PartitionState& part = s.partitions[TopicPartition{topic, p}];
  part.tp = TopicPartition{topic, p};
  BrokerId b = c.nodes.broker_of(c.event.node);
  // A replica event from a node the directory does not know as a broker: key
  // it by a negative id so it still shows, apart from real brokers.
  if (b == kNoBroker) b = BrokerId(-1 - static_cast<int32_t>(c.event.node.value));
  ReplicaState& r = part.replica_states[b];
  r.node = c.event.node;
  return r;
}

JourneyStep step_of(const EventContext& c, JourneyKind kind, Offset offset, std::string detail = {}) {
  return JourneyStep{c.index, c.event.time, kind, c.event.node, offset, std::move(detail)};
}

}  // namespace

void reduce(ClusterState& s, const EventContext&, const trace::TopicCreated& e) {
  s.topics[e.topic] = TopicState{e.partitions, e.replication_factor, e.assignment};
  for (int32_t p = 0; p < e.partitions; ++p) {
    PartitionState& part = s.partitions[TopicPartition{e.topic, PartitionId(p)}];
    part.tp = TopicPartition{e.topic, PartitionId(p)};
    if (part.replicas.empty() && static_cast<size_t>(p) < e.assignment.size()) part.replicas = e.assignment[p];
  }
}

void reduce(ClusterState& s, const EventContext&, const trace::PartitionsAdded& e) {
  TopicState& topic = s.topics[e.topic];
  topic.partitions = e.partitions;
  for (int32_t p = e.first_new; p < e.partitions; ++p) {
    const size_t i = static_cast<size_t>(p - e.first_new);
    if (i < e.assignment.size()) {
      if (topic.assignment.size() <= static_cast<size_t>(p)) topic.assignment.resize(static_cast<size_t>(p) + 1);
      topic.assignment[static_cast<size_t>(p)] = e.assignment[i];
    }
    PartitionState& part = s.partitions[TopicPartition{e.topic, PartitionId(p)}];
    part.tp = TopicPartition{e.topic, PartitionId(p)};
    if (part.replicas.empty() && i < e.assignment.size()) part.replicas = e.assignment[i];
  }
}

void reduce(ClusterState& s, const EventContext& c, const trace::PartitionChanged& e) {
  PartitionState& part = s.partitions[TopicPartition{e.topic, e.partition}];
  part.tp = TopicPartition{e.topic, e.partition};
  part.known_to_controller = true;
  part.leader = e.leader;
  part.leader_epoch = e.leader_epoch;
  part.partition_epoch = e.partition_epoch;
  part.isr = e.isr;
  part.elr = e.elr;
  part.replicas = e.replicas;
  part.reason = e.reason;
  part.changed_event = c.index;
  part.proposed_isr.reset();  // committed or superseded
  part.proposed_reason.clear();
}

void reduce(ClusterState& s, const EventContext& c, const trace::ReplicaRoleChanged& e) {
  ReplicaState& r = replica_of(s, c, e.topic, e.partition);
  r.role = e.role;
  r.leader = e.leader;
  r.leader_epoch = e.leader_epoch;
}

void reduce(ClusterState& s, const EventContext& c, const trace::LogAppended& e) {
  ReplicaState& r = replica_of(s, c, e.topic, e.partition);
  const TopicPartition tp{e.topic, e.partition};
  if (e.base_offset.value < 0) return;
  const size_t base = static_cast<size_t>(e.base_offset.value);
  // An append over existing offsets without a truncation event replaces them;
  // an append past the end leaves a visible gap of unknown records.
  r.log.truncate(base);
  while (r.log.size() < base) r.log.push_back(LogRecord{RecordId(0), LeaderEpoch(-1), ProducerId(-1)});
  for (RecordId id : e.records) r.log.push_back(LogRecord{id, e.leader_epoch, e.producer_id});
  r.leo = e.leo;
  if (!r.epoch_cache_traced) {
    while (!r.epoch_cache.empty() && r.epoch_cache.back().start_offset >= e.base_offset) r.epoch_cache.pop_back();
    if (!e.records.empty() && (r.epoch_cache.empty() || r.epoch_cache.back().epoch < e.leader_epoch))
      r.epoch_cache.push_back(EpochStart{e.leader_epoch, e.base_offset});
  }
  if (c.journeys) {
    const JourneyKind kind = e.as_leader ? JourneyKind::appended_by_leader : JourneyKind::fetched_by_follower;
    for (size_t i = 0; i < e.records.size(); ++i)
      c.journeys->add(e.records[i], tp,
                      step_of(c, kind, e.base_offset + static_cast<int64_t>(i),
                              "leader epoch " + std::to_string(e.leader_epoch.value)));
  }
}

void reduce(ClusterState& s, const EventContext& c, const trace::EpochCacheChanged& e) {
  ReplicaState& r = replica_of(s, c, e.topic, e.partition);
  r.epoch_cache.clear();
  for (const auto& entry : e.entries)
    if (entry.size() == 2)
      r.epoch_cache.push_back(EpochStart{LeaderEpoch(static_cast<int32_t>(entry[0])), Offset(entry[1])});
  r.epoch_cache_traced = true;
}

void reduce(ClusterState& s, const EventContext& c, const trace::HighWatermarkChanged& e) {
  ReplicaState& r = replica_of(s, c, e.topic, e.partition);
  const Offset old = r.hw;
  r.hw = e.hw;
  if (c.journeys && e.hw > old) {
    const TopicPartition tp{e.topic, e.partition};
    const int64_t end = std::min<int64_t>(e.hw.value, static_cast<int64_t>(r.log.size()));
    for (int64_t o = std::max<int64_t>(0, old.value); o < end; ++o) {
      const RecordId id = r.log[static_cast<size_t>(o)].id;
      if (id.value != 0) c.journeys->add(id, tp, step_of(c, JourneyKind::covered_by_hw, Offset(o)));
    }
  }
}

namespace {

// Cuts a replica's log at `to_offset` and keeps what went as its last
// truncation (a truncation, or a recovery that found less on disk).
void truncate_replica(ReplicaState& r, const EventContext& c, const TopicPartition& tp, Offset to_offset,
                      const std::vector<RecordId>& named_removed, const std::string& reason) {
  Truncation t{c.index, c.event.time, to_offset, {}, reason};
  const int64_t to = std::max<int64_t>(0, to_offset.value);
  for (int64_t o = to; o < static_cast<int64_t>(r.log.size()); ++o)
    t.removed.push_back(RemovedRecord{Offset(o), r.log[static_cast<size_t>(o)]});
  // Records the event names but this replica's log never showed: keep them
  // visible as removed, with an unknown epoch.
  for (RecordId id : named_removed) {
    const bool known = std::any_of(t.removed.begin(), t.removed.end(),
                                   [&](const RemovedRecord& rr) { return rr.record.id == id; });
    if (!known) t.removed.push_back(RemovedRecord{Offset(-1), LogRecord{id, LeaderEpoch(-1), ProducerId(-1)}});
  }
  r.log.truncate(static_cast<size_t>(to));
  r.leo = to_offset;
  if (r.hw > r.leo) r.hw = r.leo;  // a HW never exceeds the LEO
  if (!r.epoch_cache_traced)
    while (!r.epoch_cache.empty() && r.epoch_cache.back().start_offset >= to_offset) r.epoch_cache.pop_back();
  if (c.journeys)
    for (const RemovedRecord& rr : t.removed)
      if (rr.record.id.value != 0) c.journeys->add(rr.record.id, tp, step_of(c, JourneyKind::truncated, rr.offset, reason));
  r.last_truncation = std::move(t);
  ++r.truncations;
}

}  // namespace

void reduce(ClusterState& s, const EventContext& c, const trace::LogTruncated& e) {
  truncate_replica(replica_of(s, c, e.topic, e.partition), c, TopicPartition{e.topic, e.partition}, e.to_offset,
                   e.removed, e.reason);
}

// A restart: the replica holds what its disk gave back, whatever the model
// knew before the crash (UnifiedLog / LogLoader recovery; the HW from the
// replication-offset-checkpoint). What the disk lost shows as a truncation.
void reduce(ClusterState& s, const EventContext& c, const trace::LogRecovered& e) {
  ReplicaState& r = replica_of(s, c, e.topic, e.partition);
  truncate_replica(r, c, TopicPartition{e.topic, e.partition}, e.leo, {}, "recovery");
  r.hw = e.hw;
  r.log_start = e.log_start_offset;
}

// The leader's OffsetsForLeaderEpoch answer to a follower decides the fate of
// the follower's records in the asked epoch: below the end offset they stay,
// at or above it they go (AbstractFetcherThread.truncateToEpochEndOffsets).
// Each such record's journey gets the answer. A consumer's question
// (KIP-320) is told by its position_validated.
void reduce(ClusterState& s, const EventContext& c, const trace::EpochEndOffsetAnswered& e) {
  if (!c.journeys || e.error != "NONE") return;
  const BrokerId asker = c.nodes.broker_of(e.to);
  if (asker == kNoBroker) return;
  auto pit = s.partitions.find(TopicPartition{e.topic, e.partition});
  if (pit == s.partitions.end()) return;
  auto rit = pit->second.replica_states.find(asker);
  if (rit == pit->second.replica_states.end()) return;
  const ReplicaState& r = rit->second;
  std::string answer = "epoch " + std::to_string(e.requested_epoch.value);
  if (e.end_offset.value < 0) answer += " unknown to the leader";
  else if (e.version == 0) answer += " ends at offset " + std::to_string(e.end_offset.value) + " (v0: no epoch in the answer)";
  else answer += " -> epoch " + std::to_string(e.leader_epoch.value) + " ends at offset " + std::to_string(e.end_offset.value);
  // The asked epoch's records sit at the end of the asker's log.
  for (size_t o = r.log.size(); o-- > 0;) {
    const LogRecord& rec = r.log[o];
    if (rec.epoch < e.requested_epoch) break;
    if (rec.epoch != e.requested_epoch || rec.id.value == 0) continue;
    const Offset offset(static_cast<int64_t>(o));
    const bool kept = e.end_offset.value >= 0 && offset < e.end_offset;
    JourneyStep st = step_of(c, JourneyKind::epoch_answered, offset,
                             answer + (e.end_offset.value < 0 ? ": the follower falls back to its HW"
                                       : kept ? ": kept, below it" : ": at or above it, to be truncated"));
    st.peer = e.to;
    st.bad = !kept;
    c.journeys->add(rec.id, pit->first, std::move(st));
  }
}

void reduce(ClusterState&, const EventContext& c, const trace::ProduceDuplicate& e) {
  if (!c.journeys) return;
  JourneyStep st = step_of(c, JourneyKind::deduplicated, Offset(-1),
                           "the leader already has this batch (producer id " + std::to_string(e.producer_id.value) +
                               ", epoch " + std::to_string(e.producer_epoch.value) + ", sequences " +
                               std::to_string(e.first_sequence.value) + ".." + std::to_string(e.last_sequence.value) +
                               "): it answers with the original offset and appends nothing");
  c.journeys->broker_verdict(TopicPartition{e.topic, e.partition}, e.producer_id, e.producer_epoch, e.first_sequence,
                             e.base_offset, std::move(st));
}

void reduce(ClusterState&, const EventContext& c, const trace::ProduceRejectedSequence& e) {
  if (!c.journeys) return;
  JourneyStep st = step_of(c, JourneyKind::sequence_rejected, Offset(-1),
                           e.error + " (the leader had epoch " + std::to_string(e.stored_epoch.value) +
                               ", last sequence " + std::to_string(e.stored_last_sequence.value) + ")");
  st.bad = true;
  c.journeys->broker_verdict(TopicPartition{e.topic, e.partition}, e.producer_id, e.producer_epoch, e.first_sequence,
                             Offset(-1), std::move(st));
}

void reduce(ClusterState& s, const EventContext&, const trace::IsrChangeProposed& e) {
  PartitionState& part = s.partitions[TopicPartition{e.topic, e.partition}];
  part.tp = TopicPartition{e.topic, e.partition};
  part.proposed_isr = e.proposed_isr;
  part.proposed_reason = e.reason;
}

void reduce(ClusterState& s, const EventContext& c, const trace::BrokerFencing& e) {
  const NodeId n = c.nodes.node_of(e.broker);
  if (n.value >= s.nodes.size()) return;
  s.nodes[n.value].fenced = e.fenced;
  s.nodes[n.value].fence_reason = e.reason;
}

}  // namespace ksim::viz
