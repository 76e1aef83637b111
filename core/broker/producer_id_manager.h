#pragma once
// ProducerIdManager: how a broker hands out producer ids for InitProducerId
// without a transactional id (KIP-98), from blocks of 1000 ids it gets from
// the controller with AllocateProducerIds (KIP-730). Kafka's
// RPCProducerIdManager (core/.../coordinator/transaction/ProducerIdManager.scala)
// and TransactionCoordinator.handleInitProducerId.
//
//   1. InitProducerId with producer id -1 and epoch -1 asks for a new id; one of
//      the two set without the other is INVALID_REQUEST (KafkaApis). With both
//      set (KIP-360's "bump my epoch") a broker without a transactional id
//      still answers a fresh id: it "blindly accepts" and ignores them.
//   2. A new id is the next unclaimed id of the current block, epoch 0.
//   3. Claiming the id at 90% of the block (first + 900) sends AllocateProducerIds
//      for the next block, so a busy broker rarely runs dry (prefetch).
//   4. When the current block is used up the prefetched one takes its place. If
//      there is none yet the answer is COORDINATOR_LOAD_IN_PROGRESS, which
//      clients retry (Kafka chose it over REQUEST_TIMED_OUT because old clients
//      treat that one as fatal), and a request for a block is sent if none is
//      in flight. A new broker has no block: its first InitProducerId is
//      answered COORDINATOR_LOAD_IN_PROGRESS and fetches the first block.
//   5. A failed AllocateProducerIds (STALE_BROKER_EPOCH before the broker is
//      registered, any error, a block that is not after the current one) backs
//      off 50 ms: no request before then. A lost or timed-out one may be
//      retried at once. Backoff is checked when an id is wanted; no timer.
//
// The state dies with the process: a restarted broker starts with no block and
// the unused rest of its old block is never handed out (as in Kafka).
//
// Invariants: the prefetched block, if any, starts after the current one ends;
// the next id to claim never goes back.
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "core/env/env.h"
#include "core/net/request_tracker.h"
#include "core/protocol/producer_messages.h"

namespace ksim {

class ProducerIdManager {
 public:
  static constexpr int64_t kRetryBackoffMs = 50;   // ProducerIdManager.RetryBackoffMs
  static constexpr int kIterationLimit = 3;        // ProducerIdManager.IterationLimit
  // PidPrefetchThreshold = 0.90, as a fraction of integers.
  static constexpr int64_t kPrefetchNumerator = 9, kPrefetchDenominator = 10;

  struct Block {
    ProducerId first{0};
    int32_t size = 0;
    int64_t last() const { return first.value + size - 1; }
  };

  ProducerIdManager(Env& env, RequestTracker& tracker, NodeId controller, BrokerId broker,
                    std::function<BrokerEpoch()> broker_epoch, int64_t request_timeout_ms);

  // Answers an InitProducerId request (sends the response).
  void handle_init_producer_id(NodeId from, const InitProducerIdRequest& req);

  // RPCProducerIdManager.generateProducerId: an id, or COORDINATOR_LOAD_IN_PROGRESS.
  std::pair<Errc, ProducerId> generate_producer_id();

  bool has_prefetched_block() const { return next_block_.has_value(); }
  bool request_in_flight() const { return request_in_flight_; }
  const Block& current_block() const { return current_; }

  void check_invariants() const;

 private:
  void maybe_request_next_block();
  void send_request();
  void on_response(const AllocateProducerIdsResponse& response);

  Env& env_;
  RequestTracker& tracker_;
  NodeId controller_;
  BrokerId broker_;
  std::function<BrokerEpoch()> broker_epoch_;
  int64_t request_timeout_ms_;

  Block current_;                   // ProducerIdsBlock.EMPTY at first (size 0)
  int64_t next_id_ = 0;             // the current block's claim counter
  std::optional<Block> next_block_;
  bool request_in_flight_ = false;
  int64_t backoff_deadline_ms_ = -1;  // -1: NoRetry
};

}  // namespace ksim
