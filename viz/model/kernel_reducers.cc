// Reducers of the simulation kernel's events: node lifecycle, messages, links,
// disks, faults (core/trace/kernel_events.h).
#include <algorithm>

#include "viz/model/reducers.h"

namespace ksim::viz {
namespace {

NodeState* node_of(ClusterState& s, NodeId n) { return n.value < s.nodes.size() ? &s.nodes[n.value] : nullptr; }

template <class T>
void push_bounded(std::vector<T>& v, T item, size_t bound) {
  if (v.size() >= bound) v.erase(v.begin());
  v.push_back(std::move(item));
}

void set_status(ClusterState& s, const EventContext& c, NodeStatus status) {
  if (NodeState* n = node_of(s, c.event.node)) {
    n->status = status;
    n->status_since = c.event.time;
  }
}

}  // namespace

void reduce(ClusterState& s, const EventContext& c, const trace::NodeStarted& e) {
  set_status(s, c, NodeStatus::running);
  if (NodeState* n = node_of(s, c.event.node)) n->incarnation = e.incarnation;
}

void reduce(ClusterState& s, const EventContext& c, const trace::NodeCrashed& e) {
  set_status(s, c, NodeStatus::crashed);
  if (NodeState* n = node_of(s, c.event.node)) {
    n->power_loss = e.power_loss;
    n->crashed_at = c.event.time;
    n->ever_crashed = true;
  }
  if (c.journeys) {
    JourneyStep st{c.index, c.event.time, JourneyKind::producer_crashed, c.event.node, Offset(-1),
                   "before an answer: whether the batch was written, it never learns", kNoNode, true};
    c.journeys->producer_crashed(c.event.node, st);
  }
}

void reduce(ClusterState& s, const EventContext& c, const trace::NodePaused& e) {
  set_status(s, c, NodeStatus::paused);
  if (NodeState* n = node_of(s, c.event.node)) n->paused_until = c.event.time + e.duration;
}

void reduce(ClusterState& s, const EventContext& c, const trace::NodeResumed&) {
  NodeState* n = node_of(s, c.event.node);
  // A node that crashed during its pause stays crashed.
  if (n && n->status == NodeStatus::paused) set_status(s, c, NodeStatus::running);
}

void reduce(ClusterState& s, const EventContext& c, const trace::MessageSent& e) {
  // A released held message is sent under the same id: it now travels.
  s.in_flight[e.msg_id] = MessageInFlight{e.msg_id, c.event.node, e.to,     e.type,
                                          e.bytes,  c.event.time, e.deliver_at, false};
}

void reduce(ClusterState& s, const EventContext& c, const trace::MessageDelivered& e) {
  s.in_flight.erase(e.msg_id);
  // The coordinator's member_joined follows the JoinGroup it accepts at once:
  // remember who sent it, to name the member (group_reducers.cc).
  if (e.type == "JoinGroup") s.last_join_group[c.event.node] = JoinGroupArrival{e.from, c.event.time};
  // A heartbeat restarts the session timer of the member the sender runs
  // (group_reducers.cc says when else the coordinator restarts it).
  if (e.type == "Heartbeat") note_heartbeat(s, c, e.from);
}

void reduce(ClusterState& s, const EventContext& c, const trace::MessageDropped& e) {
  // A message dropped at its send (a cut link, a dead receiver, a drop rule)
  // never had a message_sent: it drops at the sender.
  MessageInFlight m{e.msg_id, c.event.node, e.to, e.type, 0, c.event.time, c.event.time, false};
  if (auto it = s.in_flight.find(e.msg_id); it != s.in_flight.end()) {
    m = it->second;
    s.in_flight.erase(it);
  }
  push_bounded(s.recent_drops, DroppedMessage{m, c.event.time, e.reason, c.index}, ClusterState::kRecentDrops);
}

void reduce(ClusterState& s, const EventContext& c, const trace::MessageHeld& e) {
  s.in_flight[e.msg_id] = MessageInFlight{e.msg_id, c.event.node, e.to, e.type, 0, c.event.time, c.event.time, true};
}

void reduce(ClusterState& s, const EventContext& c, const trace::LinkChanged& e) {
  const size_t n = s.nodes.size();
  const NodeId a = c.event.node, b = e.peer;
  if (a.value >= n || b.value >= n) return;
  s.link_up[static_cast<size_t>(a.value) * n + b.value] = e.up_to_peer ? 1 : 0;
  s.link_up[static_cast<size_t>(b.value) * n + a.value] = e.up_from_peer ? 1 : 0;
}

void reduce(ClusterState&, const EventContext&, const trace::ConnectionLost&) {
  // What the node noticed, not a change of the network: the events panel shows it.
}

void reduce(ClusterState& s, const EventContext& c, const trace::DiskFlushed& e) {
  if (c.event.node.value >= s.disks.size()) return;
  DiskFileState& f = s.disks[c.event.node.value][e.file];
  f.durable_entries = e.durable_entries;
  f.fsync = e.fsync;
  f.flushed_at = c.event.time;
}

void reduce(ClusterState& s, const EventContext& c, const trace::DiskLost& e) {
  if (c.event.node.value >= s.disks.size()) return;
  DiskFileState& f = s.disks[c.event.node.value][e.file];
  f.lost_entries = e.entries_before - e.entries_after;
  f.lost_at = c.event.time;
  f.ever_lost = true;
  f.durable_entries = e.entries_after;
}

void reduce(ClusterState& s, const EventContext& c, const trace::FaultInjected& e) {
  push_bounded(s.recent_faults, FaultNote{e.fault, e.detail, c.event.time, c.index}, ClusterState::kRecentFaults);
}

void reduce(ClusterState& s, const EventContext& c, const trace::Note& e) {
  if (NodeState* n = node_of(s, c.event.node)) n->last_note = e.text;
}

}  // namespace ksim::viz
