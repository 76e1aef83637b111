#include "viz/view/record_inspector_panel.h"

#include <cstdio>

namespace ksim::viz {
namespace {

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// No record selected: how to pick one, and the run's lost records as buttons.
void draw_no_selection(const ReplayModel& model, ViewState& view, const Theme& th) {
  ImGui::TextWrapped("Click a record cell in the Partitions panel to follow its journey: sent, appended, "
                     "fetched, committed, acknowledged, consumed, or lost.");
  if (model.lost_acked().empty()) return;
  ImGui::Spacing();
  ImGui::TextColored(v4(th.lost), "This run lost %zu acknowledged record(s):", model.lost_acked().size());
  int shown = 0;
  for (const auto& [id, l] : model.lost_acked()) {
    if (++shown > 8) break;
    const std::string label = record_label(model.header(), id) + " in " + l.tp.str();
    if (ImGui::SmallButton(label.c_str())) view.selected_record = id;
  }
}

// "p1#17  orders-0 (record id ...)  [clear]"
void draw_record_title(const PanelContext& ctx, const RecordJourney& j) {
  const float f = ImGui::GetFontSize();
  ImGui::PushFont(ctx.fonts.bold);
  ImGui::Text("%s", record_label(ctx.model.header(), j.id).c_str());
  ImGui::PopFont();
  ImGui::SameLine(0, f);
  ImGui::TextColored(v4(ctx.theme.text_dim), "%s  (record id %llu)", j.tp ? j.tp->str().c_str() : "?",
                     static_cast<unsigned long long>(j.id.value));
  ImGui::SameLine();
  if (ImGui::SmallButton("clear")) ctx.view.selected_record.reset();
}

// Lost (and why, and the truncation that removed it), acknowledged, or failed.
void draw_outcome(const PanelContext& ctx, const RecordJourney& j) {
  const ReplayModel& model = ctx.model;
  const Theme& th = ctx.theme;
  if (auto lost = model.lost_acked().find(j.id); lost != model.lost_acked().end()) {
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::TextColored(v4(th.lost), "LOST ACKNOWLEDGED WRITE");
    ImGui::PopFont();
    ImGui::TextWrapped("%s.", lost->second.why.c_str());
    if (lost->second.truncation_event) {
      const uint64_t e = *lost->second.truncation_event;
      ImGui::Text("Last removed by event #%llu at %.1f ms.", static_cast<unsigned long long>(e),
                  static_cast<double>(model.events()[e].time.us) / 1000.0);
    }
  } else if (j.acked) {
    ImGui::TextColored(v4(th.added), "acknowledged at offset %lld", static_cast<long long>(j.acked_offset.value));
  } else if (j.failed) {
    ImGui::TextColored(v4(th.warning), "the send failed (the record may still be in a log)");
  }
}

// The producer side in one line: how many attempts, and what the leader did
// with a retry (appended it again, or recognised it).
void draw_producer_side(const PanelContext& ctx, const RecordJourney& j) {
  const ReplayModel& model = ctx.model;
  const Theme& th = ctx.theme;
  if (auto d = model.duplicates().find(j.id); d != model.duplicates().end()) {
    std::string at;
    for (size_t i = 0; i < d->second.size(); ++i)
      at += (i == 0 ? "" : i + 1 == d->second.size() ? " and " : ", ") + std::to_string(d->second[i].value);
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::TextColored(v4(th.duplicate), "DUPLICATE: the log holds it at offsets %s", at.c_str());
    ImGui::PopFont();
  }
  if (j.attempts > 1 || j.deduplicated) {
    std::string line = "sent in " + std::to_string(j.attempts) + " produce attempts";
    if (j.deduplicated) line += "; the leader recognised the retry (idempotence): written once";
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(v4(j.deduplicated ? th.added : th.warning), "%s", line.c_str());
    ImGui::PopTextWrapPos();
  }
}

bool is_duplicate_append(const JourneyStep& st) { return st.kind == JourneyKind::appended_by_leader && st.bad; }

// Red for what went wrong, magenta for a duplicate, yellow for a retry's
// cause, green for an ack; faded for a step still to come.
ImU32 step_colour(const JourneyStep& st, bool future, const Theme& th) {
  const bool bad = st.kind == JourneyKind::truncated || st.kind == JourneyKind::failed;
  ImU32 colour = bad ? th.lost
                 : is_duplicate_append(st) ? th.duplicate
                 : st.bad ? th.warning
                 : (st.kind == JourneyKind::acked || st.kind == JourneyKind::deduplicated) ? th.added
                                                                                           : th.text;
  return future ? with_alpha(colour, 0.45f) : colour;
}

// The producer side and a duplicate are told by their detail: it goes in the
// row, wrapped, rather than in a tooltip.
bool told_in_row(const JourneyStep& st) {
  return st.kind == JourneyKind::produce_attempt || st.kind == JourneyKind::produce_response ||
         st.kind == JourneyKind::producer_id_changed || st.kind == JourneyKind::deduplicated ||
         st.kind == JourneyKind::sequence_rejected || st.kind == JourneyKind::producer_crashed ||
         st.kind == JourneyKind::epoch_answered || is_duplicate_append(st);
}

std::string step_text(const JourneyStep& st) {
  std::string what(journey_kind_name(st.kind));
  if (st.kind == JourneyKind::truncated || st.kind == JourneyKind::failed) what += " (" + st.detail + ")";
  if (is_duplicate_append(st) || st.kind == JourneyKind::produce_attempt || st.kind == JourneyKind::produce_response)
    what = st.detail;  // it names itself: "attempt 2, a retry, of batch 5: ...", "answer to attempt 1: ..."
  else if (told_in_row(st)) what += ": " + st.detail;
  return what;
}

// One step: time (click to move the cursor there), what, where, offset.
void draw_journey_row(PanelContext& ctx, const JourneyStep& st, int row, std::optional<uint64_t> current) {
  const ReplayModel& model = ctx.model;
  ImGui::TableNextRow();
  const bool future = !current || st.event > *current;
  if (current && st.event == *current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ctx.theme.current_row);
  ImGui::PushStyleColor(ImGuiCol_Text, v4(step_colour(st, future, ctx.theme)));
  ImGui::TableSetColumnIndex(0);
  char t[32];
  std::snprintf(t, sizeof t, "%.3f##%d", static_cast<double>(st.at.us) / 1000.0, row);
  if (ImGui::Selectable(t, false, ImGuiSelectableFlags_SpanAllColumns)) {
    request_step(ctx.view, model, st.event + 1);
    ctx.view.playing = false;
  }
  const bool row_hovered = ImGui::IsItemHovered();
  ImGui::TableSetColumnIndex(1);
  const std::string what = step_text(st);
  if (told_in_row(st)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(what.c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextUnformatted(what.c_str());
  }
  ImGui::TableSetColumnIndex(2);
  std::string where(model.header().node_name(st.node));
  if (st.peer != kNoNode) where += " -> " + std::string(model.header().node_name(st.peer));
  ImGui::TextUnformatted(where.c_str());
  ImGui::TableSetColumnIndex(3);
  if (st.offset.value >= 0) ImGui::Text("%lld", static_cast<long long>(st.offset.value));
  if (row_hovered && !st.detail.empty()) ImGui::SetTooltip("%s: %s", what.c_str(), st.detail.c_str());
  ImGui::PopStyleColor();
}

void draw_journey_table(PanelContext& ctx, const RecordJourney& j) {
  const float f = ImGui::GetFontSize();
  const std::optional<uint64_t> current = current_event(ctx.view);
  if (!ImGui::BeginTable("journey", 4,
                         ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                             ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("time (ms)", ImGuiTableColumnFlags_WidthFixed, f * 4.6f);
  ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthStretch, 2.3f);
  ImGui::TableSetupColumn("where", ImGuiTableColumnFlags_WidthStretch, 1.35f);
  ImGui::TableSetupColumn("offset", ImGuiTableColumnFlags_WidthFixed, f * 3.0f);
  ImGui::TableHeadersRow();
  int row = 0;
  for (const JourneyStep& st : j.steps) draw_journey_row(ctx, st, row++, current);
  ImGui::EndTable();
}

}  // namespace

void RecordInspectorPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Record inspector", rect)) {
    ImGui::End();
    return;
  }
  const ViewState& view = ctx.view;
  const RecordJourney* j = view.selected_record ? ctx.model.journeys().find(*view.selected_record) : nullptr;
  if (!j) {
    draw_no_selection(ctx.model, ctx.view, ctx.theme);
  } else {
    draw_record_title(ctx, *j);
    draw_outcome(ctx, *j);
    draw_producer_side(ctx, *j);
    draw_journey_table(ctx, *j);
  }
  ImGui::End();
}

}  // namespace ksim::viz
