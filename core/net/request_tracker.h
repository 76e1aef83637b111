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
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/env/env.h"
#include "core/protocol/errors.h"

namespace ksim {

// Which of a node's connections to a peer a request travels on. The broker's
// channels to the controller are BrokerServer's NodeToControllerChannelManagers.
enum class Channel : uint8_t {
  main,             // a client's connection to a broker; a broker's fetcher to a leader
  coordinator,      // a consumer's own connection to its group coordinator
                    // (AbstractCoordinator: node id Integer.MAX_VALUE - coordinator id)
  heartbeat,        // broker -> controller, "heartbeat": BrokerLifecycleManager's registration and heartbeats
  raft,             // broker -> controller: the metadata log fetch (KafkaRaftClient's own NetworkClient)
  alter_partition,  // broker -> controller, "alter-partition": AlterPartitionManager
  forwarding,       // broker -> controller, "forwarding": auto-created topics, ProducerIdManager.rpc
};

class RequestTracker {
 public:
  using Handler = std::function<void(const Message* response, Errc transport_error)>;

  // `timer_tag` marks this tracker's timeout timers; the node routes on_timer
  // calls with that tag to on_timer().
  RequestTracker(Env& env, TimerTag timer_tag) : env_(env), timer_tag_(timer_tag) {}

  // Sends `request` to `to` on `channel` with a fresh correlation id; returns it.
  int32_t send(NodeId to, Message request, Duration timeout, Handler handler, Channel channel = Channel::main);

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
  };
  // Removes and returns the request at `it`.
  Pending take(std::vector<Pending>::iterator it);
  // Completes, in send order, every outstanding request to `peer` (on
  // `channel` only, if given) with `error`.
  void fail_all_to(NodeId peer, std::optional<Channel> channel, Errc error);

  Env& env_;
  TimerTag timer_tag_;
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
