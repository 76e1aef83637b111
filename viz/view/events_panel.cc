#include "viz/view/events_panel.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "sim/report/event_text.h"

namespace ksim::viz {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether an event names `node` as its own node or as the other end.
bool involves(const TraceEvent& e, NodeId node) {
  if (e.node == node) return true;
  if (const auto* s = std::get_if<trace::MessageSent>(&e.payload)) return s->to == node;
  if (const auto* d = std::get_if<trace::MessageDelivered>(&e.payload)) return d->from == node;
  if (const auto* d = std::get_if<trace::MessageDropped>(&e.payload)) return d->to == node;
  if (const auto* l = std::get_if<trace::LinkChanged>(&e.payload)) return l->peer == node;
  return false;
}


// "Kinds (3 hidden)": a popup of every kind in the trace, each with its count.
void draw_kind_filter(const ReplayModel& model, ViewState& view) {
  int hidden_count = 0;
  for (size_t k = 0; k < kKindCount; ++k) hidden_count += view.filter.hidden[k] && !model.index().of_kind(k).empty();
  char kinds_label[48];
  std::snprintf(kinds_label, sizeof kinds_label, hidden_count ? "Kinds (%d hidden)" : "Kinds", hidden_count);
  if (ImGui::Button(kinds_label)) ImGui::OpenPopup("kinds");
  if (!ImGui::BeginPopup("kinds")) return;
  if (ImGui::Button("Show all")) {
    view.filter.hidden.fill(false);
    ++view.filter.revision;
  }
  ImGui::SameLine();
  if (ImGui::Button("Hide messages and flushes")) {
    for (size_t k = 0; k < kKindCount; ++k) {
      const std::string_view n = kind_name(k);
      view.filter.hidden[k] = n.rfind("message_", 0) == 0 || n == "disk_flushed" || n == "connection_lost";
    }
    ++view.filter.revision;
  }
  for (size_t k = 0; k < kKindCount; ++k) {
    const size_t count = model.index().of_kind(k).size();
    if (count == 0) continue;
    bool shown = !view.filter.hidden[k];
    const std::string label = std::string(kind_name(k)) + "  (" + std::to_string(count) + ")";
    if (ImGui::Checkbox(label.c_str(), &shown)) {
      view.filter.hidden[k] = !shown;
      ++view.filter.revision;
    }
  }
  ImGui::EndPopup();
}

// The node whose events to show, or all nodes.
void draw_node_filter(const ReplayModel& model, ViewState& view) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  const char* node_label = view.filter.node == kNoNode ? "all nodes" : model.header().nodes[view.filter.node.value].name.c_str();
  if (!ImGui::BeginCombo("##node", node_label)) return;
  if (ImGui::Selectable("all nodes", view.filter.node == kNoNode)) {
    view.filter.node = kNoNode;
    ++view.filter.revision;
  }
  for (size_t i = 0; i < model.header().nodes.size(); ++i) {
    const NodeId id(static_cast<uint32_t>(i));
    if (ImGui::Selectable(model.header().nodes[i].name.c_str(), view.filter.node == id)) {
      view.filter.node = id;
      ++view.filter.revision;
    }
  }
  ImGui::EndCombo();
}


// One event: its index (click to move the cursor there), time and description.
void draw_event_row(PanelContext& ctx, int r, uint64_t i, bool is_current, bool future) {
  const ReplayModel& model = ctx.model;
  ViewState& view = ctx.view;
  const Theme& th = ctx.theme;
  const TraceEvent& e = model.events()[i];
  ImGui::TableNextRow();
  if (is_current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, th.current_row);
  ImGui::TableSetColumnIndex(0);
  char id[24];
  std::snprintf(id, sizeof id, "%llu", static_cast<unsigned long long>(i));
  if (future) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(th.text_dim));
  ImGui::PushID(static_cast<int>(r));
  if (ImGui::Selectable(id, false, ImGuiSelectableFlags_SpanAllColumns)) {
    request_step(view, model, i + 1);
    view.moved_by_events_panel = true;
    view.playing = false;
  }
  ImGui::PopID();
  ImGui::TableSetColumnIndex(1);
  ImGui::Text("%.3f", static_cast<double>(e.time.us) / 1000.0);
  ImGui::TableSetColumnIndex(2);
  const std::string line = describe_event(model.header(), e);
  ImGui::TextUnformatted(line.c_str());
  if (ImGui::IsItemHovered() && ImGui::CalcTextSize(line.c_str()).x > ImGui::GetColumnWidth())
    ImGui::SetTooltip("%s", line.c_str());
  if (future) ImGui::PopStyleColor();
}

}  // namespace

