#include "core/broker/producer_id_manager.h"

#include "core/base/assert.h"

namespace ksim {

ProducerIdManager::ProducerIdManager(Env& env, RequestTracker& tracker, NodeId controller, BrokerId broker,
                                     std::function<BrokerEpoch()> broker_epoch, int64_t request_timeout_ms)
    : env_(env),
      tracker_(tracker),
      controller_(controller),
      broker_(broker),
      broker_epoch_(std::move(broker_epoch)),
      request_timeout_ms_(request_timeout_ms) {}

void ProducerIdManager::handle_init_producer_id(NodeId from, const InitProducerIdRequest& req) {
  InitProducerIdResponse resp;
  resp.correlation_id = req.correlation_id;
  const bool no_id = req.producer_id.value == -1;
  const bool no_epoch = req.producer_epoch.value == -1;
  if (no_id != no_epoch) {
    resp.error = Errc::invalid_request;
  } else {
    auto [error, id] = generate_producer_id();
    resp.error = error;
    if (error == Errc::none) {
      resp.producer_id = id;
      resp.producer_epoch = ProducerEpoch(0);
      env_.trace(trace::ProducerIdAllocated{from, id, resp.producer_epoch});
    }
  }
  env_.send(from, resp);
}

std::pair<Errc, ProducerId> ProducerIdManager::generate_producer_id() {
  for (int iteration = 0; iteration < kIterationLimit;) {
    if (next_id_ <= current_.last()) {
      const int64_t id = next_id_++;
      const int64_t prefetch_target = current_.first.value + current_.size * kPrefetchNumerator / kPrefetchDenominator;
      if (id == prefetch_target) maybe_request_next_block();
      return {Errc::none, ProducerId(id)};
    }
    if (!next_block_) {
      maybe_request_next_block();
      return {Errc::coordinator_load_in_progress, ProducerId(-1)};
    }
    current_ = *next_block_;
    next_id_ = current_.first.value;
    next_block_.reset();
    request_in_flight_ = false;
    ++iteration;
  }
  return {Errc::coordinator_load_in_progress, ProducerId(-1)};
}

void ProducerIdManager::maybe_request_next_block() {
  const int64_t now_ms = env_.now().ms();
  if (backoff_deadline_ms_ != -1 && now_ms < backoff_deadline_ms_) return;
  if (next_block_ || request_in_flight_) return;
  request_in_flight_ = true;
  send_request();
  backoff_deadline_ms_ = -1;
}

void ProducerIdManager::send_request() {
  AllocateProducerIdsRequest req;
  req.broker_id = broker_;
  req.broker_epoch = broker_epoch_();
  tracker_.send(controller_, req, millis(request_timeout_ms_), [this](const Message* response, Errc) {
    if (!response) {
      request_in_flight_ = false;  // handleTimeout: may ask again at once
      return;
    }
    on_response(std::get<AllocateProducerIdsResponse>(*response));
  }, Channel::forwarding);
}

void ProducerIdManager::on_response(const AllocateProducerIdsResponse& r) {
  bool ok = false;
  if (r.error == Errc::none) {
    // handleAllocateProducerIdsResponse's sanity checks.
    const bool monotonic = r.producer_id_start.value >= current_.last();
    const bool valid = r.producer_id_start.value >= 0 && r.producer_id_len >= 0 &&
                       r.producer_id_start.value <= INT64_MAX - r.producer_id_len;
    if (monotonic && valid) {
      next_block_ = Block{r.producer_id_start, r.producer_id_len};
      ok = true;
    }
  }
  if (!ok) {
    backoff_deadline_ms_ = env_.now().ms() + kRetryBackoffMs;
    request_in_flight_ = false;
  }
}

void ProducerIdManager::check_invariants() const {
  KSIM_ASSERT(current_.size >= 0);
  if (next_block_) KSIM_ASSERT_MSG(next_block_->first.value >= current_.last(), "prefetched producer id block overlaps");
}

}  // namespace ksim
