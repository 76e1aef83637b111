#pragma once
// ClusterConnectionStates: the state of a node's connection to each peer, per
// channel, as Kafka's NetworkClient keeps it (ClusterConnectionStates.java).
//
//   DISCONNECTED --canConnect (backoff passed)--> CONNECTING --> READY
//        ^                                            |            |
//        +------ the connect failed, or the connection broke, or a request timed out
//
//   1. A connection nobody opened yet can be opened at once (canConnect with
//      no state). NetworkClient.ready(node) opens it (initiateConnect) when it
//      may and answers whether requests can go now.
//   2. disconnected(now): lastConnectAttemptMs = now; the reconnect backoff
//      becomes reconnect.backoff.ms * 2^failedAttempts (capped at
//      reconnect.backoff.max.ms, +-20% jitter: ExponentialBackoff with base 2
//      and jitter 0.2), then failedAttempts++ (updateReconnectBackoff).
//   3. canConnect = DISCONNECTED and now - lastConnectAttemptMs >= backoff;
//      while not, the peer is "blacked out" (isBlackedOut) and
//      connectionDelay is the time left.
//   4. ready(): READY, failedAttempts = 0 (resetReconnectBackoff).
//
// ksim's network has no handshake: a connection to a reachable peer is READY
// the moment it is opened (Kafka's is READY after the TCP connect and the
// ApiVersions exchange). A connect to a peer that is down or cut off stays
// CONNECTING until the network says the connection is lost, after its
// disconnect detection delay (Kafka: connection refused, or
// socket.connection.setup.timeout.ms), and then counts as a failed attempt.
// The backoff's jitter is drawn only when a connection fails, so a run
// without failures draws nothing from the node's random stream.
#include <map>
#include <optional>
#include <utility>

#include "core/base/ids.h"
#include "core/base/rng.h"
#include "core/base/time.h"
#include "core/net/channel.h"
#include "core/base/exponential_backoff.h"

namespace ksim {

enum class ConnectionState : uint8_t { disconnected, connecting, ready };

// reconnect.backoff.ms / reconnect.backoff.max.ms (CommonClientConfigs: 50 /
// 1000 for the producer and the consumer). A broker's own clients use 0 / 0
// (ReplicaFetcherBlockingSend's NetworkClient): no blackout at all.
struct ReconnectBackoff {
  int64_t initial_ms = 0;
  int64_t max_ms = 0;
};

class ClusterConnectionStates {
 public:
  explicit ClusterConnectionStates(ReconnectBackoff backoff)
      : backoff_(backoff), exponential_(backoff.initial_ms, backoff.max_ms) {}

  // Rule 3 (and rule 1 for a peer never connected).
  bool can_connect(NodeId peer, Channel channel, SimTime now) const;
  bool is_blacked_out(NodeId peer, Channel channel, SimTime now) const;
  bool is_ready(NodeId peer, Channel channel) const;
  bool is_connecting(NodeId peer, Channel channel) const;
  // How long until a connect may be tried (0 if now; nullopt while
  // connecting or ready: an event will tell).
  std::optional<Duration> connection_delay(NodeId peer, Channel channel, SimTime now) const;
  // The last time a connect was tried or a connection failed (leastLoadedNode
  // prefers the peer tried longest ago).
  SimTime last_connect_attempt(NodeId peer, Channel channel) const;

  void connecting(NodeId peer, Channel channel, SimTime now);
  void ready(NodeId peer, Channel channel);
  // Rule 2. A connection already disconnected stays as it is (the network
  // may report the loss of a connection the node closed itself).
  void disconnected(NodeId peer, Channel channel, SimTime now, Rng& rng);

  const ReconnectBackoff& backoff() const { return backoff_; }

 private:
  struct NodeState {
    ConnectionState state = ConnectionState::disconnected;
    SimTime last_connect_attempt;
    int64_t failed_attempts = 0;
    int64_t reconnect_backoff_ms = 0;
  };
  using Key = std::pair<NodeId, Channel>;
  const NodeState* find(NodeId peer, Channel channel) const;

  ReconnectBackoff backoff_;
  ExponentialBackoff exponential_;
  std::map<Key, NodeState> states_;
};

}  // namespace ksim
