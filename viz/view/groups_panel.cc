#include "viz/view/groups_panel.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

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

// What drawing a group needs besides the group: the panel's context, the
// state at the cursor, and the node names member ids are matched against.
struct GroupDrawing {
  const PanelContext& ctx;
  const ClusterState& s;
  std::vector<std::string> names;
  SimTime now;
  int64_t fresh_us;

  std::string_view node_name(NodeId n) const { return ctx.model.header().node_name(n); }
  NodeId node_of_member(const GroupState& g, const std::string& id) const {
    auto it = g.member_nodes.find(id);
    return it != g.member_nodes.end() ? it->second : member_node(id, names);
  }
  std::string member_label(const GroupState& g, const std::string& id) const {
    const NodeId n = node_of_member(g, id);
    return n == kNoNode ? short_member(id) : std::string(node_name(n));
  }
  bool crashed(NodeId n) const { return n.value < s.nodes.size() && s.nodes[n.value].status == NodeStatus::crashed; }
};

// Why the coordinator removed a member, in words.
std::string removal_reason(const RemovedMember& r) {
  char b[240];
  if (r.reason == "session_timeout") {
    std::snprintf(b, sizeof b, "no heartbeat for session.timeout.ms (%.0f s)", r.session_timeout_ms / 1000.0);
    std::string why = b;
    if (r.process_gone) {
      std::snprintf(b, sizeof b, " since its %s crashed at %.1f s", r.restarted ? "old process" : "process",
                    static_cast<double>(r.process_gone_at.us) / 1e6);
      why += b;
    }
    return why;
  }
  if (r.reason == "rebalance_timeout") return "did not rejoin or sync within the rebalance timeout (max.poll.interval.ms)";
  if (r.reason == "leave") return "it left the group (LeaveGroup, e.g. close())";
  if (r.reason == "fenced_static_instance") return "a new process took over its group.instance.id";
  return r.reason;
}

// "t=54.1 s: the coordinator removed c1: no heartbeat for ..."
std::string removal_text(const GroupDrawing& d, const RemovedMember& r) {
  const std::string who = r.node != kNoNode ? std::string(d.node_name(r.node)) : short_member(r.member);
  const std::string why = removal_reason(r);
  char b[240];
  std::snprintf(b, sizeof b, "t=%.1f s: the coordinator removed %s%s: ", static_cast<double>(r.at.us) / 1e6,
                who.c_str(), r.restarted ? "'s old member" : "");
  return std::string(b) + why + ".";
}

void wrapped_text(ImU32 colour, const std::string& text) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(v4(colour), "%s", text.c_str());
  ImGui::PopTextWrapPos();
}

void bold_wrapped_text(const PanelContext& ctx, ImU32 colour, const std::string& text) {
  ImGui::PushFont(ctx.fonts.bold);
  wrapped_text(colour, text);
  ImGui::PopFont();
}

// The group, its state in big coloured letters, generation, rebalances.
void draw_group_title(const GroupDrawing& d, const std::string& name, const GroupState& g, std::string_view phase) {
  const Theme& th = d.ctx.theme;
  const float f = ImGui::GetFontSize();
  ImGui::PushFont(d.ctx.fonts.bold);
  ImGui::Text("%s", name.empty() ? "(consumers without a group)" : ("Group " + name).c_str());
  ImGui::SameLine(0, f);
  ImGui::TextColored(v4(state_colour(phase, th)), "%.*s", static_cast<int>(phase.size()), phase.data());
  ImGui::SameLine(0, f);
  ImGui::Text("gen %d", g.generation.value);
  ImGui::PopFont();
  ImGui::SameLine(0, f);
  ImGui::TextColored(v4(th.text_dim), "rebalances %d", g.rebalances);
}

// During a rebalance, what the protocol means for the members' partitions.
void draw_rebalance_protocol_note(const Theme& th, bool cooperative) {
  wrapped_text(th.warning, cooperative ? "Cooperative rebalance (KIP-429): members keep consuming the partitions "
                                         "that stay theirs; only a partition changing owner is revoked, and handed "
                                         "over in a follow-up rebalance."
                                       : "Eager rebalance: every member revokes all its partitions; nothing is "
                                         "consumed until the new assignment arrives.");
}

