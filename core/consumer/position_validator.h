#pragma once
// PositionValidator: KIP-320's check that a consumer's position still exists
// in the log after the partition's leader changed (Kafka's
// OffsetFetcher.validatePositionsIfNeeded, OffsetsForLeaderEpochUtils and
// SubscriptionState.maybeValidatePositionForCurrentLeader /
// maybeCompleteValidation).
//
// Why: a consumer that read offsets 0..9 from a leader that then lost them
// (an unclean election, or records above the new leader's log end) would
// otherwise go on fetching at 10, far past where the new leader's history
// diverged, and silently skip the records the new leader writes at 5..9.
//
// The rule, per assigned partition with a position:
//   1. The position remembers the leader epoch of the last record consumed
//      (its offset epoch) and the leader epoch it was last validated against.
//   2. When the metadata names a newer leader epoch than that, the partition
//      stops fetching (AWAIT_VALIDATION; its position is not committed either)
//      and an OffsetsForLeaderEpoch goes to the new leader: "where does my
//      offset epoch end in your log?" (current_leader_epoch fences a stale
//      leader, as Fetch does).
//   3. The answer (SubscriptionState.maybeCompleteValidation):
//        end offset >= position          the log still holds it: fetch on;
//        end offset <  position          truncation: with an auto.offset.reset
//                                        policy, seek back to the end offset
//                                        (the first offset known to diverge) at
//                                        the answered epoch; with "none",
//                                        LogTruncationException (fatal here);
//        no end offset / no epoch        the epoch is unknown to the leader:
//                                        auto.offset.reset (or fatal with none).
//      FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER: the
//      metadata is refreshed and the validation asked again.
//   A position with no offset epoch (nothing consumed yet, or an offset
//   committed without one) takes the new leader epoch without a request, as
//   Java does when it has no epoch to validate.
//
// Every completed validation is traced as position_validated.
#include <functional>
#include <set>

#include "core/consumer/consumer_config.h"
#include "core/consumer/consumer_metadata.h"
#include "core/consumer/subscription_state.h"
#include "core/env/env.h"
#include "core/net/request_tracker.h"

namespace ksim {

class PositionValidator {
 public:
  PositionValidator(Env& env, RequestTracker& tracker, const ConsumerConfig& config, SubscriptionState& subscriptions,
                    ConsumerMetadata& metadata);

  // Marks positions whose leader changed and sends OffsetsForLeaderEpoch for
  // every partition awaiting validation (one request per leader at a time).
  void validate_positions();

  std::function<void()> on_progress;
  // auto.offset.reset=none and the log was truncated below the position
  // (LogTruncationException, an OffsetOutOfRangeException in Java).
  std::function<void(const TopicPartition&, Errc)> on_fatal;

 private:
  void on_response(NodeId node, const std::map<TopicPartition, PartitionPosition>& asked,
                   const std::map<TopicPartition, LeaderEpoch>& leader_epochs, const Message* response);

  Env& env_;
  RequestTracker& tracker_;
  const ConsumerConfig& config_;
  SubscriptionState& subscriptions_;
  ConsumerMetadata& metadata_;
  std::set<NodeId> in_flight_;
};

}  // namespace ksim
