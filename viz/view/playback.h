#pragma once
// The cursor commands the timeline's buttons and the keyboard share: play and
// pause, step by events, jump to the next or previous event of a kind, advance
// while playing. They only request moves (ViewState::seek_request).
#include <cstdint>

#include "viz/view/view_state.h"

namespace ksim::viz {

void toggle_play(ViewState& view, const ReplayModel& model);
// Moves the cursor by `delta` events (negative: back), clamped to the trace.
void step_by(ViewState& view, const ReplayModel& model, int64_t delta);
// Puts the cursor on the next (or previous) event of `kind` after (before) the
// current one. Returns false if there is none.
bool jump_to_kind(ViewState& view, const ReplayModel& model, size_t kind, bool forward);
// While playing: advances virtual time by wall_dt_s at the playback speed and
// stops at the end of the trace.
void advance_playback(ViewState& view, const ReplayModel& model, double wall_dt_s);

}  // namespace ksim::viz
