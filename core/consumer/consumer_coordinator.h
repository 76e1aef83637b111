#pragma once
// ConsumerCoordinator: one consumer's side of the classic group protocol
// (Kafka's AbstractCoordinator + ConsumerCoordinator, reduced): coordinator
// discovery, the join/sync rebalance, the heartbeat "thread", offset commits
// and committed-offset fetches.
//
// A rebalance, as the member sees it (AbstractCoordinator.joinGroupIfNeeded):
//
//   UNJOINED --poll(): onJoinPrepare, JoinGroup--> PREPARING_REBALANCE
//   PREPARING_REBALANCE --JoinGroup ok (leader: run the assignor), SyncGroup--> COMPLETING_REBALANCE
//   COMPLETING_REBALANCE --SyncGroup ok: onJoinComplete--> STABLE
//   any --error / rejoin requested--> UNJOINED (next poll() joins again)
//
//   1. onJoinPrepare (in poll(), before JoinGroup): with auto-commit, commit
//      every position (ConsumerCoordinator.onJoinPrepare's sync auto-commit);
//      then, if the member lost its generation (session expired, poll timeout,
//      UNKNOWN_MEMBER_ID), the partitions are *lost*: dropped without any
//      commit (onPartitionsLost). Otherwise EAGER revokes every partition
//      (onPartitionsRevoked, where the application may commit), COOPERATIVE
//      only those no longer subscribed.
//   2. JoinGroup with member id "" answers MEMBER_ID_REQUIRED and the member id
//      (KIP-394); the member joins again with it at once. The subscription
//      carries the owned partitions and their generation (the sticky assignors'
//      input: ConsumerProtocolSubscription v1+, StickyAssignor user data).
//   3. The leader's JoinGroup response lists every member's subscription; the
//      leader runs the assignor the group chose (protocol_name) over them with
//      the partition counts from its metadata, and sends every assignment in
//      its SyncGroup. Others send an empty SyncGroup.
//   4. onJoinComplete: EAGER takes the assignment. COOPERATIVE (KIP-429)
//      compares it with what the member owns: partitions that left are revoked
//      (onPartitionsRevoked), new ones are added, and if any was revoked the
//      member requests another rebalance at once, in which the withheld
//      partitions find their new owner.
//
// Heartbeats (AbstractCoordinator.HeartbeatThread) run on their own timer
// every heartbeat.interval.ms from the JoinGroup response on, whatever the
// application is doing. On each tick, in Kafka's order:
//   - no successful heartbeat for session.timeout.ms: the coordinator is
//     marked unknown (and rediscovered);
//   - no poll() for max.poll.interval.ms (KIP-62): a dynamic member sends
//     LeaveGroup; every member resets its generation, so it rejoins (and loses
//     its partitions) at its next poll(). A static member sends nothing and
//     waits for its session to expire (KIP-345);
//   - else a Heartbeat. REBALANCE_IN_PROGRESS asks for a rejoin at the next
//     poll(); ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID reset the generation;
//     FENCED_INSTANCE_ID is fatal; NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE
//     and lost connections mark the coordinator unknown.
//
// Commits (ConsumerCoordinator.sendOffsetCommitRequest): a group member
// commits with its generation and member id, and only while STABLE (else the
// commit fails at once: REBALANCE_IN_PROGRESS while rejoining,
// COMMIT_FAILED (CommitFailedException) with no generation); assign() mode
// commits with generation -1 and no member id. Coordinator errors retry
// (commitSync) until the retry budget is spent; ILLEGAL_GENERATION /
// UNKNOWN_MEMBER_ID reset the generation; REBALANCE_IN_PROGRESS requests a
// rejoin. Requests to the coordinator travel on one connection in order, so a
// commit sent before a JoinGroup is applied before it.
//
// Metadata changes (ConsumerCoordinator.rejoinNeededOrPending): the leader
// remembers the partition count of every topic the group subscribes to when
// it computed the assignment (assignmentSnapshot); when a later metadata
// refresh (metadata.max.age.ms, or any other) shows different counts, e.g.
// partitions were added, its next poll() rejoins with the reason "cached
// metadata has changed", so the new partitions get an owner. Followers do
// not watch (only the leader "is responsible for monitoring for metadata
// changes").
//
// Not modelled: wakeups, pattern subscriptions, rack-aware assignment.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/consumer/consumer_config.h"
#include "core/consumer/consumer_metadata.h"
#include "core/consumer/subscription_state.h"
#include "core/env/env.h"
#include "core/net/request_tracker.h"

namespace ksim {

enum class MemberState : uint8_t { unjoined, preparing_rebalance, completing_rebalance, stable };
std::string_view to_string(MemberState s);

// The result of one commit, per partition, as the application sees it.
struct CommitOutcome {
  TopicPartition tp;
  Offset offset;
  std::string error;  // "NONE", a Kafka error name, or "COMMIT_FAILED"
};

class ConsumerCoordinator {
 public:
  struct Timers {
    TimerTag heartbeat, poll_timeout, retry;
  };
  struct Callbacks {
    // Partitions leave the member: revoked (a commit is possible) or lost.
    std::function<void(const std::vector<TopicPartition>&, bool lost)> on_revoked;
    // The member got its assignment (already applied to SubscriptionState).
    std::function<void(const std::vector<TopicPartition>& added)> on_assigned;
    std::function<void()> on_progress;     // something changed: a poll may complete
    std::function<void(Errc)> on_fatal;    // FENCED_INSTANCE_ID and the like
  };

