#pragma once
// ClassicGroup: one consumer group under the classic protocol, as its
// coordinator holds it (Kafka's ClassicGroup; GroupMetadata.scala before).
// Pure data with the group's own rules; the coordinator
// (group_coordinator.h) drives it and owns timers and responses.
//
// Invariants (check_invariants):
//   1. the state only changes along group_state.h's table (asserted in
//      transition_to);
//   2. member ids are unique; a static member's instance id maps to exactly
//      that member;
//   3. the leader, if any, is a member; a non-empty group out of Empty/Dead
//      has a leader;
//   4. Empty and Dead groups have no members awaiting join or sync;
//   5. Stable and CompletingRebalance groups have a protocol name.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/group/coordinator/group_member.h"
#include "core/group/coordinator/group_state.h"

namespace ksim {

class ClassicGroup {
 public:
  explicit ClassicGroup(std::string group_id) : group_id_(std::move(group_id)) {}

  const std::string& group_id() const { return group_id_; }
  GroupState state() const { return state_; }
  GroupState previous_state() const { return previous_state_; }
  bool is(GroupState s) const { return state_ == s; }
  // Asserts that the transition is legal (group_state.h).
  void transition_to(GroupState to);

  GenerationId generation() const { return generation_; }
  const std::optional<std::string>& protocol_type() const { return protocol_type_; }
  const std::optional<std::string>& protocol_name() const { return protocol_name_; }
  const std::optional<std::string>& leader() const { return leader_; }
  bool is_leader(const std::string& member_id) const { return leader_ && *leader_ == member_id; }

  // --- members -------------------------------------------------------------------
  const std::vector<GroupMember>& members() const { return members_; }
  std::vector<GroupMember>& members() { return members_; }
  GroupMember* member(const std::string& member_id);
  const GroupMember* member(const std::string& member_id) const;
  bool has_member(const std::string& member_id) const { return member(member_id) != nullptr; }
  std::optional<std::string> static_member_id(const std::string& instance_id) const;
  // Adds a member (the first becomes leader). Its protocol type becomes the
  // group's if the group had none.
  void add(GroupMember m);
  // Removes a member or a pending member; a removed leader hands over to the
  // first remaining member (ClassicGroup.remove).
  void remove(const std::string& member_id);
  // KIP-345: a static member rejoining with a new member id takes over the
  // old one's place (and leadership).
  GroupMember& replace_static_member(const std::string& instance_id, const std::string& old_id, const std::string& new_id);

  // KIP-394: members that got MEMBER_ID_REQUIRED and have not rejoined yet.
  const std::set<std::string>& pending_members() const { return pending_members_; }
  void add_pending_member(const std::string& id) { pending_members_.insert(id); }
  bool is_pending_member(const std::string& id) const { return pending_members_.count(id) > 0; }

  // Members whose SyncGroup the coordinator still expects this generation.
  std::set<std::string>& pending_sync_members() { return pending_sync_; }

  bool new_member_added() const { return new_member_added_; }
  void set_new_member_added(bool v) { new_member_added_ = v; }

  // --- rebalance rules -------------------------------------------------------------
  int32_t num_awaiting_join() const;
  // Every member rejoined and no MEMBER_ID_REQUIRED member is outstanding.
  bool has_all_members_joined() const;
  // The largest rebalance timeout of the members (the join phase's deadline).
  int32_t rebalance_timeout_ms() const;
  // Whether a member with these protocols can join (ClassicGroup.supportsProtocols).
  bool supports_protocols(const std::string& protocol_type, const std::vector<JoinGroupProtocol>& protocols) const;
  // The protocol every member supports that most members prefer (a vote:
  // each member votes for its first supported candidate). Kafka breaks ties
  // by HashMap order; ksim by the lexicographically smallest name.
  std::string select_protocol() const;
  // Keeps the leader if it rejoined, else makes the first rejoined member
  // leader; false if no member rejoined.
  bool maybe_elect_new_joined_leader();
  // Bumps the generation; with members, selects the protocol and moves to
  // CompletingRebalance, else forgets the protocol and moves to Empty.
  void init_next_generation();

  // Loading from the log: replaces the whole group state.
  void load(GenerationId generation, std::optional<std::string> protocol_type, std::optional<std::string> protocol_name,
            std::optional<std::string> leader, std::vector<GroupMember> members);

  void check_invariants() const;

  // When the group entered its current state (ClassicGroup.currentStateTimestamp,
  // persisted in GroupMetadataValue): an Empty group's offsets expire
  // offsets.retention.minutes after it. -1 if unknown.
  int64_t current_state_timestamp_ms = -1;

  // Timers the coordinator armed for this group (cancelled when it unloads).
  TimerId join_timer;
  TimerId sync_timer;

 private:
  std::string group_id_;
  GroupState state_ = GroupState::empty;
  GroupState previous_state_ = GroupState::empty;
  GenerationId generation_{0};
  std::optional<std::string> protocol_type_;
  std::optional<std::string> protocol_name_;
  std::optional<std::string> leader_;
  std::vector<GroupMember> members_;  // in join order
  std::set<std::string> pending_members_;
  std::set<std::string> pending_sync_;
  bool new_member_added_ = false;
};

}  // namespace ksim
