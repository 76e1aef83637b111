#include "viz/view/cluster_panel.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "core/base/rng.h"
#include "core/protocol/internal_topics.h"

namespace ksim::viz {
namespace {

// How much a fault kind matters to the story, for the banner: losing a node
// first, then cutting it off, then slowing it; lifting a fault last.
int fault_weight(std::string_view kind) {
  if (kind == "crash" || kind == "power_loss") return 5;
  if (kind == "isolate" || kind == "partition" || kind == "cut") return 4;
  if (kind == "pause" || kind == "drop" || kind == "hold" || kind == "slow_link" || kind == "lossy_link") return 3;
  if (kind == "restart" || kind == "leave") return 2;
  return 1;  // release, heal, resume, ...
}

std::string short_name(const ReplayModel& model, NodeId n) {
  const std::string& name = model.header().nodes[n.value].name;
  const NodeRole role = model.nodes().role(n);
  if (role == NodeRole::broker) return std::to_string(model.nodes().broker_of(n).value);
  if (role == NodeRole::controller) return "C";
  size_t digits = name.size();
  while (digits > 0 && std::isdigit(static_cast<unsigned char>(name[digits - 1]))) --digits;
  std::string s;
  if (!name.empty()) s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(name[0]))));
  return s + name.substr(digits);
}

float progress_at(const MessageInFlight& m, SimTime t) {
  if (m.held || m.deliver_at <= m.sent_at) return m.held ? 0.12f : 0.0f;
  const double p = static_cast<double>((t - m.sent_at).us) / static_cast<double>((m.deliver_at - m.sent_at).us);
  return static_cast<float>(std::clamp(p, 0.0, 1.0));
}

std::string fmt_ms(SimTime t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(t.us) / 1000.0);
  return buf;
}

// One line of a node's caption.
struct CaptionLine {
  std::string text;
  ImU32 colour;
  float size;
  bool badge = false;  // white on `colour` rather than `colour` on the background
  std::string short_text = {};  // used instead of text where captions would collide
};
using NodeCaptions = std::vector<std::vector<CaptionLine>>;  // per node, top line first

// One frame's graph: the canvas, each node's centre and the circles' radius.
struct Graph {
  ImVec2 origin;
  ImVec2 canvas;
  std::vector<ImVec2> pos;  // per node
  float r = 0;
  size_t size() const { return pos.size(); }
  // Where a link from a to b starts and ends: at the circles' rims.
  std::pair<ImVec2, ImVec2> endpoints(uint32_t a, uint32_t b) const {
    const ImVec2 d = normalized(pos[b] - pos[a]);
    return {pos[a] + d * (r + 2), pos[b] - d * (r + 2)};
  }
};

// The faults of the latest instant, and the one of them the lesson is about: a
// crash, not the release of held messages that comes with it (lecture 1 at 4.5 s).
struct BannerFault {
  const FaultNote* fault;
  size_t same_instant;
};
BannerFault banner_fault(const std::vector<FaultNote>& recent) {
  BannerFault b{&recent.back(), 0};
  for (const FaultNote& n : recent) {
    if (n.at != b.fault->at) continue;
    ++b.same_instant;
    if (fault_weight(n.fault) > fault_weight(b.fault->fault)) b.fault = &n;
  }
  return b;
}

// Banner: the latest fault, red while it is fresh.
void draw_fault_banner(const ClusterState& s, const Theme& th, SimTime now, int64_t window_us) {
  if (s.recent_faults.empty()) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(th.text_dim), "No fault injected yet");
    return;
  }
  const float f = ImGui::GetFontSize();
  const auto [pick, same_instant] = banner_fault(s.recent_faults);
  const FaultNote& fault = *pick;
  const bool fresh = (now - fault.at).us <= window_us * 2;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(fresh ? th.fenced : th.text_dim));
  char banner[512];
  const std::string more = same_instant > 1 ? "  +" + std::to_string(same_instant - 1) + " more" : "";
  std::snprintf(banner, sizeof banner, "Last fault: %s %s  (at %s)%s", fault.fault.c_str(), fault.detail.c_str(),
                fmt_ms(fault.at).c_str(), more.c_str());
  // A long description wraps when the graph keeps room enough below it;
  // on a small screen it stays one line, whole in a tooltip.
  const ImVec2 room = ImGui::GetContentRegionAvail();
  const float wrapped_h = ImGui::CalcTextSize(banner, nullptr, false, room.x).y;
  if (room.y - wrapped_h >= f * 14) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(banner);
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextUnformatted(banner);
    if (ImGui::IsItemHovered() && ImGui::CalcTextSize(banner).x > room.x) ImGui::SetTooltip("%s", banner);
  }
  ImGui::PopStyleColor();
}

