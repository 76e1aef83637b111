#include <variant>

#include "viz/model/reducers.h"

namespace ksim::viz {

void apply_event(ClusterState& s, const EventContext& c) {
  // A node that acts is running, even if the trace never said it started (a
  // hand-written trace often does not). Only a node never seen before: a
  // crashed node can still be named by events about it (its messages
  // dropped, its unflushed writes lost) and stays crashed.
  if (c.event.node.value < s.nodes.size() && !std::holds_alternative<trace::NodeStarted>(c.event.payload) &&
      !std::holds_alternative<trace::NodeCrashed>(c.event.payload)) {
    NodeState& n = s.nodes[c.event.node.value];
    if (n.status == NodeStatus::not_started) {
      n.status = NodeStatus::running;
      n.incarnation = 1;
      n.status_since = c.event.time;
    }
  }
  // Kinds without a reducer yet (the group coordinator's) leave the state as is.
  std::visit(
      [&](const auto& e) {
        if constexpr (requires { reduce(s, c, e); }) reduce(s, c, e);
      },
      c.event.payload);
  s.events_applied = c.index + 1;
  s.last_event_time = c.event.time;
}

}  // namespace ksim::viz
