#include "sim/network/network.h"

#include <algorithm>
#include <boost/graph/adjacency_matrix.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/property_map/property_map.hpp>

#include "core/base/assert.h"

namespace ksim {

struct Network::Topology {
  using Graph = boost::adjacency_matrix<boost::directedS, boost::no_property, LinkState>;
  explicit Topology(size_t node_count) : graph(node_count) {}
  Graph graph;
};

namespace {

// A delivery names its slot and the slot's generation, so a delivery event of a
// message that was dropped never hands over a later message in the same slot.
constexpr uint64_t slot_ticket(uint64_t index, uint64_t generation) { return (generation << 32) | index; }
constexpr uint64_t ticket_index(uint64_t ticket) { return ticket & 0xffffffffULL; }
constexpr uint64_t ticket_generation(uint64_t ticket) { return ticket >> 32; }

bool matches(const MessageMatch& m, const InFlightMessage& msg) {
  return (m.type.empty() || m.type == message_name(msg.message)) && (m.from == kNoNode || m.from == msg.from) &&
         (m.to == kNoNode || m.to == msg.to);
}

}  // namespace

Network::Network(size_t node_count, NetworkOptions options, NetworkHost& host, Rng rng)
    : options_(options),
      host_(host),
      rng_(rng),
      node_count_(node_count),
      topology_(std::make_unique<Topology>(node_count)),
      node_up_(node_count, true) {
  for (size_t a = 0; a < node_count; ++a)
    for (size_t b = 0; b < node_count; ++b)
      if (a != b)
        boost::add_edge(a, b, LinkState{options_.default_link, true, {}, 0, false, false}, topology_->graph);
}

Network::~Network() = default;

LinkState& Network::state(NodeId from, NodeId to) {
  KSIM_ASSERT_MSG(from != to && from.value < node_count() && to.value < node_count(),
                  "no link " << from.value << " -> " << to.value);
  return topology_->graph[boost::edge(from.value, to.value, topology_->graph).first];
}

const LinkState& Network::link(NodeId from, NodeId to) const {
  KSIM_ASSERT(from != to && from.value < node_count() && to.value < node_count());
  return topology_->graph[boost::edge(from.value, to.value, topology_->graph).first];
}

uint64_t Network::allocate_slot(InFlightMessage m) {
  uint64_t index;
  if (!free_slots_.empty()) {
    index = free_slots_.back();
    free_slots_.pop_back();
  } else {
    index = slots_.size();
    slots_.emplace_back();
  }
  Slot& s = slots_[index];
  s.used = true;
  ++s.generation;
  s.msg = std::move(m);
  ++in_flight_count_;
  return slot_ticket(index, s.generation);
}

void Network::send(NodeId from, NodeId to, Message msg) {
  InFlightMessage m{next_msg_id_++, from, to, 0, std::move(msg)};

  for (RuleId id = 0; id < rules_.size(); ++id) {
    MessageRule& rule = rules_[id];
    if (!rule.active || !matches(rule.match, m)) continue;
    ++rule.seen;
    const bool in_range = rule.seen >= rule.nth && (rule.count < 0 || rule.seen < rule.nth + rule.count);
    if (!in_range) continue;
    if (rule.action == RuleAction::drop) {
      lose_with_connection(m, "fault_rule");
    } else {
      host_.trace_from(from, trace::MessageHeld{m.msg_id, to, message_name(m.message)});
      held_.push_back(Held{id, std::move(m)});
    }
    return;
  }

  if (!node_up_[to.value]) {
    drop(m, "receiver_down");
    notify_lost(from, to);
    return;
  }
  if (!state(from, to).up) {
    drop(m, "link_down");
    notify_lost(from, to);
    return;
  }
  if (state(from, to).dead) {
    drop(m, "connection_broken");
    return;
  }
  if (rng_.chance(state(from, to).spec.loss)) {
    lose_with_connection(m, "lossy_link");
    return;
  }
  transmit(std::move(m));
}

void Network::respond(NodeId from, NodeId to, uint64_t connection, Message msg) {
  // close_connection moves both directions to a new connection together.
  if (state(from, to).connection != connection) {
    drop(InFlightMessage{next_msg_id_++, from, to, connection, std::move(msg)}, "connection_closed");
    return;
  }
  send(from, to, std::move(msg));
}

bool Network::connect(NodeId from, NodeId to) {
  if (node_up_[to.value] && state(from, to).up) return true;
  notify_lost(from, to);
  return false;
}

void Network::transmit(InFlightMessage m) {
  LinkState& l = state(m.from, m.to);
  const Duration latency = rng_.duration_between(l.spec.latency_min, l.spec.latency_max) + l.spec.extra_delay;
  const SimTime arrival = std::max(host_.now() + latency, l.last_arrival);
  l.last_arrival = arrival;
  m.connection = l.connection;
  const NodeId from = m.from, to = m.to;
  host_.trace_from(from, trace::MessageSent{m.msg_id, to, message_name(m.message), message_size_bytes(m.message), arrival});
  const uint64_t ticket = allocate_slot(std::move(m));
  host_.schedule_delivery(to, ticket, arrival);
}

std::optional<InFlightMessage> Network::take(uint64_t ticket) {
  const uint64_t index = ticket_index(ticket);
  KSIM_ASSERT(index < slots_.size());
  Slot& s = slots_[index];
  if (!s.used || s.generation != ticket_generation(ticket)) return std::nullopt;
  s.used = false;
  free_slots_.push_back(index);
  --in_flight_count_;
  KSIM_ASSERT(s.msg.connection == state(s.msg.from, s.msg.to).connection);
  return std::move(s.msg);
}

void Network::drop(const InFlightMessage& m, std::string_view reason) {
  host_.trace_from(m.from, trace::MessageDropped{m.msg_id, m.to, message_name(m.message), reason});
}

void Network::notify_lost(NodeId node, NodeId peer) {
  LinkState& l = state(node, peer);
  if (l.notice_pending) return;
  l.notice_pending = true;
  host_.schedule_connection_lost(node, peer, host_.now() + options_.disconnect_detection);
}

bool Network::take_notice(NodeId node, NodeId peer) {
  LinkState& l = state(node, peer);
  if (!l.notice_pending) return false;
  l.notice_pending = false;
  // The first endpoint to notice a connection that lost a message closes it.
  if (l.dead || state(peer, node).dead) close_connection(node, peer, "connection_broken");
  return node_up_[node.value];
}

void Network::lose_with_connection(const InFlightMessage& m, std::string_view reason) {
  drop(m, reason);
  state(m.from, m.to).dead = true;
  if (node_up_[m.from.value]) notify_lost(m.from, m.to);
  if (node_up_[m.to.value]) notify_lost(m.to, m.from);
}

void Network::close_connection(NodeId a, NodeId b, std::string_view reason) {
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    LinkState& l = state(from, to);
    ++l.connection;
    l.last_arrival = host_.now();
    l.dead = false;
  }
  // Lose what was in flight on the connection, in send order.
  std::vector<uint64_t> lost;
  for (uint64_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.used && ((s.msg.from == a && s.msg.to == b) || (s.msg.from == b && s.msg.to == a))) lost.push_back(i);
  }
  std::sort(lost.begin(), lost.end(),
            [&](uint64_t x, uint64_t y) { return slots_[x].msg.msg_id < slots_[y].msg.msg_id; });
  for (uint64_t i : lost) {
    Slot& s = slots_[i];
    drop(s.msg, reason);
    s.used = false;
    free_slots_.push_back(i);
    --in_flight_count_;
  }
}

