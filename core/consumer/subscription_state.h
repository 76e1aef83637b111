#pragma once
// SubscriptionState: what one consumer reads and where it stands in each
// partition (Kafka's SubscriptionState, reduced). Two modes, as in Kafka:
//   subscribe(topics)  the group assigns partitions (through the coordinator);
//   assign(partitions) the application picks them; no group membership.
//
// Per assigned partition it keeps the *position*: the offset of the next record
// poll() hands to the application. A partition starts without a position; it
// gets one from the group's committed offset (OffsetFetch) or, failing that,
// from auto.offset.reset (ListOffsets). Only partitions with a position are
// fetched.
//
// Invariants:
//   1. a position, once set, only moves forward, except through seek/reset
//      (set_position with a reason: OFFSET_OUT_OF_RANGE, committed offset);
//   2. a partition that is not assigned has no state here.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

struct PartitionPosition {
  Offset offset;
  LeaderEpoch epoch{-1};  // the leader epoch of the last record consumed (KIP-320), -1 if unknown
};

class SubscriptionState {
 public:
  // What a partition waits for before it can be fetched.
  // validation: KIP-320, the position is checked against a new leader
  // (position_validator.h); it is neither fetched nor committed meanwhile.
  enum class Awaiting : uint8_t { committed_offset, reset, validation, nothing };

  struct Entry {
    std::optional<PartitionPosition> position;
    // The leader epoch the position was last validated against (Java's
    // FetchPosition.currentLeader); -1 until the position meets a leader.
    LeaderEpoch validated_leader_epoch{-1};
    Awaiting awaiting = Awaiting::committed_offset;
    bool request_in_flight = false;  // OffsetFetch or ListOffsets outstanding for it
    // After a failed ListOffsets or OffsetsForLeaderEpoch, not asked again
    // before this time (SubscriptionState.requestFailed: retry.backoff.ms).
    SimTime next_retry;
  };

  void subscribe(std::vector<std::string> topics);
  // assign() mode: replaces the assignment; kept partitions keep their positions.
  void assign_manually(const std::vector<TopicPartition>& partitions);
  // The group's assignment (after SyncGroup): kept partitions keep their positions.
  void assign_from_group(const std::vector<TopicPartition>& partitions);
  // Revokes some partitions (cooperative) or all (eager, or leaving).
  void revoke(const std::vector<TopicPartition>& partitions);

  bool user_assigned() const { return user_assigned_; }
  const std::vector<std::string>& subscribed_topics() const { return topics_; }
  bool is_assigned(const TopicPartition& tp) const { return entries_.count(tp) != 0; }
  std::vector<TopicPartition> assigned() const;  // sorted
  Entry* entry(const TopicPartition& tp);
  const Entry* entry(const TopicPartition& tp) const;

  // The partition can be fetched: assigned with a position.
  bool fetchable(const TopicPartition& tp) const;
  void set_position(const TopicPartition& tp, PartitionPosition p);
  // Clears the position and asks for auto.offset.reset (OFFSET_OUT_OF_RANGE).
  void request_reset(const TopicPartition& tp);
  // Kafka's allConsumed(): the position of every assigned partition that has one.
  std::map<TopicPartition, PartitionPosition> all_consumed() const;
  bool all_positions_known() const;

 private:
  std::vector<std::string> topics_;
  bool user_assigned_ = false;
  std::map<TopicPartition, Entry> entries_;
};

}  // namespace ksim