// Places the nodes of `layout` on the canvas, with room beside the ring for
// captions: under the nodes on a small cluster, beside them (wider) on a
// crowded one.
Graph place_nodes(const std::vector<UnitPoint>& layout, size_t n, ImVec2 origin, ImVec2 canvas, float f) {
  Graph g{origin, canvas, std::vector<ImVec2>(n), 0};
  float r = std::clamp(std::min(canvas.x, canvas.y) * 0.07f, f * 1.1f, f * 2.3f);
  const float margin_x = n > 8 ? r + f * 6.2f : std::max(r, f * 4.2f) + f * 0.4f;
  const float margin_top = r + f * 0.8f;
  // Captions beside the nodes need no room below the ring: on a short canvas
  // (a 720p projector) that room is what keeps the ring from flattening.
  const float margin_bottom = n > 8 ? r + f * 1.6f : r + f * 3.6f;
  for (size_t i = 0; i < n; ++i) {
    const UnitPoint u = i < layout.size() ? layout[i] : UnitPoint{};
    g.pos[i] = ImVec2(origin.x + margin_x + static_cast<float>(u.x) * std::max(1.0f, canvas.x - 2 * margin_x),
                      origin.y + margin_top + static_cast<float>(u.y) * std::max(1.0f, canvas.y - margin_top - margin_bottom));
  }
  // On a small canvas, smaller circles rather than circles on top of each other.
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) r = std::min(r, length(g.pos[i] - g.pos[j]) * 0.36f);
  g.r = std::max(r, f * 0.6f);
  return g;
}

// The users' partitions each node leads. __consumer_offsets leaders are the
// groups' coordinators, which the Consumer-groups panel names.
std::vector<std::vector<std::string>> partitions_led(const ReplayModel& model, const ClusterState& s, size_t n) {
  std::vector<std::vector<std::string>> leads(n);
  for (const auto& [tp, p] : s.partitions) {
    if (is_internal_topic(tp.topic)) continue;
    const NodeId ln = model.nodes().node_of(p.leader);
    if (ln.value < n) leads[ln.value].push_back(tp.str());
  }
  return leads;
}

// CRASHED, PAUSED, FENCED, restarted (#n), STOPPED: ... ("" when there is nothing to say).
std::string status_text(const NodeState& ns, bool stopped) {
  std::string st;
  switch (ns.status) {
    case NodeStatus::not_started: st = "not started"; break;
    case NodeStatus::crashed: st = ns.power_loss ? "CRASHED (power loss)" : "CRASHED"; break;
    case NodeStatus::paused: st = "PAUSED"; break;
    case NodeStatus::running: st = ns.incarnation > 1 ? "restarted (#" + std::to_string(ns.incarnation) + ")" : ""; break;
  }
  if (ns.fenced) st += st.empty() ? "FENCED" : ", FENCED";
  if (stopped) st += (st.empty() ? "" : ", ") + std::string("STOPPED: ") + ns.stopped_by;
  return st;
}

void add_status_line(const NodeState& ns, const Theme& th, float small, std::vector<CaptionLine>& lines) {
  // A client stopped by a fatal error (client_failed): the process runs on,
  // but its application has given up.
  const bool stopped = !ns.stopped_by.empty() && ns.stopped_incarnation == ns.incarnation &&
                       ns.status == NodeStatus::running;
  const std::string st = status_text(ns, stopped);
  if (st.empty()) return;
  lines.push_back({st,
                   (ns.status == NodeStatus::running && !ns.fenced && !stopped) || ns.status == NodeStatus::not_started
                       ? th.text_dim
                   : ns.status == NodeStatus::paused              ? th.warning
                                                                  : th.fenced,
                   small});
}

