#pragma once
// TraceEvent: one observable change in a run. The trace is the contract between
// the simulation, the checkers, the viewer, the lectures and the tests: none of
// them reaches into a node's private state.
//
// Every event has its virtual time, a run-wide sequence number (the total order
// of the run), the node it happened on, and a typed payload. docs/trace-format.md
// gives the file form (JSON Lines) and its schema version.
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "core/trace/client_events.h"
#include "core/trace/group_events.h"
#include "core/trace/kernel_events.h"
#include "core/trace/producer_state_events.h"
#include "core/trace/replication_events.h"

namespace ksim::trace {

// Bump when a kind is renamed or a field changes meaning; adding kinds or
// fields at the end of an event is compatible.
inline constexpr int kSchemaVersion = 1;

using Payload = std::variant<NodeStarted, NodeCrashed, NodePaused, NodeResumed, MessageSent,
                             MessageDelivered, MessageDropped, MessageHeld, LinkChanged,
                             ConnectionLost, DiskFlushed, DiskLost, FaultInjected, Note,
                             // brokers and controller
                             TopicCreated, PartitionsAdded, PartitionChanged, ReplicaRoleChanged, LogAppended,
                             HighWatermarkChanged, LogTruncated, IsrChangeProposed, BrokerFencing,
                             EpochCacheChanged,
                             // clients
                             ProducerSend, ProducerAcked, ProducerFailed, ConsumerPolled, RecordProcessed,
                             OffsetCommitted, AssignmentChanged, PositionValidated,
                             // idempotent producers, broker side
                             ProduceDuplicate, ProduceRejectedSequence, ProducerIdBlockAllocated,
                             ProducerIdAllocated,
                             // group coordinator
                             GroupStateChanged, MemberJoined, MemberRemoved, GroupStable, OffsetsCommitted,
                             CoordinatorLoaded, CoordinatorUnloaded, OffsetsExpired,
                             // the producer client's attempts
                             ProducerAttempt, ProducerResponse, ProducerIdChanged,
                             // recovery, OffsetsForLeaderEpoch, consumer reads
                             LogRecovered, EpochEndOffsetRequested, EpochEndOffsetAnswered,
                             FetchServed,
                             // a client's fatal error
                             ClientFailed,
                             // a follower's fetcher gave up on a partition
                             ReplicaFetchFailed>;

inline std::string_view kind_of(const Payload& p) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kKind; }, p);
}

}  // namespace ksim::trace

namespace ksim {

struct TraceEvent {
  SimTime time;
  uint64_t seq = 0;
  NodeId node;
  trace::Payload payload;
};

}  // namespace ksim