void Network::break_connection(NodeId a, NodeId b, std::string_view reason) {
  close_connection(a, b, reason);
  if (node_up_[a.value]) notify_lost(a, b);
  if (node_up_[b.value]) notify_lost(b, a);
}

void Network::set_link(NodeId a, NodeId b, bool up_a_to_b, bool up_b_to_a) {
  LinkState& ab = state(a, b);
  LinkState& ba = state(b, a);
  if (ab.up == up_a_to_b && ba.up == up_b_to_a) return;
  const bool goes_down = (ab.up && !up_a_to_b) || (ba.up && !up_b_to_a);
  ab.up = up_a_to_b;
  ba.up = up_b_to_a;
  host_.trace_from(a, trace::LinkChanged{b, up_a_to_b, up_b_to_a});
  if (goes_down) break_connection(a, b, "connection_broken");
}

void Network::isolate(NodeId n) {
  for (uint32_t m = 0; m < node_count(); ++m)
    if (m != n.value) set_link(n, NodeId(m), false, false);
}

void Network::partition(const std::vector<std::vector<NodeId>>& groups) {
  std::vector<int> group_of(node_count(), -1);
  for (size_t g = 0; g < groups.size(); ++g)
    for (NodeId n : groups[g]) group_of[n.value] = static_cast<int>(g);
  for (uint32_t a = 0; a < node_count(); ++a)
    for (uint32_t b = a + 1; b < node_count(); ++b) {
      const bool up = group_of[a] < 0 || group_of[b] < 0 || group_of[a] == group_of[b];
      set_link(NodeId(a), NodeId(b), up, up);
    }
}

