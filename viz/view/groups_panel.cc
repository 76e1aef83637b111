#include "viz/view/groups_panel.h"

#include <cmath>
#include <cstdio>
#include <set>

namespace ksim::viz {
namespace {

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

ImU32 state_colour(std::string_view state, const Theme& th) {
  if (state == "Stable") return th.added;
  if (state == "Empty") return th.text_dim;
  if (state == "Dead" || state == kNoCoordinator) return th.revoked;
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

  auto removal_text = [&](const RemovedMember& r) {
    const std::string who = r.node != kNoNode ? std::string(model.header().node_name(r.node)) : short_member(r.member);
    char b[240];
    std::string why;
    if (r.reason == "session_timeout") {
      std::snprintf(b, sizeof b, "no heartbeat for session.timeout.ms (%.0f s)", r.session_timeout_ms / 1000.0);
      why = b;
      if (r.process_gone) {
        std::snprintf(b, sizeof b, " since its %s crashed at %.1f s", r.restarted ? "old process" : "process",
                      static_cast<double>(r.process_gone_at.us) / 1e6);
        why += b;
      }
    } else if (r.reason == "rebalance_timeout") {
      why = "did not rejoin or sync within the rebalance timeout (max.poll.interval.ms)";
    } else if (r.reason == "leave") {
      why = "it left the group (LeaveGroup, e.g. close())";
    } else if (r.reason == "fenced_static_instance") {
      why = "a new process took over its group.instance.id";
    } else {
      why = r.reason;
    }
    std::snprintf(b, sizeof b, "t=%.1f s: the coordinator removed %s%s: ", static_cast<double>(r.at.us) / 1e6,
                  who.c_str(), r.restarted ? "'s old member" : "");
    return std::string(b) + why + ".";
  };

  if (s.groups.empty()) ImGui::TextWrapped("No consumer group events yet (assignment_changed, group_stable, ...).");
  auto draw_group = [&](const std::string& name, const auto& g) {
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
      ImGui::PushTextWrapPos(0.0f);
      if (phase == kNoCoordinator)
        ImGui::TextColored(v4(th.revoked), "coordinator %s DOWN (was %s); back when a new leader of its "
                           "__consumer_offsets partition loads it", coord.c_str(), g.state.c_str());
      else
        ImGui::TextColored(v4(th.text_dim), "coordinator %s   %s%s", coord.c_str(),
                           g.state_reason.empty() ? "" : "last: ", g.state_reason.c_str());
      ImGui::PopTextWrapPos();
      const std::string leader =
          g.leader.empty() ? "-" : member_label(g, g.leader) + (member_process_gone(g, g.leader, s) ? " (gone)" : "");
      // Kafka's RebalanceProtocol: only the cooperative-sticky assignor is
      // COOPERATIVE (KIP-429); range, roundrobin and sticky are EAGER.
      const bool cooperative = g.protocol == "cooperative-sticky";
      ImGui::Text("leader %s   protocol %s%s   members %zu", leader.c_str(),
                  g.protocol.empty() ? "-" : g.protocol.c_str(),
                  g.protocol.empty() ? "" : cooperative ? " (cooperative)" : " (eager)", g.member_ids.size());
      // During a rebalance, what the protocol means for the members' partitions.
      if ((phase == "PreparingRebalance" || phase == "CompletingRebalance") && !g.protocol.empty() &&
          g.generation.value > 0) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(v4(th.warning), "%s",
                           cooperative ? "Cooperative rebalance (KIP-429): members keep consuming the partitions "
                                         "that stay theirs; only a partition changing owner is revoked, and handed "
                                         "over in a follow-up rebalance."
                                       : "Eager rebalance: every member revokes all its partitions; nothing is "
                                         "consumed until the new assignment arrives.");
        ImGui::PopTextWrapPos();
      }
    } else if (!name.empty()) {
      ImGui::TextColored(v4(th.text_dim), "(state derived from the consumers: no coordinator events)");
    }
    if (!g.last_commit_error.empty())
      ImGui::TextColored(v4(th.revoked), "last refused commit: %s (event #%llu)", g.last_commit_error.c_str(),
                         static_cast<unsigned long long>(g.last_commit_error_event));

