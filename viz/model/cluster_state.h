#pragma once
// ClusterState: what the trace says the cluster looked like after some number
// of events. It is a plain value (copyable, comparable): the replay model keeps
// copies of it as snapshots and reducers (reducers.h) advance it one event at a
// time. Nothing here is read from a node's private state; every field is
// derived from trace events, and a field the trace does not speak of yet stays
// at its initial value.
//
// Event positions are event indices (0-based positions in the trace). A state
// "at step s" has applied events [0, s).
//
// Invariants (checked by the model tests):
//   1. a message is in `in_flight` from its message_sent (or message_held) until
//      its message_delivered or message_dropped, and never after;
//   2. a replica's log holds exactly the records appended and not truncated,
//      at their offsets; leo == log.size() unless the trace said otherwise;
//   3. a replica's epoch cache is strictly increasing in epoch and start offset
//      and every start offset is below leo.
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "viz/model/cow_chunked_vector.h"

namespace ksim::viz {

// ---------------------------------------------------------------- kernel --

enum class NodeStatus : uint8_t { not_started, running, paused, crashed };

struct NodeState {
  NodeStatus status = NodeStatus::not_started;
  int32_t incarnation = 0;
  bool power_loss = false;         // the last crash lost unflushed writes
  SimTime status_since;            // when the status last changed
  SimTime crashed_at;              // its latest crash (kept across a restart)
  bool ever_crashed = false;
  SimTime paused_until;            // while paused
  bool fenced = false;             // brokers: the controller fenced it
  std::string fence_reason;
  std::string last_note;           // the node's latest `note` event
  // Clients: the fatal error that stopped this incarnation (client_failed),
  // with the config behind it; "" while none.
  std::string stopped_by;
  std::string stopped_config;
  int32_t stopped_incarnation = 0;
  bool operator==(const NodeState&) const = default;
};

// A message on the wire (or held by a fault rule), from its send until it is
// delivered or dropped.
struct MessageInFlight {
  uint64_t msg_id = 0;
  NodeId from;
  NodeId to;
  std::string_view type;
  int64_t bytes = 0;
  SimTime sent_at;
  SimTime deliver_at;  // == sent_at while held
  bool held = false;
  bool operator==(const MessageInFlight&) const = default;
};

struct DroppedMessage {
  MessageInFlight message;  // sent_at == dropped_at if it never left the sender
  SimTime dropped_at;
  std::string_view reason;
  uint64_t event = 0;
  bool operator==(const DroppedMessage&) const = default;
};

struct DiskFileState {
  int64_t durable_entries = 0;
  bool fsync = false;          // the last flush was an fsync
  SimTime flushed_at;
  int64_t lost_entries = 0;    // thrown away by the last power loss
  SimTime lost_at;
  bool ever_lost = false;
  bool operator==(const DiskFileState&) const = default;
};

struct FaultNote {
  std::string fault;
  std::string detail;
  SimTime at;
  uint64_t event = 0;
  bool operator==(const FaultNote&) const = default;
};

// ----------------------------------------------------------- replication --

struct TopicPartition {
  std::string topic;
  PartitionId partition;
  auto operator<=>(const TopicPartition&) const = default;
  bool operator==(const TopicPartition&) const = default;
  // "orders-0", the form client events use.
  std::string str() const { return topic + "-" + std::to_string(partition.value); }
};

// One record in a replica's log.
struct LogRecord {
  RecordId id;
  LeaderEpoch epoch;       // the partition leader epoch stamped on its batch
  ProducerId producer_id;  // -1 for a non-idempotent producer
  bool operator==(const LogRecord&) const = default;
};

// Kafka's LeaderEpochFileCache entry: the first offset written in an epoch.
struct EpochStart {
  LeaderEpoch epoch;
  Offset start_offset;
  bool operator==(const EpochStart&) const = default;
};

struct RemovedRecord {
  Offset offset;
  LogRecord record;
  bool operator==(const RemovedRecord&) const = default;
};

struct Truncation {
  uint64_t event = 0;
  SimTime at;
  Offset to_offset;
  std::vector<RemovedRecord> removed;
  std::string reason;
  bool operator==(const Truncation&) const = default;
};

// One broker's replica of a partition, as that broker's own events describe it.
struct ReplicaState {
  NodeId node = kNoNode;
  std::string role;               // "leader", "follower", "offline", "" (not told yet)
  BrokerId leader = kNoBroker;    // the leader this replica last applied
  LeaderEpoch leader_epoch{-1};
  CowChunkedVector<LogRecord> log;  // offset i holds log[i]
  Offset leo{0};
  Offset hw{0};
  Offset log_start{0};            // from log_recovered (0 until a restart says otherwise)
  // The leader-epoch cache: exactly as the broker traced it (epoch_cache_changed)
  // once it has; before that (a trace from a build without the event, or a
  // hand-written one) derived from log_appended epochs and truncations, which
  // misses an epoch that starts with no record yet.
  std::vector<EpochStart> epoch_cache;
  bool epoch_cache_traced = false;
  std::optional<Truncation> last_truncation;
  int32_t truncations = 0;
  bool operator==(const ReplicaState&) const = default;
};

// A partition: the controller's committed state, and every replica's view.
struct PartitionState {
  TopicPartition tp;
  // The controller's committed state (partition_changed).
  bool known_to_controller = false;
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch{-1};
  int32_t partition_epoch = -1;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
  std::vector<int32_t> elr;
  std::string reason;
  uint64_t changed_event = 0;
  // An AlterPartition the leader sent and the controller has not committed.
  std::optional<std::vector<int32_t>> proposed_isr;
  std::string proposed_reason;
  std::map<BrokerId, ReplicaState> replica_states;