// A consumer whose crashed process the coordinator still lists: the group
// keeps it until the session expires (groups_panel.cc says more).
void add_gone_member_lines(const ClusterState& s, size_t i, const Theme& th, float small,
                           std::vector<CaptionLine>& lines) {
  for (const auto& [gname, g] : s.groups)
    for (const std::string& id : g.member_ids)
      if (auto gone = member_process_gone(g, id, s); gone && gone->node.value == i) {
        char b[96];
        const std::string who = gone->restarted ? "old member in " : "still in ";
        if (gone->session_expires_at)
          std::snprintf(b, sizeof b, "%s%s until %.1f s", who.c_str(), gname.c_str(),
                        static_cast<double>(gone->session_expires_at->us) / 1e6);
        else
          std::snprintf(b, sizeof b, "%s%s", who.c_str(), gname.c_str());
        lines.push_back({b, th.warning, small, false, who + gname});
      }
}

// CONTROLLER and LEADER badges.
void add_role_badges(const ReplayModel& model, size_t i, const std::vector<std::string>& leads, const Theme& th,
                     float small, std::vector<CaptionLine>& lines) {
  const ImU32 purple = th.role[static_cast<int>(NodeRole::controller)];
  const bool named_controller = model.header().nodes[i].name.find("controller") != std::string::npos;
  if (model.nodes().role(NodeId(static_cast<uint32_t>(i))) == NodeRole::controller && !named_controller)
    lines.push_back({"CONTROLLER", purple, small, true});
  if (leads.size() == 1) lines.push_back({"LEADER " + leads[0], purple, small, true});
  if (leads.size() == 2) lines.push_back({"LEADER " + leads[0] + ", " + leads[1], purple, small, true, "LEADER of 2"});
  if (leads.size() > 2) lines.push_back({"LEADER of " + std::to_string(leads.size()), purple, small, true});
}

// Captions under each node: name, status, role and leadership.
NodeCaptions node_captions(const ReplayModel& model, const ClusterState& s, const Theme& th, float f, float small) {
  const size_t n = s.nodes.size();
  const std::vector<std::vector<std::string>> leads = partitions_led(model, s, n);
  NodeCaptions captions(n);
  for (size_t i = 0; i < n; ++i) {
    std::vector<CaptionLine>& lines = captions[i];
    lines.push_back({model.header().nodes[i].name, th.text, f});
    add_status_line(s.nodes[i], th, small, lines);
    add_gone_member_lines(s, i, th, small, lines);
    add_role_badges(model, i, leads[i], th, small, lines);
  }
  return captions;
}

// Where each caption goes: under its node; on a crowded ring, where the next
// node is close below, outside the ring instead: to the right of a node on
// the right side, to the left on the left side (aligned to the node).
class CaptionPlacement {
 public:
  enum class Side { below, right, left };

  CaptionPlacement(const Graph& g, NodeCaptions& captions, const ImFont* bold)
      : g_(g), captions_(captions), bold_(bold) {
    const size_t n = g.size();
    for (size_t i = 0; i < n; ++i) ring_cx_ += g.pos[i].x / static_cast<float>(std::max<size_t>(1, n));
  }

  Side side_of(size_t i) const {
    if (g_.size() <= 8) return Side::below;
    const float dx = g_.pos[i].x - ring_cx_;
    if (dx > g_.r * 1.5f) return Side::right;
    if (dx < -g_.r * 1.5f) return Side::left;
    return Side::below;
  }

  // The caption's box, clamped to the canvas: (top-left, bottom-right).
  std::pair<ImVec2, ImVec2> box_at(size_t i) const {
    const ImVec2 box = box_size(i);
    ImVec2 o = box_origin(i, box);
    o.x = std::clamp(o.x, g_.origin.x + 1, g_.origin.x + g_.canvas.x - box.x - 1);
    return {o, o + box};
  }

  // Where captions would collide, keep fewer lines: first the name and the
  // status, then the name alone.
  void shorten_colliding() {
    for (size_t keep : {size_t{99}, size_t{2}, size_t{1}})
      for (size_t i = 0; i < g_.size(); ++i) {
        if (!collides(i)) continue;
        for (CaptionLine& l : captions_[i])
          if (!l.short_text.empty()) l.text = l.short_text;
        if (captions_[i].size() > keep) captions_[i].resize(keep);
      }
  }

