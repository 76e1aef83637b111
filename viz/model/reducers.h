#pragma once
// The reducers: one per trace event kind, each advancing a ClusterState by one
// event. apply_event() dispatches on the payload. Reducers are pure functions
// of (state, event): replaying the same events from the same state gives the
// same state, which is what makes snapshot-and-replay seeking exact.
//
// While the model first reads the trace it also passes `journeys`, and the
// reducers that touch a record report it there (record_journey.h). Replays for
// seeking pass nullptr: the journeys are built once.
//
// Reducers tolerate traces that skip steps (a follower append past its LEO, a
// truncation of records never seen, an event for an unknown partition): they
// show what the trace says rather than assert, because the viewer must open
// any trace a run can write.
#include <cstdint>

#include "core/trace/trace_event.h"
#include "viz/model/cluster_state.h"
#include "viz/model/node_directory.h"
#include "viz/model/record_journey.h"

namespace ksim::viz {

struct EventContext {
  const TraceEvent& event;
  uint64_t index;              // the event's position in the trace
  const NodeDirectory& nodes;
  RecordJourneys* journeys;    // null while replaying for a seek
};

void apply_event(ClusterState& s, const EventContext& c);

// kernel_reducers.cc
void reduce(ClusterState& s, const EventContext& c, const trace::NodeStarted& e);
void reduce(ClusterState& s, const EventContext& c, const trace::NodeCrashed& e);
void reduce(ClusterState& s, const EventContext& c, const trace::NodePaused& e);
void reduce(ClusterState& s, const EventContext& c, const trace::NodeResumed& e);
void reduce(ClusterState& s, const EventContext& c, const trace::MessageSent& e);
void reduce(ClusterState& s, const EventContext& c, const trace::MessageDelivered& e);
void reduce(ClusterState& s, const EventContext& c, const trace::MessageDropped& e);
void reduce(ClusterState& s, const EventContext& c, const trace::MessageHeld& e);
void reduce(ClusterState& s, const EventContext& c, const trace::LinkChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ConnectionLost& e);
void reduce(ClusterState& s, const EventContext& c, const trace::DiskFlushed& e);
void reduce(ClusterState& s, const EventContext& c, const trace::DiskLost& e);
void reduce(ClusterState& s, const EventContext& c, const trace::FaultInjected& e);
void reduce(ClusterState& s, const EventContext& c, const trace::Note& e);

// replication_reducers.cc
void reduce(ClusterState& s, const EventContext& c, const trace::TopicCreated& e);
void reduce(ClusterState& s, const EventContext& c, const trace::PartitionsAdded& e);
void reduce(ClusterState& s, const EventContext& c, const trace::PartitionChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ReplicaRoleChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::LogAppended& e);
void reduce(ClusterState& s, const EventContext& c, const trace::HighWatermarkChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::LogTruncated& e);
void reduce(ClusterState& s, const EventContext& c, const trace::IsrChangeProposed& e);
void reduce(ClusterState& s, const EventContext& c, const trace::BrokerFencing& e);
void reduce(ClusterState& s, const EventContext& c, const trace::EpochCacheChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::LogRecovered& e);
void reduce(ClusterState& s, const EventContext& c, const trace::EpochEndOffsetAnswered& e);

// client_reducers.cc
void reduce(ClusterState& s, const EventContext& c, const trace::ProducerSend& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ProducerAcked& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ProducerFailed& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ConsumerPolled& e);
void reduce(ClusterState& s, const EventContext& c, const trace::RecordProcessed& e);
void reduce(ClusterState& s, const EventContext& c, const trace::OffsetCommitted& e);
void reduce(ClusterState& s, const EventContext& c, const trace::AssignmentChanged& e);
// group_reducers.cc: the group coordinator's word (core/trace/group_events.h).
void reduce(ClusterState& s, const EventContext& c, const trace::GroupStateChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::MemberJoined& e);
void reduce(ClusterState& s, const EventContext& c, const trace::MemberRemoved& e);
void reduce(ClusterState& s, const EventContext& c, const trace::GroupStable& e);
void reduce(ClusterState& s, const EventContext& c, const trace::OffsetsCommitted& e);
// A Heartbeat from `from` arrived at the event's node: if that node coordinates
// a group in which `from`'s current process is a member, its session restarts.
void note_heartbeat(ClusterState& s, const EventContext& c, NodeId from);
// Loading and unloading an offsets partition: the groups' own events
// (group_state_changed "loaded" / "coordinator unloaded") carry what the panel shows.
inline void reduce(ClusterState&, const EventContext&, const trace::CoordinatorLoaded&) {}
inline void reduce(ClusterState&, const EventContext&, const trace::CoordinatorUnloaded&) {}
// The producer's attempts, their answers and its ids: the record journeys'
// producer side (record_journey.h); the cluster state does not change.
void reduce(ClusterState& s, const EventContext& c, const trace::ProducerAttempt& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ProducerResponse& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ProducerIdChanged& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ClientFailed& e);
// A leader's verdicts on idempotent batches (core/trace/producer_state_events.h):
// journeys only.
void reduce(ClusterState& s, const EventContext& c, const trace::ProduceDuplicate& e);
void reduce(ClusterState& s, const EventContext& c, const trace::ProduceRejectedSequence& e);

// Any kind without a reducer above (a kind added to the trace after the
// viewer, e.g. producer or group-coordinator events on another branch): the
// state does not change, but the event is still listed, indexed by kind and
// counted. Overload resolution prefers the exact reducers above to this
// template, so a kind gains a reducer by declaring one here.
template <class Event>
void reduce(ClusterState&, const EventContext&, const Event&) {}

}  // namespace ksim::viz
