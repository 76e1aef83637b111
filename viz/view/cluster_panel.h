#pragma once
// The Cluster panel: the run's nodes as a network graph. Brokers, the
// controller and clients are circles coloured by role, placed once by
// ClusterLayout; links are grey lines, red and dashed where cut (with an arrow
// for a one-way cut); crashed nodes are grey with an X, paused ones carry a
// pause sign, fenced brokers a FENCED badge; the controller and each
// partition's leader wear badges. Messages in flight move along their link by
// their progress between send and arrival time, labelled with their type; a
// dropped message falls and fades where it was lost.
#include <vector>

#include "viz/view/cluster_layout.h"
#include "viz/view/draw_util.h"
#include "viz/view/panel.h"

namespace ksim::viz {

class ClusterPanel {
 public:
  explicit ClusterPanel(const ReplayModel& model);
  void draw(PanelContext& ctx, const PanelRect& rect);

 private:
  std::vector<UnitPoint> layout_;
  std::vector<std::string> short_names_;  // drawn inside the circles
  LabelPlacer placer_;
};

}  // namespace ksim::viz