 private:
  ImVec2 box_size(size_t i) const {
    ImVec2 box(0, 0);
    for (const CaptionLine& l : captions_[i]) {
      const ImVec2 ts = text_size(bold_, l.size, l.text);
      box.x = std::max(box.x, ts.x + 6);
      box.y += ts.y + (l.badge ? 2 : 0);
    }
    return box;
  }

  ImVec2 box_origin(size_t i, ImVec2 box) const {
    const ImVec2 c = g_.pos[i];
    switch (side_of(i)) {
      case Side::right: return ImVec2(c.x + g_.r + 4, c.y - box.y / 2);
      case Side::left: return ImVec2(c.x - g_.r - 4 - box.x, c.y - box.y / 2);
      case Side::below: break;
    }
    return ImVec2(c.x - box.x / 2, c.y + g_.r + 2);
  }

  // Whether node i's caption overlaps another node or another node's caption.
  bool collides(size_t i) const {
    const auto [a, b] = box_at(i);
    for (size_t j = 0; j < g_.size(); ++j) {
      if (j == i) continue;
      const auto [c, d] = box_at(j);
      const ImVec2 lo = g_.pos[j] - ImVec2(g_.r, g_.r), hi = g_.pos[j] + ImVec2(g_.r, g_.r);
      if ((a.x < d.x && c.x < b.x && a.y < d.y && c.y < b.y) || (a.x < hi.x && lo.x < b.x && a.y < hi.y && lo.y < b.y))
        return true;
    }
    return false;
  }

  const Graph& g_;
  NodeCaptions& captions_;
  const ImFont* bold_;
  float ring_cx_ = 0;
};

// The nodes and their captions are reserved first: no message label may cover them.
void reserve_nodes_and_captions(const Graph& g, const CaptionPlacement& placement, LabelPlacer& placer) {
  for (size_t i = 0; i < g.size(); ++i) {
    placer.occupy(g.pos[i] - ImVec2(g.r, g.r), g.pos[i] + ImVec2(g.r, g.r));
    const auto [a, b] = placement.box_at(i);
    placer.occupy(a, b);
  }
}

// Links between nodes that ever talked. Links that work are background: on a
// big cluster (every client talks to every broker) thin and pale, so the cut
// ones, the nodes and the messages stand out; and cheap for a software
// rasterizer, whose cost grows with the pixels a long line covers (integer
// widths take ImGui's textured fast path).
void draw_links(ImDrawList* dl, const ReplayModel& model, const ClusterState& s, const Graph& g, const Theme& th,
                float f) {
  const bool crowded = model.index().pairs().size() > 40;
  const float up_w = crowded ? 1.0f : 2.0f;
  const ImU32 up_colour = crowded ? with_alpha(th.link_up, 0.75f) : th.link_up;
  // Crowded: plain 1 px lines, without the anti-aliasing fringe that triples
  // the pixels each one covers.
  const ImDrawListFlags flags_before = dl->Flags;
  if (crowded) dl->Flags &= ~ImDrawListFlags_AntiAliasedLines;
  for (const auto& [a, b] : model.index().pairs()) {
    if (a >= g.size() || b >= g.size()) continue;
    const auto [sa, sb] = g.endpoints(a, b);
    const bool ab = s.link(NodeId(a), NodeId(b)), ba = s.link(NodeId(b), NodeId(a));
    const ImVec2 side = perpendicular(normalized(sb - sa)) * (f * 0.35f);
    if (ab && ba) {
      dl->AddLine(sa, sb, up_colour, up_w);
    } else if (!ab && !ba) {
      dashed_line(dl, sa, sb, th.link_cut, 3.5f, f * 0.6f, f * 0.35f);
    } else {
      // One way cut: the working direction stays grey, the cut one is red
      // and dashed on its own side, with an arrow where it cannot arrive.
      dl->AddLine(sa, sb, up_colour, up_w);
      const ImVec2 from = ab ? sb : sa, to = ab ? sa : sb;
      const ImVec2 off = ab ? side * -1 : side;
      dashed_line(dl, from + off, to + off, th.link_cut, 3.0f, f * 0.5f, f * 0.3f);
      arrow_head(dl, to + off, to - from, f * 0.6f, th.link_cut);
    }
  }
  dl->Flags = flags_before;
}

