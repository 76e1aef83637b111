#pragma once
// The Checks panel's place. When the checkers land (sim/check/), this panel
// will list each checker's verdict on the run (no lost acknowledged writes,
// no duplicates, consumer order, ...) with the events that broke it, each
// clickable to move the cursor there. The tiling already reserves the bottom
// of the right column for it (panel_layout.h), View > Checks turns it on, and
// the app draws it after the inspector. Until then it says it is empty.
#include "viz/view/panel.h"

namespace ksim::viz {

class ChecksPanel {
 public:
  void draw(PanelContext&, const PanelRect& rect) {
    if (begin_panel("Checks", rect))
      ImGui::TextWrapped("No checkers in this build yet: their verdicts will be listed here.");
    ImGui::End();
  }
};

}  // namespace ksim::viz
