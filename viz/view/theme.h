#pragma once
// Theme: the viewer's colours and fonts, chosen for a projector at the back of
// a classroom: large type, a light background by default (projectors wash out
// dark themes), and the Okabe-Ito palette, which stays distinguishable for
// colour-blind viewers. Every panel takes its colours from here, never from
// literals, so the light and dark themes stay consistent.
#include <array>
#include <cstdint>
#include <string>

#include "imgui.h"
#include "viz/model/event_index.h"
#include "viz/model/node_directory.h"

namespace ksim::viz {

struct Theme {
  bool dark = false;
  ImU32 text, text_dim, text_on_fill, canvas, grid;
  ImU32 role[5];  // by NodeRole
  ImU32 crashed, paused, fenced, not_started;
  ImU32 link_up, link_cut;
  ImU32 label_bg;  // behind labels drawn over the graph
  ImU32 dropped;
  ImU32 hw, leo, isr_bg, out_of_isr_bg, lost, selected, truncated, uncommitted_overlay;
  ImU32 added, revoked, warning;
  ImU32 duplicate;    // a record the log holds twice (not red: red is a lost write)
  ImU32 ghost_bg;     // behind a group member whose process is gone
  ImU32 current_row;  // the cursor's row in lists
  std::array<ImU32, 8> palette;  // leader epochs, producers, message types
  ImU32 lane[kLaneCount];
  ImU32 cursor;

  ImU32 epoch_colour(int32_t epoch) const {
    return epoch < 0 ? grid : palette[static_cast<size_t>(epoch) % palette.size()];
  }
  // A stable colour for any name (message types, producers).
  ImU32 colour_of(uint64_t key) const { return palette[key % palette.size()]; }
};

Theme light_theme();
Theme dark_theme();
// Black or white, whichever reads better on `fill` (by its luminance).
ImU32 text_on(const Theme& theme, ImU32 fill);
// Sets ImGui's own style colours and sizes to match.
void apply_imgui_style(const Theme& theme, float font_size);

ImU32 with_alpha(ImU32 colour, float alpha);

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  float size = 20;            // the regular font's pixel size
  bool from_ttf = false;      // false: ImGui's built-in font, scaled
  std::string description;    // for --help-like output and logs
};

// Loads DejaVu Sans (Debian's fonts-dejavu-core) at `size` pixels, or `path`
// if given; falls back to ImGui's built-in font scaled to `size` when no file
// can be read. Call before the renderer backend builds the font texture.
Fonts load_fonts(float size, const std::string& path);

}  // namespace ksim::viz
