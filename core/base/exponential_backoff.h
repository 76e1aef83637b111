#pragma once
// ExponentialBackoff: Kafka's retry backoff since KIP-580 (3.7), the formula of
// org.apache.kafka.common.utils.ExponentialBackoff. Like Kafka's, it sits in
// the common utilities because both sides use it: the producer between retries
// of a batch (RecordAccumulator: retry.backoff.ms, multiplier 2,
// retry.backoff.max.ms, jitter 0.2) and the broker between failed heartbeats
// (BrokerLifecycleManager: 100 ms, multiplier 2, at most
// broker.session.timeout.ms, jitter 0.02; core/broker/broker_node.h):
//
//   backoff(attempts) = min(max, floor(random(1 - jitter, 1 + jitter) * initial * 2^min(attempts, expMax)))
//   expMax = log2(max / initial)   (0 when max <= initial: a constant backoff of min(initial, max))
//
// attempts counts retries already made: the first retry waits backoff(0) ~ 100
// ms, the second backoff(1) ~ 200 ms, ... capped at retry.backoff.max.ms. The
// jitter comes from the caller's own Rng stream, not a thread-local one.
#include <cstdint>

#include "core/base/rng.h"

namespace ksim {

class ExponentialBackoff {
 public:
  static constexpr int kMultiplier = 2;
  static constexpr double kJitter = 0.2;

  ExponentialBackoff(int64_t initial_ms, int64_t max_ms, double jitter = kJitter);

  // The backoff in ms before retry number attempts + 1.
  int64_t backoff_ms(int64_t attempts, Rng& rng) const;
  int64_t initial_ms() const { return initial_ms_; }

 private:
  int64_t initial_ms_;
  int64_t max_ms_;
  double jitter_;
  double exp_max_;
};

}  // namespace ksim
