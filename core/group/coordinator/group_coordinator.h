#pragma once
// GroupCoordinator: the classic consumer-group coordinator of one broker
// (Kafka's GroupCoordinatorService + GroupMetadataManager's classic half +
// OffsetMetadataManager; the classic rules as GroupCoordinator.scala had them).
//
// Ownership. A group lives in __consumer_offsets partition
// abs(hash(group.id)) % offsets.topic.num.partitions (coordinator_partition.h).
// This broker coordinates the groups of the partitions it leads; for any
// other group it answers NOT_COORDINATOR, and COORDINATOR_LOAD_IN_PROGRESS
// while it is still reading a partition it just became leader of.
//
// A rebalance, in numbered steps (the classic protocol, KIP-62/345/394):
//   1. A member joins with an empty member id. A dynamic member gets
//      MEMBER_ID_REQUIRED and a new id (KIP-394) and is "pending" for one
//      session timeout; it must join again with that id. A static member
//      (group.instance.id, KIP-345) is added at once.
//   2. Adding a member, or a known member joining with new metadata (or the
//      leader rejoining), moves the group to PreparingRebalance. A group that
//      was Empty waits group.initial.rebalance.delay.ms, extended by the same
//      delay while new members keep arriving, up to the rebalance timeout.
//      Otherwise the join phase waits until every known member rejoined
//      (their JoinGroup responses are parked) or the largest rebalance timeout
//      (max.poll.interval.ms) of the members passes.
//   3. The join phase ends: dynamic members that did not rejoin are removed;
//      the generation is bumped; the protocol every member supports that most
//      prefer is chosen; each member gets its JoinGroup response, the leader's
//      with every member's subscription. The group is CompletingRebalance.
//   4. Members send SyncGroup; followers' responses are parked. The leader's
//      SyncGroup carries the assignment: it is written to __consumer_offsets
//      as a GroupMetadata record, and once replicated (HW) the group becomes
//      Stable and every member gets its assignment. Members that send no
//      SyncGroup within the rebalance timeout are removed (a new rebalance).
//   5. Heartbeats keep a member alive (session.timeout.ms); they answer
//      REBALANCE_IN_PROGRESS during PreparingRebalance so members rejoin. A
//      member whose session expires, or who leaves, is removed and the group
//      rebalances.
//
// Offsets. OffsetCommit is validated against the group (ClassicGroup
// .validateOffsetCommit), written as OffsetCommit records with acks=all, and
// only becomes visible to OffsetFetch once the HW covers it; a commit the
// coordinator crashed before replicating is lost, exactly as in Kafka.
//
// Loading. On becoming leader of an offsets partition the coordinator reads
// the partition's log back (records up to the LEO, later ones winning),
// taking 1 ms plus log bytes / group.coordinator.load.bytes.per.ms of
// simulated time; groups with members come back Stable with fresh session
// timers. On losing leadership it unloads: groups go Dead, parked responses
// get NOT_COORDINATOR.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/env/env.h"
#include "core/group/coordinator/classic_group.h"
#include "core/group/coordinator/coordinator_host.h"
#include "core/group/coordinator/group_records.h"

namespace ksim {

class GroupCoordinator {
 public:
  // Kafka's internal new-member join timeout (classicGroupNewMemberJoinTimeoutMs).
  static constexpr int32_t kNewMemberJoinTimeoutMs = 5 * 60 * 1000;

  // Timers are armed with `timer_tag`; the owner routes them to on_timer.
  GroupCoordinator(Env& env, const BrokerConfig& config, CoordinatorHost& host, TimerTag timer_tag);

  void handle(const ReplyTo& from, const JoinGroupRequest& req);
  void handle(const ReplyTo& from, const SyncGroupRequest& req);
  void handle(const ReplyTo& from, const HeartbeatRequest& req);
  void handle(const ReplyTo& from, const LeaveGroupRequest& req);
  void handle(const ReplyTo& from, const OffsetCommitRequest& req);
  void handle(const ReplyTo& from, const OffsetFetchRequest& req);
  void on_timer(TimerId id);
  // The broker applied a new state of __consumer_offsets-`partition`.
  void on_offsets_partition_changed(PartitionId partition, bool leader_here, LeaderEpoch leader_epoch);

  // Read access for tests (checkers and the viewer use the trace).
  bool is_loaded(PartitionId partition) const;
  bool is_loading(PartitionId partition) const;
  const ClassicGroup* group(const std::string& group_id) const;
  std::optional<OffsetCommitValue> committed(const std::string& group_id, const TopicPartition& tp) const;

  void check_invariants() const;