// Two yellow bars on a yellow ring: a paused process.
void draw_pause_sign(ImDrawList* dl, ImVec2 c, float r, const Theme& th) {
  dl->AddCircle(c, r + 3, th.paused, 48, 6.0f);
  const float bw = r * 0.18f, bh = r * 0.5f;
  const ImVec2 p0 = c + ImVec2(r * 0.45f, -r * 1.05f);
  dl->AddRectFilled(p0, p0 + ImVec2(bw * 3.4f, bh * 1.25f), th.paused, 3);
  dl->AddRectFilled(p0 + ImVec2(bw * 0.6f, bh * 0.12f), p0 + ImVec2(bw * 1.4f, bh * 1.13f), th.text);
  dl->AddRectFilled(p0 + ImVec2(bw * 2.0f, bh * 0.12f), p0 + ImVec2(bw * 2.8f, bh * 1.13f), th.text);
}

// A node's circle: its role's colour (grey when crashed or not started), a
// ring when selected, its short name, an X when crashed, a pause sign.
void draw_node_circle(ImDrawList* dl, const PanelContext& ctx, size_t i, const Graph& g, const std::string& short_name) {
  const Theme& th = ctx.theme;
  const NodeState& ns = ctx.model.state().nodes[i];
  const NodeRole role = ctx.model.nodes().role(NodeId(static_cast<uint32_t>(i)));
  const ImVec2 c = g.pos[i];
  const float r = g.r;
  ImU32 fill = th.role[static_cast<int>(role)];
  if (ns.status == NodeStatus::crashed) fill = th.crashed;
  if (ns.status == NodeStatus::not_started) fill = th.not_started;
  dl->AddCircleFilled(c, r, fill, 32);
  dl->AddCircle(c, r, th.text, 32, 2.0f);
  if (ctx.view.selected_node == NodeId(static_cast<uint32_t>(i))) dl->AddCircle(c, r + 5, th.selected, 48, 3.0f);
  const float big = std::min(r * 0.95f, ImGui::GetFontSize() * 1.5f);
  const ImVec2 ts = text_size(ctx.fonts.bold, big, short_name);
  if (ns.status == NodeStatus::crashed) cross(dl, c, r * 0.72f, with_alpha(th.text, 0.55f), 5.0f);
  dl->AddText(ctx.fonts.bold, big, c - ts * 0.5f,
              ns.status == NodeStatus::running || ns.status == NodeStatus::paused ? th.text_on_fill : th.text,
              short_name.c_str());
  if (ns.status == NodeStatus::paused) draw_pause_sign(dl, c, r, th);
}

// The caption: under the node (centred) or beside it (aligned to it).
void draw_caption(ImDrawList* dl, size_t i, const Graph& g, const CaptionPlacement& placement,
                  const std::vector<CaptionLine>& lines, const ImFont* bold, const Theme& th) {
  const auto [box_min, box_max] = placement.box_at(i);
  const CaptionPlacement::Side side = placement.side_of(i);
  float y = box_min.y;
  for (const CaptionLine& l : lines) {
    const ImVec2 ts = text_size(bold, l.size, l.text);
    const float want = side == CaptionPlacement::Side::right ? box_min.x + 3
                       : side == CaptionPlacement::Side::left ? box_max.x - ts.x - 3
                                                              : g.pos[i].x - ts.x / 2;
    const float x = std::clamp(want, g.origin.x + 4, g.origin.x + g.canvas.x - ts.x - 4);
    if (l.badge) y += 2;
    dl->AddRectFilled(ImVec2(x - 3, y), ImVec2(x + ts.x + 3, y + ts.y), l.badge ? l.colour : th.label_bg, 3);
    dl->AddText(bold, l.size, ImVec2(x, y), l.badge ? th.text_on_fill : l.colour, l.text.c_str());
    y += ts.y;
  }
}