// The coordinator's word: who it is (or that it is down), the leader member,
// the protocol (eager or cooperative) and the member count.
void draw_coordinator_view(const GroupDrawing& d, const GroupState& g, std::string_view phase) {
  const Theme& th = d.ctx.theme;
  const std::string coord = g.coordinator == kNoNode ? "?" : std::string(d.node_name(g.coordinator));
  ImGui::PushTextWrapPos(0.0f);
  if (phase == kNoCoordinator)
    ImGui::TextColored(v4(th.revoked), "coordinator %s DOWN (was %s); back when a new leader of its "
                       "__consumer_offsets partition loads it", coord.c_str(), g.state.c_str());
  else
    ImGui::TextColored(v4(th.text_dim), "coordinator %s   %s%s", coord.c_str(),
                       g.state_reason.empty() ? "" : "last: ", g.state_reason.c_str());
  ImGui::PopTextWrapPos();
  const std::string leader =
      g.leader.empty() ? "-" : d.member_label(g, g.leader) + (member_process_gone(g, g.leader, d.s) ? " (gone)" : "");
  // Kafka's RebalanceProtocol: only the cooperative-sticky assignor is
  // COOPERATIVE (KIP-429); range, roundrobin and sticky are EAGER.
  const bool cooperative = g.protocol == "cooperative-sticky";
  ImGui::Text("leader %s   protocol %s%s   members %zu", leader.c_str(), g.protocol.empty() ? "-" : g.protocol.c_str(),
              g.protocol.empty() ? "" : cooperative ? " (cooperative)" : " (eager)", g.member_ids.size());
  if ((phase == "PreparingRebalance" || phase == "CompletingRebalance") && !g.protocol.empty() &&
      g.generation.value > 0)
    draw_rebalance_protocol_note(th, cooperative);
}

// Header lines: title, the coordinator's view (or that there is none), the
// last refused commit.
void draw_group_header(const GroupDrawing& d, const std::string& name, const GroupState& g, std::string_view phase) {
  const Theme& th = d.ctx.theme;
  draw_group_title(d, name, g, phase);
  if (!g.state.empty()) {
    draw_coordinator_view(d, g, phase);
  } else if (!name.empty()) {
    ImGui::TextColored(v4(th.text_dim), "(state derived from the consumers: no coordinator events)");
  }
  if (!g.last_commit_error.empty())
    ImGui::TextColored(v4(th.revoked), "last refused commit: %s (event #%llu)", g.last_commit_error.c_str(),
                       static_cast<unsigned long long>(g.last_commit_error_event));
}

// A member the coordinator keeps whose process is gone (crashed, or
// restarted under a new member id): Kafka's truth, shown as such.
struct Ghost {
  std::string id;
  GoneMember gone;
};

std::vector<Ghost> gone_members(const GroupState& g, const ClusterState& s) {
  std::vector<Ghost> ghosts;
  for (const std::string& id : g.member_ids)
    if (auto gone = member_process_gone(g, id, s)) ghosts.push_back({id, *gone});
  return ghosts;
}

// The ghost of consumer node n's crashed (not restarted) process, if any.
const Ghost* ghost_of_node(const std::vector<Ghost>& ghosts, NodeId n) {
  for (const Ghost& gh : ghosts)
    if (gh.gone.node == n && !gh.gone.restarted) return &gh;
  return nullptr;
}

// One line per gone member: whose process, since when, kept until when.
std::string ghost_note(const GroupDrawing& d, const Ghost& gh) {
  const std::string who(d.node_name(gh.gone.node));
  char buf[200];
  std::string until = "until its session expires";
  if (gh.gone.session_expires_at) {
    const double left_s = static_cast<double>((*gh.gone.session_expires_at - d.now).us) / 1e6;
    std::snprintf(buf, sizeof buf, "until t=%.1f s%s", static_cast<double>(gh.gone.session_expires_at->us) / 1e6,
                  left_s > 0 ? (" (in " + std::to_string(static_cast<int>(std::ceil(left_s))) + " s)").c_str()
                             : " (overdue)");
    until = buf;
  }
  std::snprintf(buf, sizeof buf, "%s's %s crashed at %.1f s: its member is kept %s.", who.c_str(),
                gh.gone.restarted ? "old process" : "process", static_cast<double>(gh.gone.gone_since.us) / 1e6,
                until.c_str());
  return std::string(buf);
}

