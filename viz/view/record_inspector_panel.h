#pragma once
// The Record inspector: the journey of the record selected in the Partitions
// panel, one row per step (sent, each produce attempt of its batch and the
// answer to it, producer id changes or a producer crash while in flight, a
// leader recognising a retry or refusing a sequence, appended by the leader,
// fetched by each follower, below each replica's HW, acknowledged or failed,
// consumed, processed, committed, truncated) with where and when. The producer
// side's rows spell out their detail (attempt, producer id, epoch, sequence,
// error -> what the producer does next); a retry and an error are amber, a
// recognised retry green, a second copy (DUPLICATE) magenta. Steps after the
// cursor are dimmed; clicking a step moves the cursor to it. At the top: an
// acknowledged record that the run lost, and which truncation removed it; a
// record the final log holds twice, at which offsets; how many attempts.
#include "viz/view/panel.h"

namespace ksim::viz {

class RecordInspectorPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);
};

}  // namespace ksim::viz
