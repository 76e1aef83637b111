#pragma once
// The tiling of the screen: every visible panel gets a rectangle, none
// overlap, and a panel with nothing to show (no partitions in a kernel-only
// trace) gives its room to the others.
//
//   +------------------+------------------+--------------+
//   | Cluster          | Partitions       | Events       |
//   |                  |                  |              |
//   +------------------+                  +--------------+
//   | Consumer groups  |                  | Record       |
//   |                  |                  | inspector    |
//   +------------------+------------------+--------------+
//   | Timeline (full width)                              |
//   +----------------------------------------------------+
//
// The Checks panel, when the checkers land, takes the bottom of the right
// column (under the inspector).
#include <optional>

#include "viz/view/panel.h"

namespace ksim::viz {

struct PanelLayout {
  std::optional<PanelRect> cluster, partitions, groups, timeline, events, inspector, checks;
};

struct LayoutInput {
  ImVec2 origin;  // below the menu bar
  ImVec2 size;
  float font_size = 20;
  int timeline_lanes = 2;
  float timeline_height = 0;  // what the timeline needed last frame, 0 if unknown
  PanelVisibility visible;
  bool has_partitions = false;
  bool has_groups = false;
  bool has_records = false;
  // A record is being followed: its journey (twenty steps and more, with the
  // producer's attempts) takes most of the right column from the Events list.
  bool record_selected = false;
};

PanelLayout tile_panels(const LayoutInput& in);

}  // namespace ksim::viz