  bool in_isr(BrokerId b) const;
  // The replica of the committed leader, if that broker has reported one.
  const ReplicaState* leader_replica() const;
  bool operator==(const PartitionState&) const = default;
};

struct TopicState {
  int32_t partitions = 0;
  int32_t replication_factor = 0;
  std::vector<std::vector<int32_t>> assignment;
  bool operator==(const TopicState&) const = default;
};

// ---------------------------------------------------------------- clients --

struct MemberState {
  GenerationId generation{-1};
  std::vector<std::string> assigned;  // "topic-partition", sorted
  std::vector<std::string> added;     // by its last assignment change
  std::vector<std::string> revoked;   // by its last assignment change
  uint64_t changed_event = 0;
  SimTime changed_at;
  std::map<std::string, Offset> position;  // next offset to consume, from its polls
  bool operator==(const MemberState&) const = default;
};

struct CommittedOffset {
  Offset offset;  // next to consume
  GenerationId generation;
  NodeId by = kNoNode;       // the consumer that reported it (offset_committed)
  std::string member;        // the member the coordinator stored it for (offsets_committed)
  uint64_t event = 0;
  bool operator==(const CommittedOffset&) const = default;
};

// A member as the coordinator holds it, and the process behind it. The
// coordinator restarts a member's session timer (session.timeout.ms) when it
// accepts a heartbeat, when a join phase completes, and when the member's
// SyncGroup completes (Kafka's ClassicGroup rescheduleHeartbeat; ksim:
// GroupMetadataManager::reschedule_heartbeat); `session_reset_at` is the latest of
// these the trace shows. If the member's process is gone (its node crashed, or
// restarted as a new incarnation with a new member id), nobody tells the
// coordinator: it keeps the member until session_reset_at + session_timeout_ms.
struct MemberSession {
  NodeId node = kNoNode;         // the consumer that sent its JoinGroup (kNoNode: unknown)
  int32_t incarnation = 0;       // that node's incarnation when it joined
  int32_t session_timeout_ms = 0;
  SimTime joined_at;
  SimTime session_reset_at;
  // What the running timer was armed for: session_timeout_ms, except after a
  // new dynamic member's JoinGroup, which waits up to the coordinator's
  // new-member join timeout (5 min, Kafka's NEW_MEMBER_JOIN_TIMEOUT_MS) until
  // the join phase completes.
  int32_t timer_ms = 0;
  bool reset_known = false;      // false for members learned from group_stable only (a loaded group)
  SimTime session_expires_at() const { return session_reset_at + millis(timer_ms); }
  bool operator==(const MemberSession&) const = default;
};

// A member the coordinator removed, and why (member_removed), with what the
// trace knew about its process then: a member removed for session_timeout
// whose process had crashed long before is the story of a crashed consumer.
struct RemovedMember {
  std::string member;
  NodeId node = kNoNode;
  std::string reason;            // "session_timeout", "rebalance_timeout", "leave", "fenced_static_instance"
  SimTime at;
  uint64_t event = 0;
  bool process_gone = false;     // its process had crashed (or restarted) before the removal
  bool restarted = false;        // ... and the consumer runs again as a new member
  SimTime process_gone_at;
  int32_t session_timeout_ms = 0;
  bool operator==(const RemovedMember&) const = default;
};

struct GroupState {
  GenerationId generation{-1};        // the coordinator's, else the newest any member reported
  // The coordinator's word (core/trace/group_events.h), empty until it speaks:
  // its ClassicGroupState name, why it last changed, the leader and protocol of
  // the last Stable generation, and its members (member ids, join order).
  std::string state;
  std::string state_reason;
  uint64_t state_changed_event = 0;
  SimTime state_since;
  std::string leader;
  std::string protocol;
  std::vector<std::string> member_ids;
  // member id -> the consumer node it is: the sender of the JoinGroup the
  // coordinator had just received when it traced member_joined.
  std::map<std::string, NodeId> member_nodes;
  // member id -> its session, for the members in member_ids.
  std::map<std::string, MemberSession> sessions;
  // The latest kRecentRemoved members the coordinator removed, oldest first.
  static constexpr size_t kRecentRemoved = 6;
  std::vector<RemovedMember> removed;
  NodeId coordinator = kNoNode;       // the broker that traced it last
  // The partitions whose owner changed in the latest rebalance: cleared when
  // the coordinator starts one (PreparingRebalance; without coordinator events,
  // at a generation bump), then every assignment_changed adds what it assigned
  // and revoked. Eager: the whole assignment; cooperative (KIP-429): the moved ones.
  std::vector<std::string> rebalance_moved;  // sorted
  std::map<NodeId, MemberState> members;
  std::map<std::string, CommittedOffset> committed;  // by "topic-partition"
  int32_t rebalances = 0;             // generation bumps seen
  std::string last_commit_error;
  uint64_t last_commit_error_event = 0;
  bool operator==(const GroupState&) const = default;
};

struct ProducerState {
  int64_t sent = 0;
  int64_t acked = 0;
  int64_t failed = 0;
  std::string last_error;
  bool operator==(const ProducerState&) const = default;
};

// The latest JoinGroup a coordinator received: who sent it, when.
struct JoinGroupArrival {
  NodeId from = kNoNode;
  SimTime at;
  bool operator==(const JoinGroupArrival&) const = default;
};

// ------------------------------------------------------------------ all --

struct ClusterState {
  static constexpr size_t kRecentDrops = 64;
  static constexpr size_t kRecentFaults = 8;

