#include "viz/view/panel_layout.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ksim::viz {
namespace {

// Splits a column of height h among the present panels by weight.
void stack(float x, float y, float w, float h, const std::vector<std::pair<std::optional<PanelRect>*, float>>& items) {
  float total = 0;
  for (const auto& [slot, weight] : items) total += weight;
  if (total <= 0) return;
  float at = y;
  for (const auto& [slot, weight] : items) {
    const float hh = std::floor(h * weight / total);
    *slot = PanelRect{ImVec2(x, at), ImVec2(w, hh)};
    at += hh;
  }
}

}  // namespace

PanelLayout tile_panels(const LayoutInput& in) {
  PanelLayout out;
  const float f = in.font_size;
  float bottom = in.origin.y + in.size.y;
  if (in.visible.timeline) {
    // Title, controls, lanes, time ticks, padding.
    const float h = in.timeline_height > 0
                        ? std::ceil(in.timeline_height)
                        : std::floor(f * (1.5f + 2.1f + 1.15f * static_cast<float>(std::max(1, in.timeline_lanes)) + 2.6f));
    bottom -= h;
    out.timeline = PanelRect{ImVec2(in.origin.x, bottom), ImVec2(in.size.x, h)};
  }
  const float top = in.origin.y;
  const float height = bottom - top;
  const float width = in.size.x;

  const bool partitions = in.visible.partitions && in.has_partitions;
  const bool groups = in.visible.groups && in.has_groups;
  const bool inspector = in.visible.inspector && in.has_records;
  const bool right = in.visible.events || inspector || in.visible.checks;
  const bool left = in.visible.cluster || groups;

  // Column widths, as shares of the width.
  float w_left = left ? (partitions ? 0.36f : 0.64f) : 0.0f;
  float w_mid = partitions ? (left ? 0.36f : 0.64f) : 0.0f;
  float w_right = right ? (partitions ? 0.30f : 0.40f) : 0.0f;
  if (!right) {
    const float k = 1.0f / std::max(0.01f, w_left + w_mid);
    w_left *= k;
    w_mid *= k;
  } else if (!left && !partitions) {
    w_right = 1.0f;
  } else {
    const float k = (1.0f - w_right) / std::max(0.01f, w_left + w_mid);
    w_left *= k;
    w_mid *= k;
  }
  float x = in.origin.x;
  const float lw = std::floor(width * w_left), mw = std::floor(width * w_mid);
  const float rw = width - lw - mw;
  if (left) {
    std::vector<std::pair<std::optional<PanelRect>*, float>> items;
    if (in.visible.cluster) items.push_back({&out.cluster, 0.6f});
    if (groups) items.push_back({&out.groups, 0.4f});
    stack(x, top, lw, height, items);
    x += lw;
  }
  if (partitions) {
    out.partitions = PanelRect{ImVec2(x, top), ImVec2(mw, height)};
    x += mw;
  }
  if (right) {
    std::vector<std::pair<std::optional<PanelRect>*, float>> items;
    const bool following = inspector && in.record_selected;
    if (in.visible.events) items.push_back({&out.events, following ? 0.4f : 0.55f});
    if (inspector) items.push_back({&out.inspector, following ? 0.9f : 0.45f});
    if (in.visible.checks) items.push_back({&out.checks, following ? 0.2f : 0.3f});
    stack(x, top, rw, height, items);
  }
  return out;
}

}  // namespace ksim::viz
