#include "viz/view/timeline_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/report/event_text.h"
#include "viz/view/draw_util.h"
#include "viz/view/playback.h"

namespace ksim::viz {
namespace {

std::string time_label(double ms, double step_ms) {
  char buf[32];
  if (step_ms >= 1000)
    std::snprintf(buf, sizeof buf, "%g s", ms / 1000.0);
  else
    std::snprintf(buf, sizeof buf, "%g ms", ms);
  return buf;
}

double nice_step(double span, int target) {
  const double raw = span / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
  for (double k : {1.0, 2.0, 5.0, 10.0})
    if (raw <= k * mag) return k * mag;
  return 10 * mag;
}

}  // namespace

// The scrubber's place and scale: the lanes from origin.y down, then the
// time ticks; time 0 at x0, the end of the run (at least 1 ms) at x1.
struct TimelineScale {
  ImVec2 origin;
  float x0, x1;
  float lane_h, lanes_h, ticks_h;
  double end_us;
  float x_of(SimTime t) const { return x0 + static_cast<float>(static_cast<double>(t.us) / end_us) * (x1 - x0); }
  SimTime time_at(float x) const {
    return SimTime{static_cast<int64_t>(static_cast<double>(std::clamp(x, x0, x1) - x0) / (x1 - x0) * end_us)};
  }
  float ticks_y() const { return origin.y + lanes_h; }
};

namespace {

// Time ticks under the lanes, at a round step; labels never overlap.
void draw_time_ticks(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& sc) {
  const float f = ImGui::GetFontSize();
  const float small = f * 0.82f;
  const double end_ms = sc.end_us / 1000.0;
  const float ty = sc.ticks_y();
  const double step_ms = nice_step(end_ms, std::max(2, static_cast<int>((sc.x1 - sc.x0) / (f * 6))));
  float label_end = -1e9f;  // right edge of the last tick label drawn
  for (int k = 0; k * step_ms <= end_ms + 1e-9; ++k) {
    const double ms = k * step_ms;
    const float x = sc.x_of(SimTime{static_cast<int64_t>(ms * 1000)});
    dl->AddLine(ImVec2(x, ty), ImVec2(x, ty + f * 0.35f), ctx.theme.text_dim, 1.5f);
    const std::string label = time_label(ms, step_ms);
    const ImVec2 ts = text_size(ctx.fonts.regular, small, label);
    const float lx = std::clamp(x - ts.x / 2, sc.x0, sc.x1 - ts.x);
    if (lx < label_end + f * 0.5f) continue;
    dl->AddText(ctx.fonts.regular, small, ImVec2(lx, ty + f * 0.38f), ctx.theme.text_dim, label.c_str());
    label_end = lx + ts.x;
  }
}

// The cursor: a line over the lanes and a triangle on top.
void draw_cursor(ImDrawList* dl, const TimelineScale& sc, float cx, const Theme& th) {
  const float f = ImGui::GetFontSize();
  const ImVec2 origin = sc.origin;
  dl->AddLine(ImVec2(cx, origin.y - f * 0.15f), ImVec2(cx, sc.ticks_y() + f * 0.3f), th.cursor, 3.0f);
  dl->AddTriangleFilled(ImVec2(cx - f * 0.4f, origin.y - f * 0.45f), ImVec2(cx + f * 0.4f, origin.y - f * 0.45f),
                        ImVec2(cx, origin.y), th.cursor);
}

}  // namespace

TimelinePanel::TimelinePanel(const ReplayModel& model) {
  for (size_t l = 0; l < kLaneCount; ++l)
    if (model.index().lane_used(static_cast<MarkerLane>(l))) lanes_.push_back(static_cast<MarkerLane>(l));
  if (lanes_.empty()) lanes_.push_back(MarkerLane::fault);
  for (const CheckFinding& c : model.check_findings())
    for (const FindingExample& ex : c.examples) check_events_.push_back(ex.event);
  std::sort(check_events_.begin(), check_events_.end());
  for (size_t k = 0; k < kKindCount; ++k) {
    if (model.index().of_kind(k).empty()) continue;
    kinds_present_.push_back(k);
    kind_labels_.push_back(std::string(kind_name(k)) + " (" + std::to_string(model.index().of_kind(k).size()) + ")");
  }
}

void TimelinePanel::draw(PanelContext& ctx, const PanelRect& rect) {
  char where[128];
  std::snprintf(where, sizeof where, "t = %.3f ms    event %llu of %llu",
                static_cast<double>(ctx.view.cursor.time.us) / 1000.0, static_cast<unsigned long long>(ctx.view.cursor.step),
                static_cast<unsigned long long>(ctx.model.size()));
  // The title carries the cursor too, for screens too narrow to show it beside the controls.
  const std::string title = std::string("Timeline") + (cursor_in_title_ ? std::string("      ") + where : "") + "###Timeline";
  if (!begin_panel(title.c_str(), rect, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
    ImGui::End();
    return;
  }
  const ReplayModel& model = ctx.model;
  ViewState& view = ctx.view;
  const float f = ImGui::GetFontSize();
  draw_controls(ctx, where);

  // --- scrubber ---------------------------------------------------------------
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos() + ImVec2(0, f * 0.2f);
  const float width = ImGui::GetContentRegionAvail().x;
  const float label_w = f * 6.2f;
  const float lane_h = f * 1.0f;
  const TimelineScale sc{origin, origin.x + label_w, origin.x + width - f * 0.6f, lane_h,
                         lane_h * static_cast<float>(lane_count()), f * 1.4f,
                         std::max<double>(1000.0, static_cast<double>(model.end_time().us))};
  ImGui::SetCursorScreenPos(ImVec2(sc.x0, origin.y));
  ImGui::InvisibleButton("##scrubber", ImVec2(std::max(1.0f, sc.x1 - sc.x0), sc.lanes_h + sc.ticks_h));
  const bool hovered = ImGui::IsItemHovered();
  if (ImGui::IsItemActive()) {
    view.playing = false;
    request_time(view, model, sc.time_at(ImGui::GetIO().MousePos.x));
  }

  const float cx = sc.x_of(view.cursor.time);
  // The played part: a band along the time axis (a wash over all the lanes
  // would shade a fifth of the screen every frame on a software rasterizer).
  dl->AddRectFilled(ImVec2(sc.x0, origin.y + sc.lanes_h), ImVec2(cx, origin.y + sc.lanes_h + f * 0.3f),
                    with_alpha(ctx.theme.hw, 0.55f));
  draw_lanes(dl, ctx, sc);
  draw_markers(dl, ctx, sc);
  draw_check_lane(dl, ctx, sc);
  draw_time_ticks(dl, ctx, sc);
  draw_cursor(dl, sc, cx, ctx.theme);
  if (hovered) scrubber_tooltip(ctx, sc);
  ImGui::SetCursorScreenPos(ImVec2(origin.x, sc.ticks_y() + sc.ticks_h));
  ImGui::Dummy(ImVec2(1, 1));
  needed_height_ = sc.ticks_y() + sc.ticks_h + ImGui::GetStyle().WindowPadding.y + f * 0.2f - ImGui::GetWindowPos().y;
  ImGui::End();
}

// Start / step back / play-pause / step / end, speed, jump to a kind, and
// where the cursor is (beside them while it fits, else in the title).
void TimelinePanel::draw_controls(PanelContext& ctx, const char* where) {
  draw_playback_buttons(ctx);
  if (!kinds_present_.empty()) draw_jump_to_kind(ctx);
  draw_cursor_text(ctx, where);
}

void TimelinePanel::draw_playback_buttons(PanelContext& ctx) {
  const ReplayModel& model = ctx.model;
  ViewState& view = ctx.view;
  const float f = ImGui::GetFontSize();
  if (ImGui::Button("|< Start")) step_by(view, model, -static_cast<int64_t>(model.size()));
  ImGui::SameLine();
  if (ImGui::Button("< Step")) step_by(view, model, -1);
  ImGui::SameLine();
  if (ImGui::Button(view.playing ? "  Pause  " : "  Play  ")) toggle_play(view, model);
  ImGui::SameLine();
  if (ImGui::Button("Step >")) step_by(view, model, 1);
  ImGui::SameLine();
  if (ImGui::Button("End >|")) step_by(view, model, static_cast<int64_t>(model.size()));
  ImGui::SameLine(0, f * 1.2f);
  ImGui::SetNextItemWidth(f * 9);
  float speed = static_cast<float>(view.speed_ms_per_s);
  if (ImGui::SliderFloat("speed", &speed, 1.0f, 10000.0f, "%.0f ms/s", ImGuiSliderFlags_Logarithmic))
    view.speed_ms_per_s = speed;
  ImGui::SameLine(0, f * 1.2f);
}

// The kind to jump to, and the previous / next event of it.
void TimelinePanel::draw_jump_to_kind(PanelContext& ctx) {
  ViewState& view = ctx.view;
  size_t sel = 0;
  for (size_t i = 0; i < kinds_present_.size(); ++i)
    if (kinds_present_[i] == view.jump_kind) sel = i;
  view.jump_kind = kinds_present_[sel];
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 11);
  if (ImGui::BeginCombo("##jump_kind", kind_labels_[sel].c_str())) {
    for (size_t i = 0; i < kinds_present_.size(); ++i)
      if (ImGui::Selectable(kind_labels_[i].c_str(), i == sel)) view.jump_kind = kinds_present_[i];
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button("< Prev")) jump_to_kind(view, ctx.model, view.jump_kind, false);
  ImGui::SameLine();
  if (ImGui::Button("Next >")) jump_to_kind(view, ctx.model, view.jump_kind, true);
}

void TimelinePanel::draw_cursor_text(const PanelContext& ctx, const char* where) {
  const float f = ImGui::GetFontSize();
  ImGui::PushFont(ctx.fonts.bold);
  const float where_w = ImGui::CalcTextSize(where).x;
  ImGui::SameLine();
  const float right = ImGui::GetWindowContentRegionMax().x;
  cursor_in_title_ = ImGui::GetCursorPosX() + where_w + f >= right;
  if (!cursor_in_title_) {
    ImGui::SetCursorPosX(right - where_w);
    ImGui::TextUnformatted(where);
  } else {
    ImGui::NewLine();
  }
  ImGui::PopFont();
}

// One lane per marker kind this trace uses, named on the left.
void TimelinePanel::draw_lanes(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& sc) const {
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
  const float small = f * 0.82f;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    const float y = sc.origin.y + sc.lane_h * static_cast<float>(i);
    if (i > 0) dl->AddLine(ImVec2(sc.x0, y), ImVec2(sc.x1, y), with_alpha(th.grid, 0.6f));
    const std::string_view name = lane_name(lanes_[i]);
    const ImVec2 ts = text_size(ctx.fonts.bold, small, name);
    dl->AddText(ctx.fonts.bold, small, ImVec2(sc.x0 - ts.x - f * 0.4f, y + (sc.lane_h - ts.y) / 2),
                th.lane[static_cast<size_t>(lanes_[i])], name.data(), name.data() + name.size());
  }
  dl->AddRect(ImVec2(sc.x0, sc.origin.y), ImVec2(sc.x1, sc.origin.y + sc.lanes_h), th.grid);
}

