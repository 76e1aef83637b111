#pragma once
// The Record inspector: the journey of the record selected in the Partitions
// panel, one row per step (sent, appended by the leader, fetched by each
// follower, below each replica's HW, acknowledged or failed, consumed,
// processed, committed, truncated) with where and when. Steps after the cursor
// are dimmed; clicking a step moves the cursor to it. An acknowledged record
// that the run lost says so at the top, and which truncation removed it.
#include "viz/view/panel.h"

namespace ksim::viz {

class RecordInspectorPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);
};

}  // namespace ksim::viz
