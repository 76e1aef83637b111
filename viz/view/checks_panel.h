#pragma once
// The Checks panel: the history checkers' verdicts on the run
// (ReplayModel::check_findings, sim/check/): every checker that found
// something, red, with its count and the one-line explanations of its first
// examples; then, on one line, the checkers that hold. Click an example to
// move the cursor to the event it points at (check_findings.h says which)
// and follow its first record in the inspector. The same examples are a lane
// of red markers on the timeline.
#include "viz/view/panel.h"

namespace ksim::viz {

class ChecksPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);
};

}  // namespace ksim::viz