 private:
  struct Shard {
    bool loading = true;
    LeaderEpoch leader_epoch{-1};
    uint64_t incarnation = 0;  // distinguishes this load from earlier ones (stale callbacks)
    TimerId load_timer;
    SimTime load_started;
    std::map<std::string, ClassicGroup> groups;
    std::map<std::string, std::map<TopicPartition, OffsetCommitValue>> offsets;
    // Commits appended and not yet replicated, by (group, partition): their
    // offsets do not expire meanwhile.
    std::map<std::pair<std::string, TopicPartition>, int32_t> pending_commits;
  };
  enum class TimerKind : uint8_t { heartbeat, join, initial_join, sync, load, expire_offsets };
  struct TimerAction {
    TimerKind kind;
    int32_t partition = 0;
    uint64_t incarnation = 0;
    std::string group;
    std::string member;
    GenerationId generation{-1};
    int32_t delay_ms = 0;
    int32_t remaining_ms = 0;
  };

  // --- ownership -------------------------------------------------------------------
  PartitionId partition_for(const std::string& group_id) const;
  // The shard owning `group_id`, or the error to answer (NOT_COORDINATOR,
  // COORDINATOR_LOAD_IN_PROGRESS).
  Shard* shard_for(const std::string& group_id, Errc& error);
  Shard* shard_alive(int32_t partition, uint64_t incarnation);
  void finish_load(int32_t partition);
  void unload(int32_t partition);

  // --- timers ----------------------------------------------------------------------
  TimerId arm(Duration after, TimerAction action);
  void cancel(TimerId& id);
  void cancel_member_timer(const std::string& group_id, const std::string& member_id);
  void reschedule_heartbeat(const Shard& s, ClassicGroup& g, GroupMember& m, int32_t timeout_ms);

  // --- join ------------------------------------------------------------------------
  void join_new_member(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req);
  void join_existing_member(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req);
  void add_member_then_rebalance(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req,
                                 const std::string& member_id);
  void update_member_then_rebalance(Shard& s, ClassicGroup& g, GroupMember& m, const ReplyTo& from,
                                    const JoinGroupRequest& req, const std::string& reason);
  void update_static_member_then_rebalance(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req,
                                           const std::string& old_id, const std::string& new_id);
  void maybe_prepare_rebalance_or_complete_join(Shard& s, ClassicGroup& g, const std::string& reason);
  void prepare_rebalance(Shard& s, ClassicGroup& g, const std::string& reason);
  void maybe_complete_join_phase(Shard& s, ClassicGroup& g);
  void complete_join(Shard& s, ClassicGroup& g);
  void try_complete_initial_rebalance(Shard& s, ClassicGroup& g, int32_t delay_ms, int32_t remaining_ms);
  void expire_heartbeat(Shard& s, ClassicGroup& g, const std::string& member_id);
  void expire_pending_sync(Shard& s, ClassicGroup& g, GenerationId generation);
  void remove_member_and_update(Shard& s, ClassicGroup& g, const std::string& member_id, const std::string& reason);
  void remove_pending_sync_member(ClassicGroup& g, const std::string& member_id);
  void reset_and_propagate_assignment_with_error(ClassicGroup& g, Errc error);
  JoinGroupResponse current_generation_response(const ClassicGroup& g, const std::string& member_id,
                                                bool with_members) const;
  std::string new_member_id(const std::optional<std::string>& instance_id);

  // --- validation --------------------------------------------------------------------
  // group.max.size (GroupMetadataManager.acceptJoiningMember).
  bool accept_joining_member(const ClassicGroup& g, const std::string& member_id) const;
  static Errc validate_member(const ClassicGroup& g, const std::string& member_id,
                              const std::optional<std::string>& instance_id);
  static Errc validate_offset_commit(const ClassicGroup& g, const OffsetCommitRequest& req);
  // appendGroupMetadataErrorToResponseError: what a failed write tells the client.
  static Errc append_error_to_response_error(Errc append_error);

  // --- offsets retention (offsets.retention.minutes) ----------------------------------------
  // GroupCoordinatorShard.cleanupGroupMetadata, every
  // offsets.retention.check.interval.ms: tombstones for expired offsets, and
  // for an Empty group left with none.
  void cleanup_group_metadata(Shard& s, int32_t partition);

  // --- writes ----------------------------------------------------------------------------
  void append(Shard& s, int32_t partition, std::vector<GroupRecord> records,
              std::function<void(Shard*, Errc)> done);
  GroupMetadataValue metadata_value(const ClassicGroup& g) const;

  // --- trace -------------------------------------------------------------------------------
  void transition(ClassicGroup& g, GroupState to, const std::string& reason);
  void trace_transition(ClassicGroup& g, GroupState from, const std::string& reason);
  void trace_removed(const ClassicGroup& g, const GroupMember& m, const std::string& reason);

  void send_join(const PendingResponse& to, JoinGroupResponse r);
  void send_sync(const PendingResponse& to, SyncGroupResponse r);

  Env& env_;
  const BrokerConfig& config_;
  CoordinatorHost& host_;
  TimerTag timer_tag_;
  std::map<int32_t, Shard> shards_;  // by offsets partition
  std::map<uint64_t, TimerAction> timers_;
  uint64_t next_incarnation_ = 1;
  uint64_t next_record_ = 0;
};

}  // namespace ksim
