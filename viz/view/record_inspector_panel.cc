#include "viz/view/record_inspector_panel.h"

#include <cstdio>

namespace ksim::viz {
namespace {

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace

void RecordInspectorPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Record inspector", rect)) {
    ImGui::End();
    return;
  }
  const ReplayModel& model = ctx.model;
  ViewState& view = ctx.view;
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
  const RecordJourney* j = view.selected_record ? model.journeys().find(*view.selected_record) : nullptr;
  if (!j) {
    ImGui::TextWrapped("Click a record cell in the Partitions panel to follow its journey: sent, appended, "
                       "fetched, committed, acknowledged, consumed, or lost.");
    if (!model.lost_acked().empty()) {
      ImGui::Spacing();
      ImGui::TextColored(v4(th.lost), "This run lost %zu acknowledged record(s):", model.lost_acked().size());
      int shown = 0;
      for (const auto& [id, l] : model.lost_acked()) {
        if (++shown > 8) break;
        const std::string label = record_label(model.header(), id) + " in " + l.tp.str();
        if (ImGui::SmallButton(label.c_str())) view.selected_record = id;
      }
    }
    ImGui::End();
    return;
  }
  ImGui::PushFont(ctx.fonts.bold);
  ImGui::Text("%s", record_label(model.header(), j->id).c_str());
  ImGui::PopFont();
  ImGui::SameLine(0, f);
  ImGui::TextColored(v4(th.text_dim), "%s  (record id %llu)", j->tp ? j->tp->str().c_str() : "?",
                     static_cast<unsigned long long>(j->id.value));
  ImGui::SameLine();
  if (ImGui::SmallButton("clear")) view.selected_record.reset();
  if (auto lost = model.lost_acked().find(j->id); lost != model.lost_acked().end()) {
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::TextColored(v4(th.lost), "LOST ACKNOWLEDGED WRITE");
    ImGui::PopFont();
    ImGui::TextWrapped("%s.", lost->second.why.c_str());
    if (lost->second.truncation_event) {
      const uint64_t e = *lost->second.truncation_event;
      ImGui::Text("Last removed by event #%llu at %.1f ms.", static_cast<unsigned long long>(e),
                  static_cast<double>(model.events()[e].time.us) / 1000.0);
    }
  } else if (j->acked) {
    ImGui::TextColored(v4(th.added), "acknowledged at offset %lld", static_cast<long long>(j->acked_offset.value));
  } else if (j->failed) {
    ImGui::TextColored(v4(th.warning), "the send failed (the record may still be in a log)");
  }

  const std::optional<uint64_t> current = current_event(view);
  if (ImGui::BeginTable("journey", 4,
                        ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                            ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("time (ms)", ImGuiTableColumnFlags_WidthFixed, f * 4.6f);
    ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthStretch, 2.0f);
    ImGui::TableSetupColumn("where", ImGuiTableColumnFlags_WidthStretch, 1.1f);
    ImGui::TableSetupColumn("offset", ImGuiTableColumnFlags_WidthFixed, f * 3.0f);
    ImGui::TableHeadersRow();
    int row = 0;
    for (const JourneyStep& st : j->steps) {
      ImGui::TableNextRow();
      const bool future = !current || st.event > *current;
      const bool bad = st.kind == JourneyKind::truncated || st.kind == JourneyKind::failed;
      if (current && st.event == *current) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, th.current_row);
      ImU32 colour = bad ? th.lost : (st.kind == JourneyKind::acked ? th.added : th.text);
      if (future) colour = with_alpha(colour, 0.45f);
      ImGui::PushStyleColor(ImGuiCol_Text, v4(colour));
      ImGui::TableSetColumnIndex(0);
      char t[32];
      std::snprintf(t, sizeof t, "%.3f##%d", static_cast<double>(st.at.us) / 1000.0, row++);
      if (ImGui::Selectable(t, false, ImGuiSelectableFlags_SpanAllColumns)) {
        request_step(view, model, st.event + 1);
        view.playing = false;
      }
      const bool row_hovered = ImGui::IsItemHovered();
      ImGui::TableSetColumnIndex(1);
      std::string what(journey_kind_name(st.kind));
      if (st.kind == JourneyKind::truncated || st.kind == JourneyKind::failed) what += " (" + st.detail + ")";
      ImGui::TextUnformatted(what.c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(std::string(model.header().node_name(st.node)).c_str());
      ImGui::TableSetColumnIndex(3);
      if (st.offset.value >= 0) ImGui::Text("%lld", static_cast<long long>(st.offset.value));
      if (row_hovered && !st.detail.empty()) ImGui::SetTooltip("%s: %s", what.c_str(), st.detail.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

}  // namespace ksim::viz
