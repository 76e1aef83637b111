#include "viz/view/groups_panel.h"

#include <set>

namespace ksim::viz {
namespace {

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

ImU32 state_colour(std::string_view state, const Theme& th) {
  if (state == "Stable") return th.added;
  if (state == "Empty") return th.text_dim;
  if (state == "Dead") return th.revoked;
  return th.warning;  // PreparingRebalance, CompletingRebalance, Rebalancing
}

// "c1-3f2a..." -> "c1-3f2a" short enough for a projector.
std::string short_member(const std::string& id) { return id.size() > 14 ? id.substr(0, 13) + "~" : id; }

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
  std::vector<std::string> names;
  for (uint32_t i = 0; i < model.header().nodes.size(); ++i) names.emplace_back(model.header().node_name(NodeId(i)));
  auto node_of_member = [&](const GroupState& g, const std::string& id) {
    auto it = g.member_nodes.find(id);
    return it != g.member_nodes.end() ? it->second : member_node(id, names);
  };
  auto member_label = [&](const GroupState& g, const std::string& id) {
    const NodeId n = node_of_member(g, id);
    return n == kNoNode ? short_member(id) : std::string(model.header().node_name(n));
  };

  if (s.groups.empty()) ImGui::TextWrapped("No consumer group events yet (assignment_changed, group_stable, ...).");
  for (const auto& [name, g] : s.groups) {
    const std::string_view phase = group_phase(g, s);
    // Header: the group, its state in big coloured letters, generation.
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::Text("%s", name.empty() ? "(consumers without a group)" : ("Group " + name).c_str());
    ImGui::SameLine(0, f);
    ImGui::TextColored(v4(state_colour(phase, th)), "%.*s", static_cast<int>(phase.size()), phase.data());
    ImGui::SameLine(0, f);
    ImGui::Text("gen %d", g.generation.value);
    ImGui::PopFont();
    ImGui::SameLine(0, f);
    ImGui::TextColored(v4(th.text_dim), "rebalances %d", g.rebalances);
    if (!g.state.empty()) {
      const std::string coord =
          g.coordinator == kNoNode ? "?" : std::string(model.header().node_name(g.coordinator));
      ImGui::TextColored(v4(th.text_dim), "coordinator %s   %s%s", coord.c_str(),
                         g.state_reason.empty() ? "" : "last: ", g.state_reason.c_str());
      ImGui::Text("leader %s   protocol %s   members %zu", g.leader.empty() ? "-" : member_label(g, g.leader).c_str(),
                  g.protocol.empty() ? "-" : g.protocol.c_str(), g.member_ids.size());
    } else if (!name.empty()) {
      ImGui::TextColored(v4(th.text_dim), "(state derived from the consumers: no coordinator events)");
    }
    if (!g.last_commit_error.empty())
      ImGui::TextColored(v4(th.revoked), "last refused commit: %s (event #%llu)", g.last_commit_error.c_str(),
                         static_cast<unsigned long long>(g.last_commit_error_event));

    // The assignment: partition -> owner, what moved in the latest rebalance
    // highlighted, committed offset, HW and lag.
    const std::map<std::string, NodeId> owners = group_assignment(g);
    const std::set<std::string> moved(g.rebalance_moved.begin(), g.rebalance_moved.end());
    std::set<std::string> tps(moved.begin(), moved.end());
    for (const auto& [tp, n] : owners) tps.insert(tp);
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
        const bool was_moved = moved.count(tp) > 0;
        if (was_moved) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, with_alpha(th.warning, 0.25f));
        ImGui::TableSetColumnIndex(0);
        if (was_moved) ImGui::PushFont(ctx.fonts.bold);
        ImGui::TextUnformatted(tp.c_str());
        ImGui::TableSetColumnIndex(1);
        auto o = owners.find(tp);
        if (o == owners.end()) {
          ImGui::TextColored(v4(th.warning), "unowned");
        } else {
          const bool down = o->second.value < s.nodes.size() && s.nodes[o->second.value].status == NodeStatus::crashed;
          const std::string who = std::string(model.header().node_name(o->second)) + (down ? " (down)" : "");
          ImGui::TextColored(v4(down ? th.text_dim : was_moved ? th.added : th.text), "%s%s",
                             was_moved ? "-> " : "", who.c_str());
        }
        if (was_moved) ImGui::PopFont();
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
        if (lag) {
          ImGui::PushFont(ctx.fonts.bold);
          ImGui::TextColored(v4(*lag > 0 ? th.warning : th.added), "%lld", static_cast<long long>(*lag));
          ImGui::PopFont();
        } else {
          ImGui::TextColored(v4(th.text_dim), "-");
        }
      }
      ImGui::EndTable();
    }

    // Members: the consumers' own view (generation, + added / - revoked while fresh).
    if (ImGui::BeginTable(("members##" + name).c_str(), 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("member", ImGuiTableColumnFlags_WidthFixed, f * 6);
      ImGui::TableSetupColumn("gen", ImGuiTableColumnFlags_WidthFixed, f * 2.5f);
      ImGui::TableSetupColumn("its partitions (+ added, - revoked)");
      ImGui::TableHeadersRow();
      for (const auto& [node, m] : g.members) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        const bool down = node.value < s.nodes.size() && s.nodes[node.value].status == NodeStatus::crashed;
        bool is_leader = false;
        if (!g.leader.empty()) is_leader = node_of_member(g, g.leader) == node;
        const std::string who =
            std::string(model.header().node_name(node)) + (is_leader ? " *" : "") + (down ? " (down)" : "");
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
      // Members the coordinator has that never reported an assignment (e.g.
      // more consumers than partitions, or still joining).
      for (const std::string& id : g.member_ids) {
        const NodeId n = node_of_member(g, id);
        if (n != kNoNode && g.members.count(n)) continue;
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted((member_label(g, id) + (id == g.leader ? " *" : "")).c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextColored(v4(th.text_dim), "-");
        ImGui::TableSetColumnIndex(2);
        ImGui::TextColored(v4(th.text_dim), "(none)");
      }
      ImGui::EndTable();
    }
    if (!g.leader.empty()) ImGui::TextColored(v4(th.text_dim), "* the group leader (runs the assignor)");
    ImGui::Spacing();
  }
  ImGui::End();
}

}  // namespace ksim::viz