// Nodes on top of the links, each with its caption. Returns the node under
// the mouse, if any.
std::optional<size_t> draw_nodes(ImDrawList* dl, const PanelContext& ctx, const Graph& g,
                                 const CaptionPlacement& placement, const NodeCaptions& captions,
                                 const std::vector<std::string>& short_names, bool canvas_hovered) {
  std::optional<size_t> hovered;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (size_t i = 0; i < g.size(); ++i) {
    draw_node_circle(dl, ctx, i, g, short_names[i]);
    draw_caption(dl, i, g, placement, captions[i], ctx.fonts.bold, ctx.theme);
    const ImVec2 dm = mouse - g.pos[i];
    if (canvas_hovered && dm.x * dm.x + dm.y * dm.y <= g.r * g.r) hovered = i;
  }
  return hovered;
}

// A message in flight: where it is on its link, and its label.
struct Dot {
  ImVec2 at;
  ImU32 colour;
  std::string label;
};

std::vector<Dot> message_dots(const ClusterState& s, const Graph& g, const Theme& th, float f, SimTime now) {
  std::vector<Dot> dots;
  for (const auto& [id, m] : s.in_flight) {
    if (m.from.value >= g.size() || m.to.value >= g.size()) continue;
    const auto [sa, sb] = g.endpoints(m.from.value, m.to.value);
    const ImVec2 side = perpendicular(normalized(sb - sa)) * (f * 0.35f);
    const float p = progress_at(m, now);
    const ImVec2 at = lerp(sa, sb, p) + side;
    const ImU32 colour = th.colour_of(fnv1a64(m.type));
    std::string label(m.type);
    if (m.held) label += " (held)";
    else if (m.deliver_at < now) label += " (waiting)";  // the receiver is paused
    dots.push_back({at, colour, std::move(label)});
  }
  return dots;
}

// Messages in flight, over the nodes: dots first, then the labels that fit.
void draw_messages_in_flight(ImDrawList* dl, const std::vector<Dot>& dots, float dot_r, const ImFont* font,
                             float small, const Theme& th, LabelPlacer& placer) {
  for (const Dot& d : dots) {
    dl->AddCircleFilled(d.at, dot_r, d.colour);
    dl->AddCircle(d.at, dot_r, th.text, 0, 1.5f);
  }
  for (const Dot& d : dots) placer.occupy(d.at - ImVec2(dot_r, dot_r), d.at + ImVec2(dot_r, dot_r));
  if (dots.size() > 40) return;
  for (const Dot& d : dots) {
    const ImVec2 ts = text_size(font, small, d.label) + ImVec2(small * 0.6f, small * 0.16f);
    const ImVec2 candidates[] = {d.at + ImVec2(dot_r + 3, -ts.y / 2), d.at + ImVec2(-dot_r - 3 - ts.x, -ts.y / 2),
                                 d.at + ImVec2(-ts.x / 2, -dot_r - 3 - ts.y), d.at + ImVec2(-ts.x / 2, dot_r + 3)};
    for (const ImVec2& c : candidates) {
      if (!placer.claim(c, c + ts)) continue;
      text_pill(dl, font, small, c, d.label, th.text, th.label_bg);
      break;
    }
  }
}

// A dropped message's label beside its cross, on whichever side is free,
// without the reason if the whole label fits nowhere (a drop next to a node
// would otherwise lose its label to the node).
void place_drop_label(ImDrawList* dl, const DroppedMessage& d, ImVec2 at, ImU32 colour, const ImFont* font,
                      float small, const Theme& th, LabelPlacer& placer) {
  const float f = ImGui::GetFontSize();
  const MessageInFlight& m = d.message;
  bool placed = false;
  for (const std::string& label : {std::string(m.type) + " lost: " + std::string(d.reason), std::string(m.type) + " lost"}) {
    const ImVec2 ts = text_size(font, small, label) + ImVec2(small * 0.6f, small * 0.16f);
    for (const ImVec2 c : {at + ImVec2(f * 0.55f, -ts.y / 2), at + ImVec2(-f * 0.55f - ts.x, -ts.y / 2),
                           at + ImVec2(-ts.x / 2, f * 0.55f), at + ImVec2(-ts.x / 2, -f * 0.55f - ts.y)})
      if (!placed && placer.claim(c, c + ts)) {
        text_pill(dl, font, small, c, label, colour, th.label_bg);
        placed = true;
      }
    if (placed) break;
  }
}

