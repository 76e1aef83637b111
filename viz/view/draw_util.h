#pragma once
// Small drawing helpers shared by the panels: dashed lines, arrow heads,
// labels on a background, and a placer that refuses a label that would
// overlap one already drawn (nothing overlaps on a projector).
#include <string_view>
#include <vector>

#include "imgui.h"

namespace ksim::viz {

inline ImVec2 operator+(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }
inline ImVec2 operator-(ImVec2 a, ImVec2 b) { return ImVec2(a.x - b.x, a.y - b.y); }
inline ImVec2 operator*(ImVec2 a, float k) { return ImVec2(a.x * k, a.y * k); }
ImVec2 lerp(ImVec2 a, ImVec2 b, float t);
float length(ImVec2 v);
ImVec2 normalized(ImVec2 v);
ImVec2 perpendicular(ImVec2 v);  // rotated 90 degrees clockwise on screen (y down)

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash, float gap);
void arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 direction, float size, ImU32 col);
void cross(ImDrawList* dl, ImVec2 centre, float half, ImU32 col, float thickness);

ImVec2 text_size(const ImFont* font, float size, std::string_view text);
// Draws text on a rounded background; `pos` is the top-left of the background.
// Returns the background's size.
ImVec2 text_pill(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, std::string_view text, ImU32 fg,
                 ImU32 bg);

// A flow layout for narrow panels: puts the next item on this line, `spacing`
// after the last one, if `next_text` fits in what is left of the line, and
// starts a new line otherwise (nothing is clipped at the panel's edge).
void same_line_if_fits(std::string_view next_text, float spacing);

// Axis-aligned boxes already used on a canvas.
class LabelPlacer {
 public:
  void occupy(ImVec2 min, ImVec2 max) { boxes_.push_back({min, max}); }
  bool free(ImVec2 min, ImVec2 max) const;
  // Occupies and returns true if the box is free.
  bool claim(ImVec2 min, ImVec2 max);
  void clear() { boxes_.clear(); }

 private:
  struct Box {
    ImVec2 min, max;
  };
  std::vector<Box> boxes_;
};

}  // namespace ksim::viz
