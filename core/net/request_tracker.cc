#include "core/net/request_tracker.h"

#include <algorithm>
#include <vector>

#include "core/base/assert.h"

namespace ksim {

int32_t correlation_id_of(const Message& m) {
  return std::visit(
      [](const auto& alt) -> int32_t {
        if constexpr (requires { alt.correlation_id; }) return alt.correlation_id;
        return -1;
      },
      m);
}

void set_correlation_id(Message& m, int32_t id) {
  std::visit(
      [id](auto& alt) {
        if constexpr (requires { alt.correlation_id; }) alt.correlation_id = id;
      },
      m);
}

bool is_response(const Message& m) {
  const std::string_view name = message_name(m);
  return name.size() > 8 && name.substr(name.size() - 8) == "Response";
}

bool RequestTracker::ready(NodeId to, Channel channel) {
  if (connections_.is_ready(to, channel)) return true;
  if (!connections_.can_connect(to, channel, env_.now())) return false;
  // initiateConnect. ksim's network has no handshake: a reachable peer is
  // ready at once (Kafka answers false now and is ready a poll later).
  connections_.connecting(to, channel, env_.now());
  if (!env_.connect(to)) return false;
  connections_.ready(to, channel);
  return true;
}

int32_t RequestTracker::send(NodeId to, Message request, Duration timeout, Handler handler, Channel channel) {
  KSIM_ASSERT(!is_response(request));
  const int32_t id = next_correlation_id_++;
  set_correlation_id(request, id);
  if (ready(to, channel)) {
    const TimerId timer = env_.set_timer(timeout, timer_tag_);
    pending_.push_back(Pending{id, to, channel, timer, std::move(handler), /*sent=*/true, /*disconnected=*/false});
    env_.send(to, std::move(request));
  } else if (connections_.is_connecting(to, channel)) {
    const TimerId timer = env_.set_timer(timeout, timer_tag_);
    pending_.push_back(Pending{id, to, channel, timer, std::move(handler), /*sent=*/false, /*disconnected=*/false});
  } else {
    // Blacked out: fails on the next event of this node, unsent
    // (ConsumerNetworkClient.checkDisconnects).
    const TimerId timer = env_.set_timer(Duration{}, timer_tag_);
    pending_.push_back(Pending{id, to, channel, timer, std::move(handler), /*sent=*/false, /*disconnected=*/true});
  }
  return id;
}

RequestTracker::Pending RequestTracker::take(std::vector<Pending>::iterator it) {
  Pending p = std::move(*it);
  pending_.erase(it);
  return p;
}

bool RequestTracker::on_response(NodeId from, const Message& response) {
  const int32_t id = correlation_id_of(response);
  auto it = std::lower_bound(pending_.begin(), pending_.end(), id,
                             [](const Pending& p, int32_t wanted) { return p.correlation_id < wanted; });
  if (it == pending_.end() || it->correlation_id != id) return false;
  KSIM_ASSERT_MSG(it->to == from, "response from a node the request was not sent to");
  Pending p = take(it);
  env_.cancel_timer(p.timer);
  p.handler(&response, Errc::none);
  return true;
}

void RequestTracker::on_timer(TimerId timer) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.timer == timer; });
  if (it == pending_.end()) return;
  if (!it->sent) {
    // Never sent: only this request fails; no connection to close.
    Pending p = take(it);
    p.handler(nullptr, p.disconnected ? Errc::network_exception : Errc::request_timed_out);
    return;
  }
  // NetworkClient.handleTimedOutRequests closes the connection, and
  // processTimeoutDisconnection completes all its requests as timed out.
  const NodeId peer = it->to;
  const Channel channel = it->channel;
  mark_disconnected(peer, channel);
  fail_all_to(peer, channel, Errc::request_timed_out);
}

void RequestTracker::on_connection_lost(NodeId peer) {
  mark_disconnected(peer, std::nullopt);
  fail_all_to(peer, std::nullopt, Errc::network_exception);
}

void RequestTracker::mark_disconnected(NodeId peer, std::optional<Channel> channel) {
  bool any = false;
  for (Channel c : {Channel::main, Channel::coordinator, Channel::heartbeat, Channel::raft, Channel::alter_partition,
                    Channel::forwarding}) {
    if (channel && c != *channel) continue;
    if (!connections_.is_ready(peer, c) && !connections_.is_connecting(peer, c)) continue;  // never opened, or down
    connections_.disconnected(peer, c, env_.now(), env_.rng());
    any = true;
  }
  if (any && on_disconnect) on_disconnect(peer);
}

void RequestTracker::fail_all_to(NodeId peer, std::optional<Channel> channel, Errc error) {
  auto on_it = [&](const Pending& p) { return p.to == peer && (!channel || p.channel == *channel); };
  std::vector<int32_t> failed;
  for (const Pending& p : pending_)
    if (on_it(p)) failed.push_back(p.correlation_id);
  for (int32_t id : failed) {
    // A handler may have failed others already, or sent new requests (which
    // go on a new connection and are not failed here).
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.correlation_id == id; });
    if (it == pending_.end()) continue;
    Pending p = take(it);
    env_.cancel_timer(p.timer);
    // A request failed for being blacked out stays so, whatever happens meanwhile.
    p.handler(nullptr, p.disconnected ? Errc::network_exception : error);
  }
}

size_t RequestTracker::outstanding_to(NodeId peer) const {
  size_t n = 0;
  for (const Pending& p : pending_) n += p.to == peer;
  return n;
}

}  // namespace ksim