// Dropped messages fall and fade where they were lost.
void draw_dropped_messages(ImDrawList* dl, const ClusterState& s, const Graph& g, SimTime now, int64_t window_us,
                           const ImFont* font, float small, const Theme& th, LabelPlacer& placer) {
  const float f = ImGui::GetFontSize();
  for (const DroppedMessage& d : s.recent_drops) {
    const int64_t age = (now - d.dropped_at).us;
    if (age < 0 || age > window_us) continue;
    const MessageInFlight& m = d.message;
    if (m.from.value >= g.size() || m.to.value >= g.size()) continue;
    const auto [sa, sb] = g.endpoints(m.from.value, m.to.value);
    const ImVec2 side = perpendicular(normalized(sb - sa)) * (f * 0.35f);
    const float fall = static_cast<float>(age) / static_cast<float>(std::max<int64_t>(1, window_us));
    // Lost on the way: where it was. Refused at the sender: a little way out
    // along its link, so it is not hidden under the node.
    const float p = m.deliver_at > m.sent_at ? progress_at(m, d.dropped_at) : std::min(0.2f, f * 2.2f / std::max(1.0f, length(sb - sa)));
    const ImVec2 at = lerp(sa, sb, p) + side + ImVec2(0, fall * f * 2.0f);
    const float alpha = 1.0f - 0.8f * fall;
    cross(dl, at, f * 0.4f, with_alpha(th.dropped, alpha), 3.5f);
    place_drop_label(dl, d, at, with_alpha(th.dropped, alpha), font, small, th, placer);
  }
}

// Hovering a node: its disk, notes and producer counters.
void node_tooltip(const PanelContext& ctx, size_t i, const std::vector<CaptionLine>& caption) {
  const ReplayModel& model = ctx.model;
  const ClusterState& s = model.state();
  const NodeState& ns = s.nodes[i];
  ImGui::BeginTooltip();
  ImGui::PushFont(ctx.fonts.bold);
  ImGui::TextUnformatted(model.header().nodes[i].name.c_str());
  ImGui::PopFont();
  ImGui::Text("role: %s", model.header().nodes[i].role.c_str());
  ImGui::Text("incarnation: %d", ns.incarnation);
  if (caption.size() > 1) ImGui::Text("%s since %s", caption[1].text.c_str(), fmt_ms(ns.status_since).c_str());
  if (ns.status == NodeStatus::paused) ImGui::Text("paused until %s", fmt_ms(ns.paused_until).c_str());
  if (ns.fenced) ImGui::Text("fenced: %s", ns.fence_reason.c_str());
  if (!ns.last_note.empty()) ImGui::Text("last note: %s", ns.last_note.c_str());
  if (!ns.stopped_by.empty() && ns.stopped_incarnation == ns.incarnation)
    ImGui::Text("stopped by fatal %s (%s)", ns.stopped_by.c_str(), ns.stopped_config.c_str());
  for (const auto& [file, d] : s.disks[i]) {
    ImGui::Text("disk %s: %lld entries durable%s", file.c_str(), static_cast<long long>(d.durable_entries),
                d.fsync ? " (fsync)" : "");
    if (d.ever_lost)
      ImGui::Text("  power loss at %s threw away %lld entries", fmt_ms(d.lost_at).c_str(),
                  static_cast<long long>(d.lost_entries));
  }
  if (auto p = s.producers.find(NodeId(static_cast<uint32_t>(i))); p != s.producers.end())
    ImGui::Text("sends: %lld, acked %lld, failed %lld", static_cast<long long>(p->second.sent),
                static_cast<long long>(p->second.acked), static_cast<long long>(p->second.failed));
  ImGui::TextDisabled("click: show only this node's events");
  ImGui::EndTooltip();
}