void Network::heal_all() {
  for (uint32_t a = 0; a < node_count(); ++a)
    for (uint32_t b = a + 1; b < node_count(); ++b) set_link(NodeId(a), NodeId(b), true, true);
}

void Network::set_link_spec(NodeId a, NodeId b, const LinkSpec& spec) {
  state(a, b).spec = spec;
  state(b, a).spec = spec;
}

void Network::node_down(NodeId n) {
  node_up_[n.value] = false;
  for (uint32_t m = 0; m < node_count(); ++m)
    if (m != n.value) {
      break_connection(n, NodeId(m), "connection_broken");
      state(n, NodeId(m)).notice_pending = false;  // a dead node hears nothing
    }
}

void Network::node_up(NodeId n) { node_up_[n.value] = true; }

RuleId Network::add_rule(MessageRule rule) {
  KSIM_ASSERT(rule.nth >= 1 && rule.count != 0);
  rule.seen = 0;
  rule.active = true;
  rules_.push_back(std::move(rule));
  return static_cast<RuleId>(rules_.size() - 1);
}

void Network::remove_rule(RuleId id) {
  KSIM_ASSERT(id < rules_.size());
  rules_[id].active = false;
}

size_t Network::release_held(RuleId id) {
  std::vector<InFlightMessage> released;
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->rule == id) {
      released.push_back(std::move(it->msg));
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
  for (InFlightMessage& m : released) {
    if (!node_up_[m.to.value] || !node_up_[m.from.value]) {
      drop(m, "receiver_down");
    } else if (!state(m.from, m.to).up) {
      drop(m, "link_down");
    } else {
      transmit(std::move(m));
    }
  }
  return released.size();
}

std::vector<std::vector<NodeId>> Network::components() const {
  using Graph = Topology::Graph;
  const Graph& graph = topology_->graph;
  struct UpLink {
    const Graph* g;
    bool operator()(Graph::edge_descriptor e) const { return (*g)[e].up; }
  };
  struct LiveNode {
    const std::vector<bool>* up;
    bool operator()(Graph::vertex_descriptor v) const { return (*up)[v]; }
  };
  boost::filtered_graph<Graph, UpLink, LiveNode> live(graph, UpLink{&graph}, LiveNode{&node_up_});
  std::vector<int> component(node_count(), -1);
  boost::strong_components(
      live, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, graph)));
  // Renumber by smallest member so the answer does not depend on Boost's order.
  std::vector<std::vector<NodeId>> groups;
  std::vector<int> renumber(node_count(), -1);
  for (uint32_t v = 0; v < node_count(); ++v) {
    if (!node_up_[v]) continue;
    int& r = renumber[component[v]];
    if (r < 0) {
      r = static_cast<int>(groups.size());
      groups.emplace_back();
    }
    groups[r].push_back(NodeId(v));
  }
  return groups;
}

bool Network::can_reach(NodeId from, NodeId to) const {
  return node_up_[from.value] && node_up_[to.value] && link(from, to).up;
}

}  // namespace ksim
