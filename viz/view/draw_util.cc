#include "viz/view/draw_util.h"

#include <cmath>

namespace ksim::viz {

ImVec2 lerp(ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); }
float length(ImVec2 v) { return std::sqrt(v.x * v.x + v.y * v.y); }
ImVec2 normalized(ImVec2 v) {
  const float l = length(v);
  return l > 1e-6f ? ImVec2(v.x / l, v.y / l) : ImVec2(1, 0);
}
ImVec2 perpendicular(ImVec2 v) { return ImVec2(-v.y, v.x); }

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness, float dash, float gap) {
  const float total = length(b - a);
  const ImVec2 dir = normalized(b - a);
  for (float s = 0; s < total; s += dash + gap) {
    const float e = std::min(total, s + dash);
    dl->AddLine(a + dir * s, a + dir * e, col, thickness);
  }
}

void arrow_head(ImDrawList* dl, ImVec2 tip, ImVec2 direction, float size, ImU32 col) {
  const ImVec2 d = normalized(direction);
  const ImVec2 p = perpendicular(d);
  dl->AddTriangleFilled(tip, tip - d * size + p * (size * 0.55f), tip - d * size - p * (size * 0.55f), col);
}

void cross(ImDrawList* dl, ImVec2 c, float h, ImU32 col, float thickness) {
  dl->AddLine(ImVec2(c.x - h, c.y - h), ImVec2(c.x + h, c.y + h), col, thickness);
  dl->AddLine(ImVec2(c.x - h, c.y + h), ImVec2(c.x + h, c.y - h), col, thickness);
}

ImVec2 text_size(const ImFont* font, float size, std::string_view text) {
  return font->CalcTextSizeA(size, 1e9f, 0.0f, text.data(), text.data() + text.size());
}

ImVec2 text_pill(ImDrawList* dl, const ImFont* font, float size, ImVec2 pos, std::string_view text, ImU32 fg,
                 ImU32 bg) {
  const ImVec2 ts = text_size(font, size, text);
  const ImVec2 pad(size * 0.3f, size * 0.08f);
  const ImVec2 box = ts + pad * 2;
  dl->AddRectFilled(pos, pos + box, bg, size * 0.25f);
  dl->AddText(font, size, pos + pad, fg, text.data(), text.data() + text.size());
  return box;
}

bool LabelPlacer::free(ImVec2 min, ImVec2 max) const {
  for (const Box& b : boxes_)
    if (min.x < b.max.x && b.min.x < max.x && min.y < b.max.y && b.min.y < max.y) return false;
  return true;
}

bool LabelPlacer::claim(ImVec2 min, ImVec2 max) {
  if (!free(min, max)) return false;
  occupy(min, max);
  return true;
}

void same_line_if_fits(std::string_view next_text, float spacing) {
  const float width = ImGui::CalcTextSize(next_text.data(), next_text.data() + next_text.size()).x;
  ImGui::SameLine(0, spacing);
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetCursorScreenPos().x + width > right) ImGui::NewLine();
}

}  // namespace ksim::viz
