#include "viz/view/view_state.h"

#include <algorithm>

namespace ksim::viz {

void request_step(ViewState& view, const ReplayModel& model, uint64_t step) {
  step = std::min<uint64_t>(step, model.size());
  const SimTime t = step == 0 ? SimTime::zero() : model.events()[step - 1].time;
  view.seek_request = Cursor{step, t};
  view.moved_by_events_panel = false;
}

void request_time(ViewState& view, const ReplayModel& model, SimTime t) {
  t = std::clamp(t, SimTime::zero(), model.end_time());
  view.seek_request = Cursor{model.step_at_time(t), t};
  view.moved_by_events_panel = false;
}

std::optional<uint64_t> current_event(const ViewState& view) {
  if (view.cursor.step == 0) return std::nullopt;
  return view.cursor.step - 1;
}

}  // namespace ksim::viz
