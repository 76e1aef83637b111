#include "viz/view/checks_panel.h"

#include <string>

#include "viz/view/draw_util.h"

namespace ksim::viz {
namespace {

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace

void ChecksPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  const std::vector<CheckFinding>& findings = ctx.model.check_findings();
  size_t failing = 0;
  for (const CheckFinding& c : findings) failing += c.holds() ? 0 : 1;
  const std::string title = failing == 0 ? std::string("Checks: all hold###Checks")
                                         : "Checks: " + std::to_string(failing) + (failing == 1 ? " checker" : " checkers") +
                                               " found anomalies###Checks";
  if (!begin_panel(title.c_str(), rect)) {
    ImGui::End();
    return;
  }
  const Theme& th = ctx.theme;
  ViewState& view = ctx.view;
  if (findings.empty()) {
    ImGui::TextWrapped("No events in this trace: nothing to check.");
    ImGui::End();
    return;
  }
  const std::optional<uint64_t> here = current_event(view);
  for (const CheckFinding& c : findings) {
    if (c.holds()) continue;
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::TextColored(v4(th.lost), "%s: %llu found", c.name.c_str(), static_cast<unsigned long long>(c.count));
    ImGui::PopFont();
    if (ImGui::IsItemHovered() && !c.description.empty()) ImGui::SetTooltip("%s", c.description.c_str());
    ImGui::Indent();
    for (size_t i = 0; i < c.examples.size(); ++i) {
      const FindingExample& ex = c.examples[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::PushID(c.name.c_str());
      const bool at_it = here && *here == ex.event;
      // A wrapped selectable: the explanation is one sentence, often long.
      const float wrap = ImGui::GetContentRegionAvail().x;
      const ImVec2 size = ImGui::CalcTextSize(ex.example.explanation.c_str(), nullptr, false, wrap);
      const ImVec2 pos = ImGui::GetCursorScreenPos();
      if (ImGui::Selectable("##example", at_it, 0, ImVec2(wrap, size.y))) {
        request_step(view, ctx.model, ex.event + 1);
        view.playing = false;
        if (!ex.example.records.empty()) view.selected_record = ex.example.records.front();
      }
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(ex.at_end ? "click: go to the end of the run (a final-state anomaly)"
                                    : "click: go to event #%llu, where it happened",
                          static_cast<unsigned long long>(ex.event));
      ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), pos, th.text,
                                          ex.example.explanation.c_str(), nullptr, wrap);
      ImGui::PopID();
      ImGui::PopID();
    }
    if (c.count > c.examples.size())
      ImGui::TextColored(v4(th.text_dim), "... and %llu more",
                         static_cast<unsigned long long>(c.count - c.examples.size()));
    ImGui::Unindent();
  }
  std::string holding;
  for (const CheckFinding& c : findings)
    if (c.holds()) holding += (holding.empty() ? "" : ", ") + c.name;
  if (!holding.empty()) {
    if (failing > 0) ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, v4(th.text_dim));
    ImGui::TextWrapped("Hold: %s", holding.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::End();
}

}  // namespace ksim::viz
