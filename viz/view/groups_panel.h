#pragma once
// The Consumer groups panel: each group's phase (derived from the members'
// generations), generation and rebalance count; each member's generation and
// assigned partitions, with what its last rebalance added (green, +) or
// revoked (red, -) highlighted while it is fresh; and per partition its owner,
// committed offset, the leader's HW and the lag between them.
#include "viz/view/panel.h"

namespace ksim::viz {

class GroupsPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);
};

}  // namespace ksim::viz
