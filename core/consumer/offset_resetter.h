#pragma once
// OffsetResetter: auto.offset.reset through ListOffsets (Kafka's OffsetFetcher
// .resetPositionsIfNeeded, reduced). A partition that has no committed offset,
// or whose position fell out of the log (OFFSET_OUT_OF_RANGE), asks its leader
// for the earliest offset (log start) or the latest (the high watermark, as a
// read_uncommitted consumer sees it) and starts there. With
// auto.offset.reset=none there is nothing to ask: Kafka's poll() throws
// NoOffsetForPartitionException, here on_fatal.
//
// One ListOffsets per leader at a time; leader errors forget the leader and
// refresh metadata, and the partition is asked again on the next call.
#include <functional>
#include <set>

#include "core/consumer/consumer_config.h"
#include "core/consumer/consumer_metadata.h"
#include "core/consumer/subscription_state.h"
#include "core/net/request_tracker.h"

namespace ksim {

class OffsetResetter {
 public:
  OffsetResetter(Env& env, RequestTracker& tracker, const ConsumerConfig& config, SubscriptionState& subscriptions,
                 ConsumerMetadata& metadata);

  // Sends ListOffsets for every partition awaiting a reset.
  void reset_positions();

  std::function<void()> on_progress;
  std::function<void(const TopicPartition&, Errc)> on_fatal;

 private:
  // OffsetFetcher.resetPositionsAsync's onFailure: subscriptions.requestFailed,
  // so a partition is not asked again within retry.backoff.ms.
  void request_failed(const TopicPartition& tp);

  Env& env_;
  RequestTracker& tracker_;
  const ConsumerConfig& config_;
  SubscriptionState& subscriptions_;
  ConsumerMetadata& metadata_;
  std::set<NodeId> in_flight_;
};

}  // namespace ksim