  ConsumerCoordinator(Env& env, RequestTracker& tracker, const ConsumerConfig& config,
                      SubscriptionState& subscriptions, ConsumerMetadata& metadata, Timers timers, Callbacks callbacks);

  const std::string& group_id() const { return group_id_; }
  bool has_group() const { return !group_id_.empty(); }
  MemberState state() const { return state_; }
  GenerationId generation() const { return generation_; }
  const std::string& member_id() const { return member_id_; }
  bool coordinator_known() const { return coordinator_.has_value(); }
  std::optional<NodeId> coordinator() const { return coordinator_; }

  // Called from every poll(): stamps the poll time (KIP-62), finds the
  // coordinator and drives a rebalance. Returns true when the member is in a
  // stable group (or needs no group).
  bool poll();
  // The application asks for a rejoin (also used by cooperative follow-ups).
  void request_rejoin() { rejoin_needed_ = true; }
  bool rejoin_needed() const { return rejoin_needed_; }

  // Commits `offsets` (next offset to consume per partition). `done` gets the
  // outcome of every partition once the commit completed or failed for good.
  void commit(std::map<TopicPartition, PartitionPosition> offsets,
              std::function<void(const std::vector<CommitOutcome>&)> done);
  bool commit_in_flight() const { return commits_in_flight_ > 0; }

  // Sends OffsetFetch for partitions awaiting their committed offset (in a
  // group: only while stable).
  void refresh_committed_offsets();

  // close(): a dynamic member leaves the group; a static one does not (KIP-345).
  void close();

  void on_timer(TimerTag tag);
  void on_coordinator_connection_lost(NodeId peer);
  void check_invariants() const;

 private:
  void find_coordinator();
  void mark_coordinator_unknown();
  void on_join_prepare();
  void send_join_group();
  void on_join_response(const JoinGroupResponse& r);
  std::vector<SyncGroupAssignment> run_assignor(const JoinGroupResponse& r) const;
  // Partition counts of the group's topics in the current metadata (MetadataSnapshot).
  std::map<std::string, int32_t> metadata_snapshot() const;
  void send_sync_group(std::vector<SyncGroupAssignment> assignments);
  void on_sync_response(const SyncGroupResponse& r);
  void on_join_complete(const std::vector<TopicPartition>& assigned);
  void join_failed(Errc error);
  // Sends JoinGroup or SyncGroup with the rebalance timeout; a transport
  // failure goes to join_failed, an answer to on_response.
  void send_rebalance_request(Message request, std::function<void(const Message&)> on_response);
  void reset_generation(bool reset_member_id);
  void maybe_leave_group(const std::string& reason);
  void arm_heartbeat(Duration after);
  void heartbeat_tick();
  void arm_poll_timeout();
  void set_state(MemberState next);
  void fatal(Errc error);

  struct PendingCommit {
    std::map<TopicPartition, PartitionPosition> offsets;
    std::function<void(const std::vector<CommitOutcome>&)> done;
    SimTime deadline;
  };
  void send_commit(PendingCommit c);
  void finish_commit(const PendingCommit& c, const std::vector<CommitOutcome>& outcomes);

  Env& env_;
  RequestTracker& tracker_;
  const ConsumerConfig& config_;
  SubscriptionState& subscriptions_;
  ConsumerMetadata& metadata_;
  Timers timers_;
  Callbacks cb_;
  std::string group_id_;

  std::optional<NodeId> coordinator_;
  bool find_in_flight_ = false;
  bool retry_armed_ = false;

  MemberState state_ = MemberState::unjoined;
  GenerationId generation_{-1};
  std::string member_id_;
  std::string protocol_name_;
  bool rejoin_needed_ = true;
  bool join_prepare_needed_ = true;
  bool join_in_flight_ = false;
  bool failed_ = false;
  // SyncGroup's answer waits here for the application's next poll(): Kafka
  // runs onJoinComplete (and the rebalance listener) in the application
  // thread, never while it processes records.
  std::optional<std::vector<TopicPartition>> pending_assignment_;
  // The leader's view of the group's topics when it assigned (nullopt on
  // followers): a change means the assignment is out of date.
  std::vector<std::string> group_topics_;
  std::optional<std::map<std::string, int32_t>> assignment_snapshot_;
  std::string rejoin_reason_;  // KIP-800: sent with the next JoinGroup
  // What the member owned before an eager revocation, and in which
  // generation: the sticky assignors' memory (StickyAssignor user data).
  std::vector<TopicPartition> last_assignment_;
  GenerationId last_assignment_generation_{-1};

  SimTime last_poll_;
  SimTime last_heartbeat_ok_;
  bool heartbeat_in_flight_ = false;
  TimerId heartbeat_timer_;
  TimerId poll_timer_;
  bool poll_timer_expired_ = false;

  std::vector<PendingCommit> waiting_for_coordinator_;
  int32_t commits_in_flight_ = 0;
  bool offset_fetch_in_flight_ = false;
};

}  // namespace ksim
