#include "core/broker/broker_lifecycle_manager.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/trace/kernel_events.h"

namespace ksim {
namespace {

// Registration is retried this long after a failure (Kafka's
// BrokerLifecycleManager backs off similarly).
constexpr Duration kRegistrationRetry = millis(100);
// The heartbeat channel's NetworkClient reconnects after 50 ms (reconnect.backoff.ms
// and its max are 50 in NodeToControllerChannelManagerImpl).
constexpr Duration kHeartbeatReconnectBackoff = millis(50);

}  // namespace

BrokerLifecycleManager::BrokerLifecycleManager(Env& env, RequestTracker& tracker, const BrokerConfig& config,
                                               TimerTags tags, Callbacks callbacks)
    : env_(env),
      tracker_(tracker),
      config_(config),
      tags_(tags),
      callbacks_(std::move(callbacks)),
      // BrokerLifecycleManager's resendExponentialBackoff: 100 ms, x2, at most the session, jitter 2%.
      heartbeat_backoff_(100, config_.broker_session_timeout_ms, 0.02) {}

void BrokerLifecycleManager::start(uint64_t incarnation_id) {
  incarnation_id_ = incarnation_id;
  send_registration();
}

void BrokerLifecycleManager::on_timer(TimerTag tag) {
  if (tag == tags_.heartbeat) return send_heartbeat();
  if (tag == tags_.heartbeat_resend) {
    if (heartbeat_in_flight_) send_heartbeat_attempt();
    return;
  }
  KSIM_ASSERT_MSG(tag == tags_.register_again, "not a lifecycle timer: " << tag);
  send_registration();
}

void BrokerLifecycleManager::send_registration() {
  BrokerRegistrationRequest req;
  req.broker = config_.broker_id;
  req.incarnation_id = incarnation_id_;
  req.rack = config_.rack;
  // The registration goes over the same "heartbeat" channel as heartbeats.
  const Duration timeout = std::min(millis(config_.request_timeout_ms), millis(config_.broker_session_timeout_ms / 2));
  tracker_.send(config_.controller, std::move(req), timeout,
                [this](const Message* response, Errc) {
                  if (!response || std::get<BrokerRegistrationResponse>(*response).error != Errc::none) {
                    env_.set_timer(kRegistrationRetry, tags_.register_again);
                    return;
                  }
                  broker_epoch_ = std::get<BrokerRegistrationResponse>(*response).broker_epoch;
                  registered_ = true;
                  send_heartbeat();
                  callbacks_.on_registered();
                }, Channel::heartbeat);
}

void BrokerLifecycleManager::send_heartbeat() {
  if (!registered_ || heartbeat_in_flight_) return;
  heartbeat_in_flight_ = true;
  heartbeat_created_ = env_.now();
  send_heartbeat_attempt();
}

void BrokerLifecycleManager::send_heartbeat_attempt() {
  BrokerHeartbeatRequest req;
  req.broker = config_.broker_id;
  req.broker_epoch = broker_epoch_;
  req.current_metadata_offset = callbacks_.metadata_offset();
  req.want_fence = false;
  req.want_shutdown = shutting_down_;
  const Duration retry_timeout = millis(config_.broker_session_timeout_ms / 2);
  const Duration attempt_timeout = std::min(millis(config_.request_timeout_ms), retry_timeout);
  tracker_.send(config_.controller, std::move(req), attempt_timeout, [this, retry_timeout](const Message* response, Errc) {
    if (!response) return on_heartbeat_lost(retry_timeout);
    heartbeat_in_flight_ = false;
    on_heartbeat_answered(std::get<BrokerHeartbeatResponse>(*response));
  }, Channel::heartbeat);
}

// Steps 2 and 3 of the header.
void BrokerLifecycleManager::on_heartbeat_lost(Duration retry_timeout) {
  if (env_.now() - heartbeat_created_ < retry_timeout) {
    env_.set_timer(kHeartbeatReconnectBackoff, tags_.heartbeat_resend);
    return;
  }
  heartbeat_in_flight_ = false;
  on_heartbeat_failed();
}

void BrokerLifecycleManager::on_heartbeat_answered(const BrokerHeartbeatResponse& r) {
  if (r.error == Errc::stale_broker_epoch || r.error == Errc::broker_id_not_registered) {
    // The controller forgot us (or we it): register again.
    registered_ = false;
    send_registration();
    return;
  }
  if (r.error != Errc::none) return on_heartbeat_failed();
  heartbeat_failures_ = 0;
  fenced_ = r.is_fenced;
  if (shutting_down_ && r.should_shut_down && !shutdown_complete_) {
    callbacks_.on_shutdown_approved();
    shutdown_complete_ = true;
    env_.trace(trace::Note{"controlled shutdown complete"});
  }
  env_.set_timer(millis(shutting_down_ ? 200 : config_.broker_heartbeat_interval_ms), tags_.heartbeat);
}

void BrokerLifecycleManager::on_heartbeat_failed() {
  const int64_t delay_ms = heartbeat_backoff_.backoff_ms(heartbeat_failures_, env_.rng());
  ++heartbeat_failures_;
  env_.set_timer(millis(delay_ms), tags_.heartbeat);
}

void BrokerLifecycleManager::begin_controlled_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  env_.trace(trace::Note{"controlled shutdown requested"});
  send_heartbeat();
}

}  // namespace ksim
