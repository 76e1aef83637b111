#pragma once
// What every panel gets: the model (read only), the shared view state, the
// theme and fonts, and the rectangle the app's tiling gave it. Each panel is a
// class in its own file with a draw(PanelContext&, const PanelRect&) that
// draws one window; anything a panel remembers between frames is a member.
#include "imgui.h"
#include "viz/model/replay_model.h"
#include "viz/view/theme.h"
#include "viz/view/view_state.h"

namespace ksim::viz {

struct PanelRect {
  ImVec2 pos;
  ImVec2 size;
};

struct PanelContext {
  const ReplayModel& model;
  ViewState& view;
  const Theme& theme;
  const Fonts& fonts;
};

// Begins a tiled window: fixed position and size (the projector layout never
// overlaps), no saved settings. Always pair with ImGui::End().
bool begin_panel(const char* title, const PanelRect& rect, ImGuiWindowFlags extra = 0);

}  // namespace ksim::viz