// A tick per marked event in its lane, one per pixel column at most.
void TimelinePanel::draw_markers(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& sc) const {
  const ReplayModel& model = ctx.model;
  std::vector<int> lane_row(kLaneCount, -1);
  for (size_t i = 0; i < lanes_.size(); ++i) lane_row[static_cast<size_t>(lanes_[i])] = static_cast<int>(i);
  std::vector<int> last_px(kLaneCount, -1000000);
  for (const Marker& m : model.index().markers()) {
    const int row = lane_row[static_cast<size_t>(m.lane)];
    if (row < 0) continue;
    const float x = sc.x_of(model.events()[m.event].time);
    const int px = static_cast<int>(x);
    if (px == last_px[static_cast<size_t>(m.lane)]) continue;
    last_px[static_cast<size_t>(m.lane)] = px;
    const float y = sc.origin.y + sc.lane_h * static_cast<float>(row);
    dl->AddRectFilled(ImVec2(x - 1.5f, y + 3), ImVec2(x + 1.5f, y + sc.lane_h - 3),
                      ctx.theme.lane[static_cast<size_t>(m.lane)]);
  }
}

// The checks lane, last: a red triangle where each checker's example happened.
void TimelinePanel::draw_check_lane(ImDrawList* dl, const PanelContext& ctx, const TimelineScale& sc) const {
  if (check_events_.empty()) return;
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
  const float small = f * 0.82f;
  const float checks_y = sc.origin.y + sc.lane_h * static_cast<float>(lanes_.size());
  dl->AddLine(ImVec2(sc.x0, checks_y), ImVec2(sc.x1, checks_y), with_alpha(th.grid, 0.6f));
  const char* name = "checks";
  const ImVec2 ts = text_size(ctx.fonts.bold, small, name);
  dl->AddText(ctx.fonts.bold, small, ImVec2(sc.x0 - ts.x - f * 0.4f, checks_y + (sc.lane_h - ts.y) / 2), th.lost, name);
  int last = -1000000;
  for (uint64_t e : check_events_) {
    const float x = sc.x_of(ctx.model.events()[e].time);
    if (static_cast<int>(x) == last) continue;
    last = static_cast<int>(x);
    dl->AddTriangleFilled(ImVec2(x - f * 0.3f, checks_y + 2), ImVec2(x + f * 0.3f, checks_y + 2),
                          ImVec2(x, checks_y + sc.lane_h - 2), th.lost);
  }
}

