#include "viz/view/groups_panel.h"

#include <set>

namespace ksim::viz {
namespace {

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace

void GroupsPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Consumer groups", rect)) {
    ImGui::End();
    return;
  }
  const ReplayModel& model = ctx.model;
  const ClusterState& s = model.state();
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
  const SimTime now = ctx.view.cursor.time;
  const int64_t fresh_us = ctx.view.recent_window_us() * 2;

  if (s.groups.empty()) ImGui::TextWrapped("No consumer group events yet (assignment_changed, consumer_polled, ...).");
  for (const auto& [name, g] : s.groups) {
    const std::string_view phase = group_phase(g, s);
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::Text("%s", name.empty() ? "(consumers without a group)" : ("Group " + name).c_str());
    ImGui::PopFont();
    ImGui::SameLine(0, f);
    ImGui::TextColored(v4(phase == "Stable" ? th.added : phase == "Empty" ? th.text_dim : th.warning), "%.*s",
                       static_cast<int>(phase.size()), phase.data());
    ImGui::SameLine(0, f);
    ImGui::Text("generation %d   rebalances %d", g.generation.value, g.rebalances);
    if (!g.last_commit_error.empty())
      ImGui::TextColored(v4(th.revoked), "last refused commit: %s (event #%llu)", g.last_commit_error.c_str(),
                         static_cast<unsigned long long>(g.last_commit_error_event));

    // Members.
    if (ImGui::BeginTable(("members##" + name).c_str(), 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("member", ImGuiTableColumnFlags_WidthFixed, f * 6);
      ImGui::TableSetupColumn("gen", ImGuiTableColumnFlags_WidthFixed, f * 2.5f);
      ImGui::TableSetupColumn("assigned partitions");
      ImGui::TableHeadersRow();
      for (const auto& [node, m] : g.members) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        const bool down = node.value < s.nodes.size() && s.nodes[node.value].status == NodeStatus::crashed;
        const std::string who = std::string(model.header().node_name(node)) + (down ? " (down)" : "");
        if (down) ImGui::TextColored(v4(th.text_dim), "%s", who.c_str()); else ImGui::TextUnformatted(who.c_str());
        ImGui::TableSetColumnIndex(1);
        if (m.generation != g.generation)
          ImGui::TextColored(v4(th.warning), "%d", m.generation.value);
        else
          ImGui::Text("%d", m.generation.value);
        ImGui::TableSetColumnIndex(2);
        const bool fresh = (now - m.changed_at).us <= fresh_us && m.changed_at <= now;
        const std::set<std::string> added(m.added.begin(), m.added.end());
        bool first = true;
        for (const std::string& tp : m.assigned) {
          if (!first) ImGui::SameLine();
          first = false;
          if (fresh && added.count(tp)) {
            ImGui::PushFont(ctx.fonts.bold);
            ImGui::TextColored(v4(th.added), "+%s", tp.c_str());
            ImGui::PopFont();
          } else {
            ImGui::TextUnformatted(tp.c_str());
          }
        }
        if (fresh)
          for (const std::string& tp : m.revoked) {
            if (!first) ImGui::SameLine();
            first = false;
            ImGui::TextColored(v4(th.revoked), "-%s", tp.c_str());
          }
        if (first) ImGui::TextColored(v4(th.text_dim), "(none)");
      }
      ImGui::EndTable();
    }

    // Partitions: owner, committed offset, lag.
    std::set<std::string> tps;
    for (const auto& [node, m] : g.members) tps.insert(m.assigned.begin(), m.assigned.end());
    for (const auto& [tp, c] : g.committed) tps.insert(tp);
    if (!tps.empty() &&
        ImGui::BeginTable(("offsets##" + name).c_str(), 5,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("partition");
      ImGui::TableSetupColumn("owner");
      ImGui::TableSetupColumn("committed");
      ImGui::TableSetupColumn("HW");
      ImGui::TableSetupColumn("lag");
      ImGui::TableHeadersRow();
      for (const std::string& tp : tps) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(tp.c_str());
        ImGui::TableSetColumnIndex(1);
        std::string owner;
        for (const auto& [node, m] : g.members)
          for (const std::string& a : m.assigned)
            if (a == tp) owner += (owner.empty() ? "" : ", ") + std::string(model.header().node_name(node));
        if (owner.empty()) ImGui::TextColored(v4(th.warning), "unowned"); else ImGui::TextUnformatted(owner.c_str());
        ImGui::TableSetColumnIndex(2);
        auto c = g.committed.find(tp);
        if (c != g.committed.end()) ImGui::Text("%lld", static_cast<long long>(c->second.offset.value));
        else ImGui::TextColored(v4(th.text_dim), "-");
        const auto parsed = parse_topic_partition(tp);
        const PartitionState* ps = nullptr;
        if (parsed) if (auto it = s.partitions.find(*parsed); it != s.partitions.end()) ps = &it->second;
        const ReplicaState* leader = ps ? ps->leader_replica() : nullptr;
        ImGui::TableSetColumnIndex(3);
        if (leader) ImGui::Text("%lld", static_cast<long long>(leader->hw.value));
        else ImGui::TextColored(v4(th.text_dim), "-");
        ImGui::TableSetColumnIndex(4);
        const auto lag = parsed && c != g.committed.end() ? consumer_lag(s, *parsed, c->second.offset) : std::nullopt;
        if (lag) ImGui::Text("%lld", static_cast<long long>(*lag));
        else ImGui::TextColored(v4(th.text_dim), "-");
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
  }
  ImGui::End();
}

}  // namespace ksim::viz