  uint64_t events_applied = 0;
  SimTime last_event_time;

  std::vector<NodeState> nodes;            // by NodeId
  std::vector<uint8_t> link_up;            // [from * n + to]: 1 if from -> to carries messages
  std::map<uint64_t, MessageInFlight> in_flight;  // by msg_id
  std::vector<DroppedMessage> recent_drops;       // the latest kRecentDrops, oldest first
  std::vector<std::map<std::string, DiskFileState>> disks;  // by NodeId, then file
  std::vector<FaultNote> recent_faults;           // the latest kRecentFaults, oldest first

  std::map<std::string, TopicState> topics;
  std::map<TopicPartition, PartitionState> partitions;

  std::map<std::string, GroupState> groups;        // "" for consumers without a group
  std::map<NodeId, ProducerState> producers;
  std::map<NodeId, JoinGroupArrival> last_join_group;  // by receiving (coordinator) node

  explicit ClusterState(size_t node_count = 0);

  bool link(NodeId from, NodeId to) const;
  size_t node_count() const { return nodes.size(); }

  bool operator==(const ClusterState&) const = default;
};

// The group's phase as the clients' events show it: "Empty" with no live
// member, "Stable" when every live member holds the newest generation,
// otherwise "Rebalancing". (The coordinator's own state machine is not in the
// trace yet; this is a derivation and the viewer says so.)
// With coordinator events in the trace, the coordinator's state instead, or
// kNoCoordinator while the coordinator's broker is down (its last state is not
// what the group has: nobody answers its members).
inline constexpr std::string_view kNoCoordinator = "No coordinator";
std::string_view group_phase(const GroupState& group, const ClusterState& state);

// The group's assignment, partition -> owning consumer node, from the members'
// own assignments. A partition two members both claim (an eager rebalance
// caught mid-way, or a zombie) maps to the one that got it most recently.
std::map<std::string, NodeId> group_assignment(const GroupState& group);

// A coordinator member whose process is gone: its consumer node crashed, or
// restarted (a new incarnation, which joins under a new member id). Kafka's
// coordinator cannot see that: it keeps the member, its partitions and (in a
// rebalance) waits for it, until its session expires.
struct GoneMember {
  NodeId node = kNoNode;
  SimTime gone_since;           // the node's crash
  bool restarted = false;       // the node runs again, as a newer incarnation
  std::optional<SimTime> session_expires_at;  // nullopt if the trace never showed its session start
};
std::optional<GoneMember> member_process_gone(const GroupState& group, const std::string& member_id,
                                              const ClusterState& state);

// The consumer node a coordinator member id belongs to: ksim's consumers use
// their node name as client.id, and Kafka's member ids start with the
// client.id and a '-'. kNoNode if no node name matches.
NodeId member_node(std::string_view member_id, const std::vector<std::string>& node_names);

// Consumer lag of a partition for a committed offset: the leader's HW minus
// the committed offset (what kafka-consumer-groups.sh shows, with HW as the
// end a consumer can reach). nullopt if the partition has no leader replica.
std::optional<int64_t> consumer_lag(const ClusterState& state, const TopicPartition& tp, Offset committed);

// Parses "orders-0" (the last '-' separates the partition). nullopt if malformed.
std::optional<TopicPartition> parse_topic_partition(std::string_view s);

}  // namespace ksim::viz