    // Members the coordinator keeps whose process is gone (crashed, or
    // restarted under a new member id): Kafka's truth, shown as such.
    struct Ghost {
      std::string id;
      GoneMember gone;
    };
    std::vector<Ghost> ghosts;
    for (const std::string& id : g.member_ids)
      if (auto gone = member_process_gone(g, id, s)) ghosts.push_back({id, *gone});
    auto ghost_of_node = [&](NodeId n) -> const Ghost* {
      for (const Ghost& gh : ghosts)
        if (gh.gone.node == n && !gh.gone.restarted) return &gh;
      return nullptr;
    };
    // One line per gone member: whose process, since when, kept until when.
    auto ghost_note = [&](const Ghost& gh) {
      const std::string who(model.header().node_name(gh.gone.node));
      char buf[200];
      std::string until = "until its session expires";
      if (gh.gone.session_expires_at) {
        const double left_s = static_cast<double>((*gh.gone.session_expires_at - now).us) / 1e6;
        std::snprintf(buf, sizeof buf, "until t=%.1f s%s", static_cast<double>(gh.gone.session_expires_at->us) / 1e6,
                      left_s > 0 ? (" (in " + std::to_string(static_cast<int>(std::ceil(left_s))) + " s)").c_str()
                                 : " (overdue)");
        until = buf;
      }
      std::snprintf(buf, sizeof buf, "%s's %s crashed at %.1f s: its member is kept %s.", who.c_str(),
                    gh.gone.restarted ? "old process" : "process", static_cast<double>(gh.gone.gone_since.us) / 1e6,
                    until.c_str());
      return std::string(buf);
    };

