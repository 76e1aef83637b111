#include <variant>

#include "viz/model/reducers.h"

namespace ksim::viz {

void apply_event(ClusterState& s, const EventContext& c) {
  std::visit([&](const auto& e) { reduce(s, c, e); }, c.event.payload);
  s.events_applied = c.index + 1;
  s.last_event_time = c.event.time;
}

}  // namespace ksim::viz
