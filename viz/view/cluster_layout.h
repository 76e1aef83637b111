#pragma once
// ClusterLayout: where each node of the run sits in the Cluster panel.
// Computed once per trace, so nodes never move while the user scrubs.
//
// boost::circle_graph_layout over the nodes ordered by role (the controller,
// then brokers, consumers, producers, others), rotated so the first node is at
// the top, then stretched to the panel's rectangle. A circle is chosen over a
// force-directed layout (Kamada-Kawai was tried) because every link is then a
// chord: no link ever passes through a third node or its label, which matters
// more on a projector than short links, and role order keeps the brokers
// together with the clients on either side.
// No ImGui here: positions are plain numbers in the unit square.
#include <vector>

#include "viz/model/replay_model.h"

namespace ksim::viz {

struct UnitPoint {
  double x = 0.5;
  double y = 0.5;
};

std::vector<UnitPoint> layout_cluster(const ReplayModel& model);

}  // namespace ksim::viz