// Clicking a node selects it and filters the events to it; clicking it
// again, or the empty canvas, undoes both (a filter chosen in the Events
// panel itself stays).
void select_clicked_node(ViewState& view, std::optional<size_t> hovered) {
  const NodeId clicked = hovered ? NodeId(static_cast<uint32_t>(*hovered)) : kNoNode;
  const NodeId before = view.selected_node;
  view.selected_node = before == clicked ? kNoNode : clicked;
  if (view.selected_node != kNoNode || view.filter.node == before) {
    view.filter.node = view.selected_node;
    ++view.filter.revision;
  }
}

// The legend line under the canvas.
void draw_legend(ImDrawList* dl, const Theme& th, const ImFont* font, float small, float dot_r) {
  const float f = ImGui::GetFontSize();
  const ImVec2 lp = ImGui::GetCursorScreenPos() + ImVec2(0, f * 0.1f);
  float x = lp.x;
  const float cy = lp.y + f * 0.6f;
  auto legend_text = [&](const char* t) {
    dl->AddText(font, small, ImVec2(x, cy - small * 0.55f), th.text_dim, t);
    x += text_size(font, small, t).x + f * 0.9f;
  };
  dl->AddCircleFilled(ImVec2(x + dot_r, cy), dot_r, th.palette[0]);
  x += dot_r * 2 + 5;
  legend_text("message in flight");
  cross(dl, ImVec2(x + f * 0.35f, cy), f * 0.3f, th.dropped, 3);
  x += f * 0.8f;
  legend_text("dropped");
  dashed_line(dl, ImVec2(x, cy), ImVec2(x + f * 1.6f, cy), th.link_cut, 3, f * 0.35f, f * 0.2f);
  x += f * 1.8f;
  legend_text("cut link");
  dl->AddCircleFilled(ImVec2(x + f * 0.4f, cy), f * 0.4f, th.crashed);
  cross(dl, ImVec2(x + f * 0.4f, cy), f * 0.28f, th.text, 2);
  x += f * 1.0f;
  legend_text("crashed");
  dl->AddCircle(ImVec2(x + f * 0.4f, cy), f * 0.38f, th.paused, 0, 4);
  x += f * 1.0f;
  legend_text("paused");
}

}  // namespace

ClusterPanel::ClusterPanel(const ReplayModel& model) : layout_(layout_cluster(model)) {
  for (size_t i = 0; i < model.header().nodes.size(); ++i)
    short_names_.push_back(short_name(model, NodeId(static_cast<uint32_t>(i))));
}

void ClusterPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Cluster", rect, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
    ImGui::End();
    return;
  }
  const ClusterState& s = ctx.model.state();
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
  const float small = f * 0.82f;
  const float dot_r = f * 0.33f;
  const SimTime now = ctx.view.cursor.time;
  const int64_t window_us = ctx.view.recent_window_us();
  draw_fault_banner(s, th, now, window_us);

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float legend_h = f * 1.4f;
  const ImVec2 canvas(avail.x, std::max(f * 6, avail.y - legend_h));
  ImGui::InvisibleButton("##cluster_canvas", canvas);
  const bool canvas_hovered = ImGui::IsItemHovered();
  const bool canvas_clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(origin, origin + canvas, true);

  const Graph g = place_nodes(layout_, s.nodes.size(), origin, canvas, f);
  NodeCaptions captions = node_captions(ctx.model, s, th, f, small);
  CaptionPlacement placement(g, captions, ctx.fonts.bold);
  placement.shorten_colliding();
  placer_.clear();
  reserve_nodes_and_captions(g, placement, placer_);
  draw_links(dl, ctx.model, s, g, th, f);
  const std::optional<size_t> hovered = draw_nodes(dl, ctx, g, placement, captions, short_names_, canvas_hovered);
  draw_messages_in_flight(dl, message_dots(s, g, th, f, now), dot_r, ctx.fonts.regular, small, th, placer_);
  draw_dropped_messages(dl, s, g, now, window_us, ctx.fonts.regular, small, th, placer_);
  dl->PopClipRect();

  if (hovered) node_tooltip(ctx, *hovered, captions[*hovered]);
  if (canvas_clicked) select_clicked_node(ctx.view, hovered);
  draw_legend(dl, th, ctx.fonts.regular, small, dot_r);
  ImGui::End();
}

}  // namespace ksim::viz