// "kept until t=54.1 s", for a gone member's row.
std::string until_text(const Ghost& gh) {
  if (!gh.gone.session_expires_at) return std::string("kept until its session expires");
  char b[64];
  std::snprintf(b, sizeof b, "kept until t=%.1f s", static_cast<double>(gh.gone.session_expires_at->us) / 1e6);
  return std::string(b);
}

// What a student must see first: members kept for processes that are gone,
// and why the coordinator keeps them.
void draw_gone_member_notes(const GroupDrawing& d, const GroupState& g, std::string_view phase,
                            const std::vector<Ghost>& ghosts) {
  const Theme& th = d.ctx.theme;
  for (const Ghost& gh : ghosts) bold_wrapped_text(d.ctx, th.warning, ghost_note(d, gh));
  if (ghosts.empty()) return;
  const auto sess = g.sessions.find(ghosts.front().id);
  const double timeout_s = sess != g.sessions.end() ? sess->second.session_timeout_ms / 1000.0 : 0;
  char buf[240];
  std::snprintf(buf, sizeof buf,
                "Nobody tells the coordinator that a process died: it keeps the member%s until "
                "session.timeout.ms (%.0f s) passes without a heartbeat.",
                phase == "PreparingRebalance" ? ", and the rebalance waits for it," : " and its partitions", timeout_s);
  wrapped_text(th.warning, buf);
}

// Members just removed, with why, in bold; returns the older of the latest
// three, which go under the tables.
std::vector<const RemovedMember*> draw_recent_removals(const GroupDrawing& d, const GroupState& g) {
  std::vector<const RemovedMember*> old_removals;
  int shown = 0;
  for (auto r = g.removed.rbegin(); r != g.removed.rend() && shown < 3; ++r, ++shown) {
    if (r->at > d.now) continue;
    if ((d.now - r->at).us > std::max<int64_t>(d.fresh_us * 2, 10'000'000)) {
      old_removals.push_back(&*r);
      continue;
    }
    bold_wrapped_text(d.ctx, d.ctx.theme.revoked, removal_text(d, *r));
  }
  return old_removals;
}

void draw_dash(const Theme& th) { ImGui::TextColored(v4(th.text_dim), "-"); }

// The owner cell: "-> c2" for a partition that just moved, "(crashed)" for a dead owner.
void draw_owner_cell(const GroupDrawing& d, const std::map<std::string, NodeId>& owners, const std::string& tp,
                     bool was_moved) {
  const Theme& th = d.ctx.theme;
  auto o = owners.find(tp);
  if (o == owners.end()) {
    ImGui::TextColored(v4(th.warning), "unowned");
    return;
  }
  const bool down = d.crashed(o->second);
  const std::string who = std::string(d.node_name(o->second)) + (down ? " (crashed)" : "");
  ImGui::TextColored(v4(down ? th.text_dim : was_moved ? th.added : th.text), "%s%s", was_moved ? "-> " : "",
                     who.c_str());
}

// The committed, HW and lag cells of partition tp.
void draw_offset_cells(const GroupDrawing& d, const GroupState& g, const std::string& tp) {
  const Theme& th = d.ctx.theme;
  ImGui::TableSetColumnIndex(2);
  auto c = g.committed.find(tp);
  if (c != g.committed.end()) ImGui::Text("%lld", static_cast<long long>(c->second.offset.value));
  else draw_dash(th);
  const auto parsed = parse_topic_partition(tp);
  const PartitionState* ps = nullptr;
  if (parsed) if (auto it = d.s.partitions.find(*parsed); it != d.s.partitions.end()) ps = &it->second;
  const ReplicaState* leader = ps ? ps->leader_replica() : nullptr;
  ImGui::TableSetColumnIndex(3);
  if (leader) ImGui::Text("%lld", static_cast<long long>(leader->hw.value));
  else draw_dash(th);
  ImGui::TableSetColumnIndex(4);
  const auto lag = parsed && c != g.committed.end() ? consumer_lag(d.s, *parsed, c->second.offset) : std::nullopt;
  if (!lag) {
    draw_dash(th);
    return;
  }
  ImGui::PushFont(d.ctx.fonts.bold);
  ImGui::TextColored(v4(*lag > 0 ? th.warning : th.added), "%lld", static_cast<long long>(*lag));
  ImGui::PopFont();
}

