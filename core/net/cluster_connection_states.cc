#include "core/net/cluster_connection_states.h"

#include <algorithm>

namespace ksim {

const ClusterConnectionStates::NodeState* ClusterConnectionStates::find(NodeId peer, Channel channel) const {
  auto it = states_.find(Key{peer, channel});
  return it == states_.end() ? nullptr : &it->second;
}

bool ClusterConnectionStates::can_connect(NodeId peer, Channel channel, SimTime now) const {
  const NodeState* s = find(peer, channel);
  if (!s) return true;
  return s->state == ConnectionState::disconnected && now - s->last_connect_attempt >= millis(s->reconnect_backoff_ms);
}

bool ClusterConnectionStates::is_blacked_out(NodeId peer, Channel channel, SimTime now) const {
  const NodeState* s = find(peer, channel);
  return s && s->state == ConnectionState::disconnected && now - s->last_connect_attempt < millis(s->reconnect_backoff_ms);
}

bool ClusterConnectionStates::is_ready(NodeId peer, Channel channel) const {
  const NodeState* s = find(peer, channel);
  return s && s->state == ConnectionState::ready;
}

bool ClusterConnectionStates::is_connecting(NodeId peer, Channel channel) const {
  const NodeState* s = find(peer, channel);
  return s && s->state == ConnectionState::connecting;
}

std::optional<Duration> ClusterConnectionStates::connection_delay(NodeId peer, Channel channel, SimTime now) const {
  const NodeState* s = find(peer, channel);
  if (!s) return Duration{};
  if (s->state != ConnectionState::disconnected) return std::nullopt;
  const Duration waited = now - s->last_connect_attempt;
  return std::max(millis(s->reconnect_backoff_ms) - waited, Duration{});
}

SimTime ClusterConnectionStates::last_connect_attempt(NodeId peer, Channel channel) const {
  const NodeState* s = find(peer, channel);
  return s ? s->last_connect_attempt : SimTime{};
}

void ClusterConnectionStates::connecting(NodeId peer, Channel channel, SimTime now) {
  NodeState& s = states_[Key{peer, channel}];
  s.state = ConnectionState::connecting;
  s.last_connect_attempt = now;
}

void ClusterConnectionStates::ready(NodeId peer, Channel channel) {
  NodeState& s = states_[Key{peer, channel}];
  s.state = ConnectionState::ready;
  s.failed_attempts = 0;  // resetReconnectBackoff
}

void ClusterConnectionStates::disconnected(NodeId peer, Channel channel, SimTime now, Rng& rng) {
  auto it = states_.find(Key{peer, channel});
  if (it == states_.end() || it->second.state == ConnectionState::disconnected) return;
  NodeState& s = it->second;
  s.state = ConnectionState::disconnected;
  s.last_connect_attempt = now;
  // updateReconnectBackoff: the backoff for this failure, then count it.
  s.reconnect_backoff_ms = exponential_.backoff_ms(s.failed_attempts, rng);
  ++s.failed_attempts;
}

}  // namespace ksim
