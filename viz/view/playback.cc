#include "viz/view/playback.h"

#include <algorithm>

namespace ksim::viz {

void toggle_play(ViewState& view, const ReplayModel& model) {
  if (!view.playing && view.cursor.step >= model.size()) request_step(view, model, 0);  // replay from the start
  view.playing = !view.playing;
}

void step_by(ViewState& view, const ReplayModel& model, int64_t delta) {
  view.playing = false;
  const int64_t target = std::clamp<int64_t>(static_cast<int64_t>(view.cursor.step) + delta, 0,
                                             static_cast<int64_t>(model.size()));
  request_step(view, model, static_cast<uint64_t>(target));
}

bool jump_to_kind(ViewState& view, const ReplayModel& model, size_t kind, bool forward) {
  view.playing = false;
  const std::optional<uint64_t> here = current_event(view);
  std::optional<uint64_t> to;
  if (forward) {
    to = model.index().next_of_kind(kind, here);
  } else if (here) {
    to = model.index().prev_of_kind(kind, *here);
  }
  if (!to) return false;
  request_step(view, model, *to + 1);
  return true;
}

void advance_playback(ViewState& view, const ReplayModel& model, double wall_dt_s) {
  if (!view.playing || view.seek_request) return;
  const SimTime t = view.cursor.time + Duration{static_cast<int64_t>(wall_dt_s * view.speed_ms_per_s * 1000.0)};
  if (t >= model.end_time()) {
    request_step(view, model, model.size());
    view.playing = false;
    return;
  }
  request_time(view, model, t);
}

}  // namespace ksim::viz