// The assignment: partition -> owner, what moved in the latest rebalance
// highlighted, committed offset, HW and lag.
void draw_assignment_table(const GroupDrawing& d, const std::string& name, const GroupState& g) {
  const Theme& th = d.ctx.theme;
  const std::map<std::string, NodeId> owners = group_assignment(g);
  const std::set<std::string> moved(g.rebalance_moved.begin(), g.rebalance_moved.end());
  std::set<std::string> tps(moved.begin(), moved.end());
  for (const auto& [tp, n] : owners) tps.insert(tp);
  for (const auto& [tp, c] : g.committed) tps.insert(tp);
  if (tps.empty() ||
      !ImGui::BeginTable(("offsets##" + name).c_str(), 5,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp))
    return;
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
    if (was_moved) ImGui::PushFont(d.ctx.fonts.bold);
    ImGui::TextUnformatted(tp.c_str());
    ImGui::TableSetColumnIndex(1);
    draw_owner_cell(d, owners, tp, was_moved);
    if (was_moved) ImGui::PopFont();
    draw_offset_cells(d, g, tp);
  }
  ImGui::EndTable();
}

// The coordinator's latest removal of a member of this consumer node.
const RemovedMember* removal_of(const GroupState& g, NodeId n) {
  for (auto r = g.removed.rbegin(); r != g.removed.rend(); ++r)
    if (r->node == n) return &*r;
  return nullptr;
}

