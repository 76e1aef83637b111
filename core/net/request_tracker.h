#pragma once
// RequestTracker: the client side of Kafka's request/response protocol for one
// node (NetworkClient's in-flight requests). It stamps correlation ids, arms a
// request timeout per request, matches responses to their handlers, and fails
// what is outstanding when a connection breaks or a request times out, so the
// caller sees exactly what a Kafka client sees:
//   - a response                       -> handler(&response, Errc::none)
//   - no response in time              -> handler(nullptr, Errc::request_timed_out)
//   - the connection broke meanwhile   -> handler(nullptr, Errc::network_exception)
// A request that times out closes its connection (NetworkClient.
// handleTimedOutRequests): every other request in flight on that connection
// completes as timed out too. A node can hold several connections to one peer
// (channels): a broker talks to the controller over separate heartbeat, raft,
// alter-partition and forwarding channels, a consumer to its group coordinator
// over a connection of its own; a timeout closes only its own channel, while a
// broken network link fails them all.
// A late response to a request that already failed matches nothing:
// on_response returns false and the caller ignores it, as Kafka's client does.
//
// Connections (ClusterConnectionStates, NetworkClient.ready): each (peer,
// channel) is disconnected, connecting or ready, with Kafka's reconnect
// backoff after a failure. A request goes out only on a ready connection:
//   - ready, or a connect that succeeds at once: sent now;
//   - connecting (the peer is unreachable; the network has not said so yet):
//     held unsent; it fails with network_exception when the connect fails,
//     or times out;
//   - disconnected within its reconnect backoff (blacked out): fails with
//     network_exception at once, without being sent, as ConsumerNetworkClient
//     and InterBrokerSendThread fail requests to a node whose connection
//     failed (checkDisconnects, client.connectionFailed).
// A sender that must not lose a request this way asks ready() first, as
// Kafka's Sender does. Every disconnection (a broken connection, a failed
// connect, a request timeout) calls on_disconnect(peer): the owner's
// metadata updater requests an update then (DefaultMetadataUpdater.
// handleServerDisconnect: "the disconnect may be the result of stale metadata").
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/env/env.h"
#include "core/net/channel.h"
#include "core/net/cluster_connection_states.h"
#include "core/protocol/errors.h"

namespace ksim {

class RequestTracker {
 public:
  using Handler = std::function<void(const Message* response, Errc transport_error)>;

  // `timer_tag` marks this tracker's timeout timers; the node routes on_timer
  // calls with that tag to on_timer().
  // `backoff`: reconnect.backoff.ms / reconnect.backoff.max.ms.
  RequestTracker(Env& env, TimerTag timer_tag, ReconnectBackoff backoff = {})
      : env_(env), timer_tag_(timer_tag), connections_(backoff) {}

  // Sends `request` to `to` on `channel` with a fresh correlation id; returns
  // it. A connection that is not ready holds or fails it (see the header).
  int32_t send(NodeId to, Message request, Duration timeout, Handler handler, Channel channel = Channel::main);

  // NetworkClient.ready: whether a request to `to` would go out now; opens
  // the connection if it may (canConnect -> initiateConnect).
  bool ready(NodeId to, Channel channel = Channel::main);
  // NetworkClient.isReady, without opening anything.
  bool is_ready(NodeId to, Channel channel = Channel::main) const { return connections_.is_ready(to, channel); }
  // NetworkClient.connectionDelay: the reconnect backoff left (nullopt while
  // connecting or ready).
  std::optional<Duration> connection_delay(NodeId to, Channel channel = Channel::main) const {
    return connections_.connection_delay(to, channel, env_.now());
  }
  const ClusterConnectionStates& connections() const { return connections_; }
  // Called once per disconnection of a peer (see the header).
  std::function<void(NodeId peer)> on_disconnect;

  // Routes a response; false if it is not a response to a request of ours.
  bool on_response(NodeId from, const Message& response);
  // Routes a timeout timer (tag == timer_tag()): fails that request and the
  // others on its connection with request_timed_out.
  void on_timer(TimerId id);
  // The network broke the link: fails every outstanding request to `peer`, on
  // every channel, with network_exception.
  void on_connection_lost(NodeId peer);

  TimerTag timer_tag() const { return timer_tag_; }
  size_t outstanding() const { return pending_.size(); }
  size_t outstanding_to(NodeId peer) const;

 private:
  struct Pending {
    int32_t correlation_id;
    NodeId to;
    Channel channel;
    TimerId timer;
    Handler handler;
    bool sent = true;          // false: held while its connection is being opened
    bool disconnected = false;  // its connection was blacked out: the timer fails it at once
  };
  // The channels to `peer` that were not disconnected become so (rule 2 of
  // ClusterConnectionStates); tells on_disconnect if any was.
  void mark_disconnected(NodeId peer, std::optional<Channel> channel);
  // Removes and returns the request at `it`.
  Pending take(std::vector<Pending>::iterator it);
  // Completes, in send order, every outstanding request to `peer` (on
  // `channel` only, if given) with `error`.
  void fail_all_to(NodeId peer, std::optional<Channel> channel, Errc error);

  Env& env_;
  TimerTag timer_tag_;
  ClusterConnectionStates connections_;
  int32_t next_correlation_id_ = 1;
  // In send order, hence sorted by correlation id (ids only grow): failures
  // fire in send order. A handful at a time, so a vector beats any map.
  std::vector<Pending> pending_;
};

// The correlation id of any request or response alternative.
int32_t correlation_id_of(const Message& m);
void set_correlation_id(Message& m, int32_t id);
// Whether a message is a response (its kName ends in "Response").
bool is_response(const Message& m);

}  // namespace ksim
