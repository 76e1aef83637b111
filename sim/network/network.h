#pragma once
// Network: the simulated links between nodes (brokers, the controller, clients).
//
// The topology is a Boost.Graph adjacency matrix: a vertex per node, an edge per
// direction carrying its LinkState. It lives in network.cc (Network::Topology),
// so the many files that include this header do not parse Boost.Graph. While a link is up it behaves like a TCP
// connection: lossless and FIFO in each direction, latency drawn from the
// link's range. Cutting a link (isolate, partition) breaks the connection: what
// is in flight is lost, and both ends are told after `disconnect_detection`,
// as Kafka's NetworkClient notices a disconnect. Sending to an unreachable or
// crashed node loses the message and tells the sender the same way.
//
// A message lost on its way (a drop rule, a lossy link) breaks its connection,
// as it must over TCP, which never delivers past a hole in its stream:
//   1. the lost message, and every message sent after it the same way, is
//      lost (dropped at send: "connection_broken");
//   2. messages sent before it, and those going the other way, still arrive
//      while the connection lasts;
//   3. both ends are told after `disconnect_detection`; the first to be told
//      closes the connection: what is still in flight on it, either way, is
//      lost, and later messages travel on a new connection. Clients then fail
//      their in-flight requests and reconnect, as after any broken connection.
// So "drop the Nth ProduceResponse" is a lost acknowledgement whose connection
// dies with it, never a hole that later responses skip over.
//
// A response to a parked request goes back on the connection its request came
// in on (Network::respond, core/env/connection.h): once that connection has
// closed, the response is dropped ("connection_closed"). A restarted or
// reconnected client never receives an answer meant for its old connection.
//
// Faults aimed at messages (drop the Nth match, hold and release) are
// MessageRules checked at send time. Held messages leave the FIFO stream, as
// if re-sent later on another connection: a hold is a delay, not a loss.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/rng.h"
#include "core/protocol/message.h"
#include "core/trace/trace_event.h"
#include "sim/network/link.h"
#include "sim/network/message_rule.h"

namespace ksim {

struct NetworkOptions {
  LinkSpec default_link;
  // How long a node takes to notice a broken connection.
  Duration disconnect_detection = millis(10);
};

// What a Network needs from the simulation around it.
class NetworkHost {
 public:
  virtual ~NetworkHost() = default;
  virtual SimTime now() const = 0;
  virtual void schedule_delivery(NodeId to, uint64_t slot, SimTime at) = 0;
  virtual void schedule_connection_lost(NodeId node, NodeId peer, SimTime at) = 0;
  virtual void trace_from(NodeId node, trace::Payload event) = 0;
};

struct InFlightMessage {
  uint64_t msg_id = 0;
  NodeId from;
  NodeId to;
  uint64_t connection = 0;
  Message message;
};

class Network {
 public:
  Network(size_t node_count, NetworkOptions options, NetworkHost& host, Rng rng);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  size_t node_count() const { return node_count_; }
  const NetworkOptions& options() const { return options_; }

  // --- traffic ---------------------------------------------------------------
  void send(NodeId from, NodeId to, Message msg);
  // Sends a response on `connection`, the connection its request came in on:
  // if that connection has closed since (the link broke, or either end
  // crashed), the response is dropped ("connection_closed") and nobody is
  // told, as Kafka's SocketServer drops a response for a closed channel.
  void respond(NodeId from, NodeId to, uint64_t connection, Message msg);
  // A connect from `from` to `to` (the node's NetworkClient opening a
  // connection): true if a message sent now would not be dropped for
  // receiver_down or link_down (`to` is up and the link from -> to is up; a
  // one-way cut keeps the other direction usable, as `send` does); otherwise
  // false, and `from` is told the connection is lost after
  // `disconnect_detection` (a refused or unanswered connect). Sends nothing.
  bool connect(NodeId from, NodeId to);
  // The delivery scheduled for `slot` is due: the message, unless it was lost
  // on the way. Frees the slot either way.
  std::optional<InFlightMessage> take(uint64_t slot);
  // The connection-lost notice for node <- peer is due; false if it was
  // superseded (the link came back and nothing failed since).
  bool take_notice(NodeId node, NodeId peer);

  // --- topology faults ------------------------------------------------------
  // Sets each direction of the link between a and b; a direction going down
  // breaks the connection (both ways, as TCP does).
  void set_link(NodeId a, NodeId b, bool up_a_to_b, bool up_b_to_a);
  void isolate(NodeId n);
  // Nodes in different groups cannot talk; nodes in no group keep all links.
  void partition(const std::vector<std::vector<NodeId>>& groups);
  void heal_all();
  void set_link_spec(NodeId a, NodeId b, const LinkSpec& spec);  // both directions
  const LinkState& link(NodeId from, NodeId to) const;

  // --- node lifecycle (called by the simulation) ---------------------------
  void node_down(NodeId n);
  void node_up(NodeId n);
  bool is_node_up(NodeId n) const { return node_up_[n.value]; }

  // --- message rules --------------------------------------------------------
  RuleId add_rule(MessageRule rule);
  void remove_rule(RuleId id);
  // Sends every message held by rule `id` now (each with a fresh latency).
  size_t release_held(RuleId id);
  const std::vector<MessageRule>& rules() const { return rules_; }

  // --- reachability (Boost.Graph) -------------------------------------------
  // Groups of live nodes that can all reach each other over up links (strongly
  // connected components), each sorted, ordered by their smallest member.
  std::vector<std::vector<NodeId>> components() const;
  bool can_reach(NodeId from, NodeId to) const;

  size_t in_flight() const { return in_flight_count_; }

 private:
  struct Slot {
    bool used = false;
    uint64_t generation = 0;
    InFlightMessage msg;
  };
  struct Held {
    RuleId rule;
    InFlightMessage msg;
  };

  LinkState& state(NodeId from, NodeId to);
  void break_connection(NodeId a, NodeId b, std::string_view reason);
  // Loses what is in flight between a and b (both ways) and starts a new
  // connection; tells no one.
  void close_connection(NodeId a, NodeId b, std::string_view reason);
  // A message lost on its way (a drop rule, a lossy link): see the header.
  void lose_with_connection(const InFlightMessage& m, std::string_view reason);
  void notify_lost(NodeId node, NodeId peer);
  void drop(const InFlightMessage& m, std::string_view reason);
  void transmit(InFlightMessage m);  // puts m on the wire with a fresh latency
  uint64_t allocate_slot(InFlightMessage m);

  NetworkOptions options_;
  NetworkHost& host_;
  Rng rng_;
  size_t node_count_;
  struct Topology;  // the Boost.Graph adjacency matrix (network.cc)
  std::unique_ptr<Topology> topology_;
  std::vector<bool> node_up_;
  std::vector<Slot> slots_;
  std::vector<uint64_t> free_slots_;
  size_t in_flight_count_ = 0;
  uint64_t next_msg_id_ = 1;
  std::vector<MessageRule> rules_;
  std::vector<Held> held_;
};

}  // namespace ksim