// A member's partitions: + added and - revoked while its change is fresh.
void draw_member_partitions(const GroupDrawing& d, const MemberState& m, bool down, const Ghost* ghost) {
  const Theme& th = d.ctx.theme;
  const bool fresh = !down && (d.now - m.changed_at).us <= d.fresh_us && m.changed_at <= d.now;
  const std::set<std::string> added(m.added.begin(), m.added.end());
  bool first = true;
  for (const std::string& tp : m.assigned) {
    if (!first) ImGui::SameLine();
    first = false;
    if (fresh && added.count(tp)) {
      ImGui::PushFont(d.ctx.fonts.bold);
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

// One consumer's row: its name (* for the leader, GONE, crashed), its
// generation, its partitions.
void draw_member_row(const GroupDrawing& d, const GroupState& g, NodeId node, const MemberState& m,
                     const std::vector<Ghost>& ghosts) {
  const Theme& th = d.ctx.theme;
  ImGui::TableNextRow();
  const bool down = d.crashed(node);
  const Ghost* ghost = ghost_of_node(ghosts, node);
  if (ghost) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, th.ghost_bg);
  ImGui::TableSetColumnIndex(0);
  bool is_leader = false;
  if (!g.leader.empty()) is_leader = d.node_of_member(g, g.leader) == node;
  const std::string who = std::string(d.node_name(node)) + (is_leader ? " *" : "") +
                          (ghost ? " GONE" : down ? " (crashed)" : "");
  if (down) ImGui::TextColored(v4(th.text_dim), "%s", who.c_str()); else ImGui::TextUnformatted(who.c_str());
  ImGui::TableSetColumnIndex(1);
  if (m.generation != g.generation)
    ImGui::TextColored(v4(down ? th.text_dim : th.warning), "%d", m.generation.value);
  else
    ImGui::TextColored(v4(down ? th.text_dim : th.text), "%d", m.generation.value);
  ImGui::TableSetColumnIndex(2);
  // A crashed consumer the coordinator has removed is no member any more.
  if (const RemovedMember* r = removal_of(g, node); down && !ghost && r) {
    ImGui::TextColored(v4(th.text_dim), "member removed at %.1f s (%s)", static_cast<double>(r->at.us) / 1e6,
                       r->reason.c_str());
    return;
  }
  draw_member_partitions(d, m, down, ghost);
}

// Members the coordinator has that never reported an assignment (e.g. more
// consumers than partitions, or still joining), and the old member of a
// consumer that restarted: a new process joins under a new member id, the old
// one stays until its session expires.
void draw_coordinator_only_rows(const GroupDrawing& d, const GroupState& g) {
  const Theme& th = d.ctx.theme;
  for (const std::string& id : g.member_ids) {
    const NodeId n = d.node_of_member(g, id);
    const auto gone = member_process_gone(g, id, d.s);
    if (n != kNoNode && g.members.count(n) && !(gone && gone->restarted)) continue;
    ImGui::TableNextRow();
    if (gone) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, th.ghost_bg);
    ImGui::TableSetColumnIndex(0);
    const std::string label = d.member_label(g, id) + (id == g.leader ? " *" : "") +
                              (gone ? (gone->restarted ? " (old)" : " GONE") : "");
    ImGui::TextColored(v4(gone ? th.text_dim : th.text), "%s", label.c_str());
    ImGui::TableSetColumnIndex(1);
    draw_dash(th);
    ImGui::TableSetColumnIndex(2);
    if (gone)
      ImGui::TextColored(v4(th.warning), "%s%s", gone->restarted ? "its crashed process, " : "",
                         until_text(Ghost{id, *gone}).c_str());
    else
      ImGui::TextColored(v4(th.text_dim), "(none)");
  }
}

// Members: the consumers' own view (generation, + added / - revoked while fresh).
void draw_members_table(const GroupDrawing& d, const std::string& name, const GroupState& g,
                        const std::vector<Ghost>& ghosts) {
  const float f = ImGui::GetFontSize();
  if (!ImGui::BeginTable(("members##" + name).c_str(), 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupColumn("member", ImGuiTableColumnFlags_WidthFixed, f * 7.5f);
  ImGui::TableSetupColumn("gen", ImGuiTableColumnFlags_WidthFixed, f * 2.5f);
  ImGui::TableSetupColumn("its partitions (+ added, - revoked)");
  ImGui::TableHeadersRow();
  for (const auto& [node, m] : g.members) draw_member_row(d, g, node, m, ghosts);
  draw_coordinator_only_rows(d, g);
  ImGui::EndTable();
}

void draw_group(const GroupDrawing& d, const std::string& name, const GroupState& g) {
  const Theme& th = d.ctx.theme;
  const std::string_view phase = group_phase(g, d.s);
  draw_group_header(d, name, g, phase);
  const std::vector<Ghost> ghosts = gone_members(g, d.s);
  draw_gone_member_notes(d, g, phase, ghosts);
  const std::vector<const RemovedMember*> old_removals = draw_recent_removals(d, g);
  draw_assignment_table(d, name, g);
  draw_members_table(d, name, g, ghosts);
  // Older removals, for the record (the recent ones are at the top).
  for (const RemovedMember* r : old_removals) wrapped_text(th.text_dim, removal_text(d, *r));
  if (!g.leader.empty()) ImGui::TextColored(v4(th.text_dim), "* the group leader (runs the assignor)");
  ImGui::Spacing();
}

// One tab per group, so each is one click away on a projector; the tab names
// its state, so a rebalance in the hidden group still shows.
void draw_group_tabs(const GroupDrawing& d) {
  if (!ImGui::BeginTabBar("groups", ImGuiTabBarFlags_FittingPolicyScroll)) return;
  const Theme& th = d.ctx.theme;
  for (const auto& [name, g] : d.s.groups) {
    const std::string_view phase = group_phase(g, d.s);
    const std::string label = (name.empty() ? std::string("(no group)") : name) + "  " + std::string(phase) + "###" + name;
    ImGui::PushStyleColor(ImGuiCol_Text, v4(phase == "Stable" || phase.empty() ? th.text : state_colour(phase, th)));
    const bool open = ImGui::BeginTabItem(label.c_str());
    ImGui::PopStyleColor();
    if (!open) continue;
    draw_group(d, name, g);
    ImGui::EndTabItem();
  }
  ImGui::EndTabBar();
}

}  // namespace

void GroupsPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Consumer groups", rect)) {
    ImGui::End();
    return;
  }
  const ReplayModel& model = ctx.model;
  GroupDrawing d{ctx, model.state(), {}, ctx.view.cursor.time, ctx.view.recent_window_us() * 2};
  for (uint32_t i = 0; i < model.header().nodes.size(); ++i) d.names.emplace_back(model.header().node_name(NodeId(i)));
  if (d.s.groups.empty()) ImGui::TextWrapped("No consumer group events yet (assignment_changed, group_stable, ...).");
  if (d.s.groups.size() <= 1) {
    for (const auto& [name, g] : d.s.groups) draw_group(d, name, g);
  } else {
    draw_group_tabs(d);
  }
  ImGui::End();
}

}  // namespace ksim::viz
