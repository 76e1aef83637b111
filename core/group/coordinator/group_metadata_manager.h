#pragma once
// GroupMetadataManager: the classic consumer-group protocol of the group
// coordinator (Kafka's GroupMetadataManager, its classic half; the rules as
// GroupCoordinator.scala had them). One per broker; it acts on the shard
// (coordinator_shard.h) that owns the group, through the runtime
// (coordinator_runtime.h) for timers and writes.
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
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/env/env.h"
#include "core/group/coordinator/coordinator_runtime.h"
#include "core/group/coordinator/coordinator_shard.h"

namespace ksim {

class GroupMetadataManager {
 public:
  // Kafka's internal new-member join timeout (classicGroupNewMemberJoinTimeoutMs).
  static constexpr int32_t kNewMemberJoinTimeoutMs = 5 * 60 * 1000;

  GroupMetadataManager(Env& env, const BrokerConfig& config, CoordinatorRuntime& runtime);

  void handle(const ReplyTo& from, const JoinGroupRequest& req);
  void handle(const ReplyTo& from, const SyncGroupRequest& req);
  void handle(const ReplyTo& from, const HeartbeatRequest& req);
  void handle(const ReplyTo& from, const LeaveGroupRequest& req);
  // A heartbeat, join, initial_join or sync timer of `shard` fired.
  void on_timer(CoordinatorShard& shard, const CoordinatorTimerTask& task);

  // The shard was just loaded: members get fresh session timers.
  void on_loaded(CoordinatorShard& shard);
  // The shard is unloading (onUnloaded): timers go, parked calls get
  // NOT_COORDINATOR, loaded groups go Dead.
  void on_unloaded(CoordinatorShard& shard);

  // Member and generation checks shared with OffsetCommit.
  static Errc validate_member(const ClassicGroup& g, const std::string& member_id,
                              const std::optional<std::string>& instance_id);
  // appendGroupMetadataErrorToResponseError: what a failed write tells the client.
  static Errc append_error_to_response_error(Errc append_error);
  // Moves `g` to `to` (asserted legal) and traces it.
  void transition(ClassicGroup& g, GroupState to, const std::string& reason);

 private:
  // --- join ------------------------------------------------------------------------
  void join_new_member(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req);
  void join_existing_member(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req);
  void drop_member_over_max_size(CoordinatorShard& s, ClassicGroup& g, const std::string& member_id);
  void add_member_then_rebalance(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req,
                                 const std::string& member_id);
  void update_member_then_rebalance(CoordinatorShard& s, ClassicGroup& g, GroupMember& m, const ReplyTo& from,
                                    const JoinGroupRequest& req, const std::string& reason);
  void update_static_member_then_rebalance(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from,
                                           const JoinGroupRequest& req, const std::string& old_id,
                                           const std::string& new_id);
  // KIP-345: a Stable group keeps its generation when a static member is
  // replaced with the same protocol; the new member id is persisted first.
  // `old` is the member as it was before (restored if the write fails).
  void persist_replaced_static_member(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req,
                                      const std::string& new_id, GroupMember old);
  void maybe_prepare_rebalance_or_complete_join(CoordinatorShard& s, ClassicGroup& g, const std::string& reason);
  void prepare_rebalance(CoordinatorShard& s, ClassicGroup& g, const std::string& reason);
  void maybe_complete_join_phase(CoordinatorShard& s, ClassicGroup& g);
  void complete_join(CoordinatorShard& s, ClassicGroup& g);
  void try_complete_initial_rebalance(CoordinatorShard& s, ClassicGroup& g, int32_t delay_ms, int32_t remaining_ms);
  JoinGroupResponse current_generation_response(const ClassicGroup& g, const std::string& member_id,
                                                bool with_members) const;
  std::string new_member_id(const std::optional<std::string>& instance_id);
  // group.max.size (GroupMetadataManager.acceptJoiningMember).
  bool accept_joining_member(const ClassicGroup& g, const std::string& member_id) const;

  // --- sync ------------------------------------------------------------------------
  void store_assignment(CoordinatorShard& s, ClassicGroup& g, const SyncGroupRequest& req);
  void on_assignment_stored(CoordinatorShard& s, ClassicGroup& g,
                            const std::map<std::string, ConsumerAssignment>& assignment);

  // --- leave -----------------------------------------------------------------------
  // One member of a LeaveGroup; the client's reason is added to `client_reasons`.
  LeaveGroupMemberResponse leave_member(ClassicGroup& g, const LeaveGroupMember& lm, std::string& client_reasons);

  // --- expiry and removal ------------------------------------------------------------
  void expire_heartbeat(CoordinatorShard& s, ClassicGroup& g, const std::string& member_id);
  void expire_pending_sync(CoordinatorShard& s, ClassicGroup& g, GenerationId generation);
  void remove_member_and_update(CoordinatorShard& s, ClassicGroup& g, const std::string& member_id,
                                const std::string& reason);
  void remove_pending_sync_member(ClassicGroup& g, const std::string& member_id);
  void reset_and_propagate_assignment_with_error(ClassicGroup& g, Errc error);
  void reschedule_heartbeat(const CoordinatorShard& s, ClassicGroup& g, GroupMember& m, int32_t timeout_ms);

  // --- responses ---------------------------------------------------------------------
  // A parked JoinGroup / SyncGroup answered with an error, and forgotten. An
  // UNKNOWN_MEMBER_ID JoinGroup answer carries no member id; any other echoes
  // the member's (as Kafka's removeMemberAndUpdateClassicGroup, onUnloaded and
  // the static-member fencing build theirs).
  void fail_parked_join(GroupMember& m, Errc error);
  void fail_parked_sync(GroupMember& m, Errc error);
  void fail_parked_calls(GroupMember& m, Errc error);
  void send_join_error(const PendingResponse& to, Errc error, std::string member_id);
  void send_join(const PendingResponse& to, JoinGroupResponse r);
  void send_sync(const PendingResponse& to, SyncGroupResponse r);

  // --- records and trace ---------------------------------------------------------------
  GroupRecord group_metadata_record(const ClassicGroup& g) const;
  GroupMetadataValue metadata_value(const ClassicGroup& g) const;
  void trace_transition(ClassicGroup& g, GroupState from, const std::string& reason);
  void trace_removed(const ClassicGroup& g, const GroupMember& m, const std::string& reason);
  void trace_stable(const ClassicGroup& g);

  Env& env_;
  const BrokerConfig& config_;
  CoordinatorRuntime& runtime_;
};

}  // namespace ksim
