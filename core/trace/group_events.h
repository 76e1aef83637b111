#pragma once
// Trace events of the group coordinator (on the broker leading a group's
// __consumer_offsets partition). docs/trace-format.md documents every kind.
// The node of each event is the coordinator broker; consumer-side views of the
// same story are in client_events.h (assignment_changed, offset_committed).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"

namespace ksim::trace {

// A group moved between ClassicGroupState states ("Empty", "PreparingRebalance",
// "CompletingRebalance", "Stable", "Dead"). generation is the group's after
// the change. reason says why in a few words, e.g. "member joined",
// "join phase complete", "assignment persisted", "member left; client reason:
// consumer poll timeout has expired." (LeaveGroup carries the client's reason,
// KIP-800: a poll timeout, or "the consumer is being closed").
struct GroupStateChanged {
  static constexpr std::string_view kKind = "group_state_changed";
  std::string group;
  std::string from;
  std::string to;
  GenerationId generation;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("from", s.from); f("to", s.to); f("generation", s.generation); f("reason", s.reason);
  }
};

// A member entered the group (its JoinGroup was accepted with a member id the
// coordinator assigned). instance is the group.instance.id, "" if dynamic.
struct MemberJoined {
  static constexpr std::string_view kKind = "member_joined";
  std::string group;
  std::string member;
  std::string instance;
  int32_t session_timeout_ms = 0;
  int32_t rebalance_timeout_ms = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("member", s.member); f("instance", s.instance);
    f("session_timeout_ms", s.session_timeout_ms); f("rebalance_timeout_ms", s.rebalance_timeout_ms);
  }
};

// A member left the group. reason: "leave" (LeaveGroup), "session_timeout"
// (no heartbeat within session.timeout.ms), "rebalance_timeout" (did not
// rejoin, or did not sync, within the rebalance timeout), "fenced_static_instance"
// (another process took over its group.instance.id), "group_max_size_reached"
// (turned away by group.max.size while rejoining).
struct MemberRemoved {
  static constexpr std::string_view kKind = "member_removed";
  std::string group;
  std::string member;
  std::string instance;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("member", s.member); f("instance", s.instance); f("reason", s.reason);
  }
};

// A generation completed: the leader's assignment is persisted and the group
// is Stable. members in join order.
struct GroupStable {
  static constexpr std::string_view kKind = "group_stable";
  std::string group;
  GenerationId generation;
  std::string leader;
  std::string protocol;
  std::vector<std::string> members;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("generation", s.generation); f("leader", s.leader); f("protocol", s.protocol);
    f("members", s.members);
  }
};

// The coordinator accepted an offset commit and it is replicated (the HW of
// the offsets partition covers it): partitions[i] ("topic-partition") at
// offsets[i]. generation -1 for a standalone commit.
struct OffsetsCommitted {
  static constexpr std::string_view kKind = "offsets_committed";
  std::string group;
  GenerationId generation;
  std::string member;
  std::vector<std::string> partitions;
  std::vector<Offset> offsets;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("generation", s.generation); f("member", s.member); f("partitions", s.partitions);
    f("offsets", s.offsets);
  }
};

// The coordinator expired committed offsets of `group` (offsets.retention.minutes,
// KIP-211: an Empty group's offsets that long after it became Empty, a simple
// group's that long after their commit). Tombstones for `partitions` are in
// __consumer_offsets and replicated, so a new coordinator does not bring them
// back. group_deleted: the group was Empty with nothing left, and its metadata
// got a tombstone too (the group is gone).
struct OffsetsExpired {
  static constexpr std::string_view kKind = "offsets_expired";
  std::string group;
  std::vector<std::string> partitions;
  bool group_deleted = false;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("partitions", s.partitions); f("group_deleted", s.group_deleted);
  }
};

// The broker finished loading an offsets partition it now leads: it is the
// coordinator of `groups` groups (and their offsets) from that partition.
struct CoordinatorLoaded {
  static constexpr std::string_view kKind = "coordinator_loaded";
  BrokerId broker;
  PartitionId partition;  // of __consumer_offsets
  LeaderEpoch leader_epoch;
  int32_t groups = 0;
  int32_t offsets = 0;
  int64_t load_time_us = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("broker", s.broker); f("partition", s.partition); f("leader_epoch", s.leader_epoch); f("groups", s.groups);
    f("offsets", s.offsets); f("load_time_us", s.load_time_us);
  }
};

// The broker stopped leading an offsets partition and dropped its groups
// (they go Dead here; members get NOT_COORDINATOR and find the new one).
struct CoordinatorUnloaded {
  static constexpr std::string_view kKind = "coordinator_unloaded";
  BrokerId broker;
  PartitionId partition;
  int32_t groups = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("broker", s.broker); f("partition", s.partition); f("groups", s.groups);
  }
};

}  // namespace ksim::trace
