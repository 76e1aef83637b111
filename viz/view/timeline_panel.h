#pragma once
// The Timeline panel: playback controls (start, step back, play/pause, step,
// end, speed, jump to the previous/next event of a chosen kind) and a scrubber
// over the whole run with one lane of markers per kind of turning point:
// faults, crashes, elections, ISR changes, rebalances, truncations, and the
// checkers' findings (the Checks panel's examples, in red). Click or
// drag on the scrubber to move the cursor; hover a marker to read its events.
//
// Keyboard (handled by the app for every panel): space play/pause, left/right
// one event, Home/End, PageUp/PageDown 100 events.
#include <vector>

#include "viz/view/panel.h"

namespace ksim::viz {

struct TimelineScale;  // timeline_panel.cc: where the scrubber is and how time maps to x

class TimelinePanel {
 public:
  explicit TimelinePanel(const ReplayModel& model);
  void draw(PanelContext& ctx, const PanelRect& rect);
  int lane_count() const { return static_cast<int>(lanes_.size()) + (check_events_.empty() ? 0 : 1); }
  // The height the panel needed last frame (0 before the first): the controls
  // wrap onto a second line on narrow screens, and the tiling follows.
  float needed_height() const { return needed_height_; }

 private:
  void draw_controls(PanelContext& ctx, const char* where);
  void draw_playback_buttons(PanelContext& ctx);
  void draw_jump_to_kind(PanelContext& ctx);
  void draw_cursor_text(const PanelContext& ctx, const char* where);
  void draw_lanes(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& scale) const;
  void draw_markers(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& scale) const;
  void draw_check_lane(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& scale) const;
  void scrubber_tooltip(const PanelContext& ctx, const TimelineScale& scale) const;

  std::vector<MarkerLane> lanes_;       // the lanes this trace uses, in order
  std::vector<uint64_t> check_events_;  // events the checkers' examples point at, in order (the last lane)
  std::vector<size_t> kinds_present_;   // kinds offered by "jump to"
  std::vector<std::string> kind_labels_;
  float needed_height_ = 0;
  bool cursor_in_title_ = false;  // last frame the cursor text did not fit beside the controls
};

}  // namespace ksim::viz