// Hovering the scrubber: the time, and the findings or events under the mouse.
void TimelinePanel::scrubber_tooltip(const PanelContext& ctx, const TimelineScale& sc) const {
  const ReplayModel& model = ctx.model;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const SimTime t = sc.time_at(mouse.x);
  ImGui::BeginTooltip();
  ImGui::Text("%.1f ms  (click or drag to move the cursor)", static_cast<double>(t.us) / 1000.0);
  const int row = static_cast<int>((mouse.y - sc.origin.y) / sc.lane_h);
  if (row == static_cast<int>(lanes_.size()) && !check_events_.empty()) {
    for (const CheckFinding& c : model.check_findings())
      for (const FindingExample& ex : c.examples)
        if (std::fabs(sc.x_of(model.events()[ex.event].time) - mouse.x) <= 4)
          ImGui::Text("%s: %s", c.name.c_str(), ex.example.explanation.c_str());
  }
  if (row >= 0 && row < static_cast<int>(lanes_.size())) {
    int shown = 0;
    for (const Marker& m : model.index().markers()) {
      if (m.lane != lanes_[static_cast<size_t>(row)]) continue;
      if (std::fabs(sc.x_of(model.events()[m.event].time) - mouse.x) > 4) continue;
      if (++shown > 6) break;
      ImGui::Text("#%llu  %s", static_cast<unsigned long long>(m.event),
                  describe_event(model.header(), model.events()[m.event]).c_str());
    }
  }
  ImGui::EndTooltip();
}

}  // namespace ksim::viz