    // What a student must see first: members kept for processes that are
    // gone, and members just removed, with why.
    for (const Ghost& gh : ghosts) {
      ImGui::PushFont(ctx.fonts.bold);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(v4(th.warning), "%s", ghost_note(gh).c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopFont();
    }
    if (!ghosts.empty()) {
      const auto sess = g.sessions.find(ghosts.front().id);
      const double timeout_s = sess != g.sessions.end() ? sess->second.session_timeout_ms / 1000.0 : 0;
      char buf[240];
      std::snprintf(buf, sizeof buf,
                    "Nobody tells the coordinator that a process died: it keeps the member%s until "
                    "session.timeout.ms (%.0f s) passes without a heartbeat.",
                    phase == "PreparingRebalance" ? ", and the rebalance waits for it," : " and its partitions",
                    timeout_s);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(v4(th.warning), "%s", buf);
      ImGui::PopTextWrapPos();
    }
    std::vector<const RemovedMember*> old_removals;
    {
      int shown = 0;
      for (auto r = g.removed.rbegin(); r != g.removed.rend() && shown < 3; ++r, ++shown) {
        if (r->at > now) continue;
        if ((now - r->at).us > std::max<int64_t>(fresh_us * 2, 10'000'000)) {
          old_removals.push_back(&*r);
          continue;
        }
        ImGui::PushFont(ctx.fonts.bold);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(v4(th.revoked), "%s", removal_text(*r).c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
      }
    }

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
          const std::string who = std::string(model.header().node_name(o->second)) + (down ? " (crashed)" : "");
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

    auto until_text = [&](const Ghost& gh) {
      if (!gh.gone.session_expires_at) return std::string("kept until its session expires");
      char b[64];
      std::snprintf(b, sizeof b, "kept until t=%.1f s", static_cast<double>(gh.gone.session_expires_at->us) / 1e6);
      return std::string(b);
    };
    // The coordinator's latest removal of a member of this consumer node.
    auto removal_of = [&](NodeId n) -> const RemovedMember* {
      for (auto r = g.removed.rbegin(); r != g.removed.rend(); ++r)
        if (r->node == n) return &*r;
      return nullptr;
    };
    // Members: the consumers' own view (generation, + added / - revoked while fresh).
    if (ImGui::BeginTable(("members##" + name).c_str(), 3,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("member", ImGuiTableColumnFlags_WidthFixed, f * 7.5f);
      ImGui::TableSetupColumn("gen", ImGuiTableColumnFlags_WidthFixed, f * 2.5f);
      ImGui::TableSetupColumn("its partitions (+ added, - revoked)");
      ImGui::TableHeadersRow();
      for (const auto& [node, m] : g.members) {
        ImGui::TableNextRow();
        const bool down = node.value < s.nodes.size() && s.nodes[node.value].status == NodeStatus::crashed;
        const Ghost* ghost = ghost_of_node(node);
        if (ghost) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, th.ghost_bg);
        ImGui::TableSetColumnIndex(0);
        bool is_leader = false;
        if (!g.leader.empty()) is_leader = node_of_member(g, g.leader) == node;
        const std::string who = std::string(model.header().node_name(node)) + (is_leader ? " *" : "") +
                                (ghost ? " GONE" : down ? " (crashed)" : "");
        if (down) ImGui::TextColored(v4(th.text_dim), "%s", who.c_str()); else ImGui::TextUnformatted(who.c_str());
        ImGui::TableSetColumnIndex(1);
        if (m.generation != g.generation)
          ImGui::TextColored(v4(down ? th.text_dim : th.warning), "%d", m.generation.value);
        else
          ImGui::TextColored(v4(down ? th.text_dim : th.text), "%d", m.generation.value);
        ImGui::TableSetColumnIndex(2);
        // A crashed consumer the coordinator has removed is no member any more.
        if (const RemovedMember* r = removal_of(node); down && !ghost && r) {
          ImGui::TextColored(v4(th.text_dim), "member removed at %.1f s (%s)", static_cast<double>(r->at.us) / 1e6,
                             r->reason.c_str());
          continue;
        }
        const bool fresh = !down && (now - m.changed_at).us <= fresh_us && m.changed_at <= now;
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
            ImGui::TextColored(v4(down ? th.text_dim : th.text), "%s", tp.c_str());
          }
        }
        if (fresh)
          for (const std::string& tp : m.revoked) {
            if (!first) ImGui::SameLine();
            first = false;
            ImGui::TextColored(v4(th.revoked), "-%s", tp.c_str());
          }
        if (first) ImGui::TextColored(v4(th.text_dim), "(none)");
        if (ghost) {
          ImGui::SameLine();
          ImGui::TextColored(v4(th.warning), "%s", until_text(*ghost).c_str());
        } else if (down && !m.assigned.empty()) {
          ImGui::SameLine();
          ImGui::TextColored(v4(th.text_dim), "(held when it crashed)");
        }
      }
      // Members the coordinator has that never reported an assignment (e.g.
      // more consumers than partitions, or still joining), and the old member
      // of a consumer that restarted: a new process joins under a new member
      // id, the old one stays until its session expires.
      for (const std::string& id : g.member_ids) {
        const NodeId n = node_of_member(g, id);
        const auto gone = member_process_gone(g, id, s);
        if (n != kNoNode && g.members.count(n) && !(gone && gone->restarted)) continue;
        ImGui::TableNextRow();
        if (gone) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, th.ghost_bg);
        ImGui::TableSetColumnIndex(0);
        const std::string label = member_label(g, id) + (id == g.leader ? " *" : "") +
                                  (gone ? (gone->restarted ? " (old)" : " GONE") : "");
        ImGui::TextColored(v4(gone ? th.text_dim : th.text), "%s", label.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextColored(v4(th.text_dim), "-");
        ImGui::TableSetColumnIndex(2);
        if (gone)
          ImGui::TextColored(v4(th.warning), "%s%s", gone->restarted ? "its crashed process, " : "",
                             until_text(Ghost{id, *gone}).c_str());
        else
          ImGui::TextColored(v4(th.text_dim), "(none)");
      }
      ImGui::EndTable();
    }
    // Older removals, for the record (the recent ones are at the top).
    for (const RemovedMember* r : old_removals) {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(v4(th.text_dim), "%s", removal_text(*r).c_str());
      ImGui::PopTextWrapPos();
    }
    if (!g.leader.empty()) ImGui::TextColored(v4(th.text_dim), "* the group leader (runs the assignor)");
    ImGui::Spacing();
  };

  if (s.groups.size() <= 1) {
    for (const auto& [name, g] : s.groups) draw_group(name, g);
  } else if (ImGui::BeginTabBar("groups", ImGuiTabBarFlags_FittingPolicyScroll)) {
    // One tab per group, so each is one click away on a projector; the tab
    // names its state, so a rebalance in the hidden group still shows.
    for (const auto& [name, g] : s.groups) {
      const std::string_view phase = group_phase(g, s);
      const std::string label = (name.empty() ? std::string("(no group)") : name) + "  " + std::string(phase) + "###" + name;
      ImGui::PushStyleColor(ImGuiCol_Text, v4(phase == "Stable" || phase.empty() ? th.text : state_colour(phase, th)));
      const bool open = ImGui::BeginTabItem(label.c_str());
      ImGui::PopStyleColor();
      if (!open) continue;
      draw_group(name, g);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace ksim::viz