void EventsPanel::rebuild(const PanelContext& ctx) {
  const ReplayModel& model = ctx.model;
  const EventFilter& filter = ctx.view.filter;
  if (built_revision_ != filter.revision) {
    built_revision_ = filter.revision;
    rows_.clear();
    scanned_ = 0;
    text_lower_ = lower(filter.text);
  }
  // The viewer is not part of a run: reading the wall clock here is fine.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double, std::milli>(kScanBudgetMs);
  const uint64_t end = model.size();
  uint64_t i = scanned_;
  for (; i < end; ++i) {
    if (!text_lower_.empty() && i % 512 == 0 && i > scanned_ && std::chrono::steady_clock::now() > deadline) break;
    const TraceEvent& e = model.events()[i];
    if (filter.hidden[e.payload.index()]) continue;
    if (filter.node != kNoNode && !involves(e, filter.node)) continue;
    if (!text_lower_.empty() && lower(describe_event(model.header(), e)).find(text_lower_) == std::string::npos) continue;
    rows_.push_back(i);
  }
  scanned_ = i;
}

void EventsPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Events", rect)) {
    ImGui::End();
    return;
  }
  draw_kind_filter(ctx.model, ctx.view);
  ImGui::SameLine();
  draw_node_filter(ctx.model, ctx.view);
  ImGui::SameLine();
  draw_text_filter(ctx.view);
  rebuild(ctx);
  draw_filter_status(ctx);
  draw_event_table(ctx);
  ImGui::End();
}

void EventsPanel::draw_text_filter(ViewState& view) {
  ImGui::SetNextItemWidth(-1);
  if (std::strncmp(text_buf_, view.filter.text.c_str(), sizeof text_buf_) != 0 && !ImGui::IsAnyItemActive())
    std::snprintf(text_buf_, sizeof text_buf_, "%s", view.filter.text.c_str());
  if (ImGui::InputTextWithHint("##text", "filter text", text_buf_, sizeof text_buf_)) {
    view.filter.text = text_buf_;
    ++view.filter.revision;
  }
}

// "filtering... 40%" while the filter scans, then "12 of 3400 events".
void EventsPanel::draw_filter_status(const PanelContext& ctx) const {
  const ReplayModel& model = ctx.model;
  const Theme& th = ctx.theme;
  if (scanned_ < model.size()) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(th.warning), "filtering... %.0f%%",
                       100.0 * static_cast<double>(scanned_) / static_cast<double>(std::max<uint64_t>(1, model.size())));
  } else {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(th.text_dim), "%zu of %llu events", rows_.size(),
                       static_cast<unsigned long long>(model.size()));
  }
}

// The events that pass the filter, the current one highlighted, the future
// ones dimmed; the list follows the cursor unless this list moved it.
void EventsPanel::draw_event_table(PanelContext& ctx) {
  ViewState& view = ctx.view;
  const float f = ImGui::GetFontSize();
  const std::optional<uint64_t> current = current_event(view);
  // The row of the current event, or of the last shown event before it.
  int64_t current_row = -1;
  if (current) {
    auto it = std::upper_bound(rows_.begin(), rows_.end(), *current);
    current_row = static_cast<int64_t>(it - rows_.begin()) - 1;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("events", 3, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, f * 3.6f);
  ImGui::TableSetupColumn("time (ms)", ImGuiTableColumnFlags_WidthFixed, f * 5.2f);
  ImGui::TableSetupColumn("event", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  const bool follow = followed_moves_ != view.cursor_moves && !view.moved_by_events_panel;
  if (follow && current_row >= 0) {
    const float visible = ImGui::GetWindowHeight() - row_h * 2;
    ImGui::SetScrollY(std::max(0.0f, static_cast<float>(current_row) * row_h - visible / 2));
  }
  followed_moves_ = view.cursor_moves;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(rows_.size()), row_h);
  while (clipper.Step())
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r)
      draw_event_row(ctx, r, rows_[static_cast<size_t>(r)], r == current_row, current ? rows_[static_cast<size_t>(r)] > *current : true);
  ImGui::EndTable();
}

}  // namespace ksim::viz
