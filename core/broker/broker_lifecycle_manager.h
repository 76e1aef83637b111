#pragma once
// BrokerLifecycleManager: a broker's registration with the controller and its
// heartbeats (Kafka's BrokerLifecycleManager, KIP-631), over its own
// "heartbeat" NodeToControllerChannelManager, whose retry timeout is
// broker.session.timeout.ms / 2 (KAFKA-14392; 4.5 s by default):
//   1. a heartbeat attempt times out after min(request.timeout.ms, that
//      retry timeout) (request.timeout.ms stands for controller.socket.timeout.ms);
//   2. an attempt lost at the transport (the connection broke, or it timed out:
//      NetworkClient then drops the connection) is re-queued and sent again
//      on the next connection, 50 ms later (the channel's reconnect backoff),
//      while less than the retry timeout has passed since the heartbeat was
//      first sent (NodeToControllerRequestThread.handleResponse/generateRequests);
//   3. past that the heartbeat has failed (onTimeout): the next one goes after
//      100 ms * 2^failures, at most broker.session.timeout.ms, jitter 2%
//      (scheduleNextCommunicationAfterFailure); an error answer is a failure
//      too, except that a stale epoch or unknown broker registers again;
//   4. an answered heartbeat resets the failures, and the next goes
//      broker.heartbeat.interval.ms later (200 ms while shutting down).
// So a short cut between broker and controller never silences a broker for
// longer than about half its session: it is not fenced for it.
//
// Controlled shutdown: heartbeats then ask to shut down (want_shutdown); once
// the controller agrees (should_shut_down) the broker flushes
// (`on_shutdown_approved`) and reports shutdown_complete().
#include <cstdint>
#include <functional>

#include "core/base/exponential_backoff.h"
#include "core/broker/broker_config.h"
#include "core/env/env.h"
#include "core/net/request_tracker.h"

namespace ksim {

class BrokerLifecycleManager {
 public:
  // The broker's timer tags this manager arms (the broker routes them to on_timer).
  struct TimerTags {
    TimerTag heartbeat;
    TimerTag heartbeat_resend;
    TimerTag register_again;
  };
  struct Callbacks {
    // The last metadata offset the broker applied (highestMetadataOffsetProvider).
    std::function<int64_t()> metadata_offset;
    // Registered (a new broker epoch); the first heartbeat has been sent.
    std::function<void()> on_registered;
    // The controller let the broker shut down: flush before it is reported.
    std::function<void()> on_shutdown_approved;
  };

  BrokerLifecycleManager(Env& env, RequestTracker& tracker, const BrokerConfig& config, TimerTags tags,
                         Callbacks callbacks);

  // Registers as this incarnation of the broker, then heartbeats.
  void start(uint64_t incarnation_id);
  void on_timer(TimerTag tag);
  void begin_controlled_shutdown();

  BrokerEpoch broker_epoch() const { return broker_epoch_; }
  bool registered() const { return registered_; }
  bool fenced() const { return fenced_; }
  bool shutdown_complete() const { return shutdown_complete_; }

 private:
  void send_registration();
  void send_heartbeat();
  void send_heartbeat_attempt();
  void on_heartbeat_lost(Duration retry_timeout);
  void on_heartbeat_answered(const BrokerHeartbeatResponse& r);
  void on_heartbeat_failed();

  Env& env_;
  RequestTracker& tracker_;
  const BrokerConfig& config_;
  TimerTags tags_;
  Callbacks callbacks_;
  uint64_t incarnation_id_ = 0;
  BrokerEpoch broker_epoch_{-1};
  bool registered_ = false;
  bool fenced_ = true;
  bool heartbeat_in_flight_ = false;  // from a heartbeat's first attempt to its answer or failure
  SimTime heartbeat_created_;         // when the heartbeat in flight was first sent
  int64_t heartbeat_failures_ = 0;    // failed heartbeats since the last answered one
  ExponentialBackoff heartbeat_backoff_;
  bool shutting_down_ = false;
  bool shutdown_complete_ = false;
};

}  // namespace ksim
