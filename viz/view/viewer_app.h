#pragma once
// ViewerApp: one frame of ksim-view, between ImGui::NewFrame() and
// ImGui::Render(). It owns the panels and the shared ViewState, turns keyboard
// shortcuts and playback into cursor moves, applies the requested move to the
// model (measuring how long the seek took), tiles the screen and draws every
// visible panel. The window, the GL context and the main loop are main.cc's.
#include <vector>

#include "viz/model/replay_model.h"
#include "viz/view/checks_panel.h"
#include "viz/view/cluster_panel.h"
#include "viz/view/events_panel.h"
#include "viz/view/groups_panel.h"
#include "viz/view/partitions_panel.h"
#include "viz/view/record_inspector_panel.h"
#include "viz/view/theme.h"
#include "viz/view/timeline_panel.h"
#include "viz/view/view_state.h"

namespace ksim::viz {

class ViewerApp {
 public:
  ViewerApp(ReplayModel& model, Theme theme, Fonts fonts);

  // Builds the frame. wall_dt_s drives playback.
  void frame(double wall_dt_s);

  ViewState& view() { return view_; }
  const ReplayModel& model() const { return model_; }
  // Wall-clock microseconds of each seek that moved the model, for --bench-frames.
  const std::vector<double>& seek_times_us() const { return seek_times_us_; }

 private:
  void handle_keys();
  void apply_seek();
  void menu_bar();

  ReplayModel& model_;
  Theme theme_;
  Fonts fonts_;
  ViewState view_;
  ClusterPanel cluster_;
  PartitionsPanel partitions_;
  GroupsPanel groups_;
  TimelinePanel timeline_;
  EventsPanel events_;
  RecordInspectorPanel inspector_;
  ChecksPanel checks_;
  std::vector<double> seek_times_us_;
  bool show_help_ = false;
};

}  // namespace ksim::viz
