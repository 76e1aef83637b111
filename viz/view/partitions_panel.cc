#include "viz/view/partitions_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/protocol/internal_topics.h"
#include "viz/model/offset_axis.h"
#include "viz/view/draw_util.h"

namespace ksim::viz {
namespace {

std::string list_text(const std::vector<int32_t>& v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "}";
}

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// The second copy of a record: a thick outline in the duplicate colour and a
// corner flag, distinct from a lost write's red outline.
void draw_duplicate_mark(ImDrawList* dl, ImVec2 a, ImVec2 b, const Theme& th) {
  dl->AddRect(a, b, th.duplicate, 3, 0, 3.0f);
  const float k = std::min(b.x - a.x, b.y - a.y) * 0.6f;
  dl->AddTriangleFilled(ImVec2(b.x - k, a.y), ImVec2(b.x, a.y), ImVec2(b.x, a.y + k), th.duplicate);
}

// "epochs 0@0 1@875 3@1200": the replica's leader-epoch cache (epoch@start
// offset), the last three entries when it is longer.
std::string epoch_cache_text(const ReplicaState& r) {
  std::string line = "epochs";
  const size_t first = r.epoch_cache.size() > 3 ? r.epoch_cache.size() - 3 : 0;
  if (first > 0) line += " ...";
  for (size_t e = first; e < r.epoch_cache.size(); ++e)
    line += " " + std::to_string(r.epoch_cache[e].epoch.value) + "@" + std::to_string(r.epoch_cache[e].start_offset.value);
  if (r.epoch_cache.empty()) line += " (none)";
  return line;
}

struct Geometry {
  float f, cell_w, cell_h, top_band, bottom_band, ghost_band, gap, label_w;
  float row_h(bool ghost) const {
    return std::max(f * 3.55f, top_band + cell_h + bottom_band) + (ghost ? ghost_band : 0) + gap;
  }
};

}  // namespace

void PartitionsPanel::draw(PanelContext& ctx, const PanelRect& rect) {
  if (!begin_panel("Partitions", rect)) {
    ImGui::End();
    return;
  }
  const ClusterState& s = ctx.model.state();
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // Legend: colouring choice, then what the marks mean.
  ImGui::TextUnformatted("Cells coloured by");
  ImGui::SameLine();
  int colouring = static_cast<int>(ctx.view.colouring);
  ImGui::RadioButton("leader epoch", &colouring, 0);
  ImGui::SameLine();
  ImGui::RadioButton("producer", &colouring, 1);
  ctx.view.colouring = static_cast<CellColouring>(colouring);
  ImGui::SameLine(0, f);
  {
    // Swatches of what is on screen.
    std::vector<std::pair<std::string, ImU32>> swatches;
    if (ctx.view.colouring == CellColouring::leader_epoch) {
      std::set<int32_t> epochs;
      for (const auto& [tp, p] : s.partitions)
        for (const auto& [b, r] : p.replica_states)
          for (const EpochStart& e : r.epoch_cache) epochs.insert(e.epoch.value);
      for (int32_t e : epochs) swatches.push_back({"epoch " + std::to_string(e), th.epoch_colour(e)});
    } else {
      for (size_t i = 0; i < ctx.model.header().nodes.size(); ++i)
        if (ctx.model.nodes().role(NodeId(static_cast<uint32_t>(i))) == NodeRole::producer)
          swatches.push_back({ctx.model.header().nodes[i].name, th.colour_of(i)});
    }
    // Every swatch is shown: those that do not fit after the radio buttons
    // wrap to lines of their own (a lesson with three epochs needs all three).
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float sw = f * 0.9f;
    const float left = ImGui::GetWindowPos().x + ImGui::GetStyle().WindowPadding.x;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - f;
    float x = p.x, y = p.y;
    for (const auto& [label, colour] : swatches) {
      const float w = sw + 4 + text_size(ctx.fonts.regular, f * 0.85f, label).x + f * 0.7f;
      if (x + w > right && x > left) {
        x = left;
        y += f * 1.2f;
      }
      dl->AddRectFilled(ImVec2(x, y + f * 0.1f), ImVec2(x + sw, y + f * 0.1f + sw), colour, 2);
      dl->AddText(ctx.fonts.regular, f * 0.85f, ImVec2(x + sw + 4, y + f * 0.05f), th.text, label.c_str());
      x += w;
    }
    ImGui::Dummy(ImVec2(std::max(1.0f, y > p.y ? right - p.x : x - p.x), y - p.y + f));
  }
  {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float sw = f * 1.1f, small = f * 0.85f;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - f * 0.5f;
    float x = p.x, y = p.y;
    auto item = [&](auto&& draw_sample, const char* text) {
      const float w = sw + 5 + text_size(ctx.fonts.regular, small, text).x;
      if (x > p.x && x + w > right) {  // wrap rather than run off the panel
        x = p.x;
        y += f * 1.15f;
      }
      draw_sample(ImVec2(x, y + f * 0.05f));
      dl->AddText(ctx.fonts.regular, small, ImVec2(x + sw + 5, y + f * 0.05f), th.text_dim, text);
      x += w + f * 0.9f;
    };
    item([&](ImVec2 q) {
      dl->AddRectFilled(q, q + ImVec2(sw, sw * 0.9f), th.palette[0], 2);
      dl->AddRectFilled(q, q + ImVec2(sw, sw * 0.9f), th.uncommitted_overlay, 2);
    }, "above HW: not committed");
    item([&](ImVec2 q) {
      dl->AddRectFilled(q, q + ImVec2(sw, sw * 0.9f), th.palette[0], 2);
      dl->AddRect(q, q + ImVec2(sw, sw * 0.9f), th.lost, 2, 0, 3.0f);
    }, "acked, later lost");
    if (!ctx.model.duplicates().empty())
      item([&](ImVec2 q) {
        dl->AddRectFilled(q, q + ImVec2(sw, sw * 0.9f), th.palette[0], 2);
        draw_duplicate_mark(dl, q, q + ImVec2(sw, sw * 0.9f), th);
      }, "same record twice");
    item([&](ImVec2 q) {
      dl->AddRectFilled(q, q + ImVec2(sw, sw * 0.9f), with_alpha(th.palette[0], 0.35f), 2);
      dl->AddLine(q + ImVec2(0, sw * 0.45f), q + ImVec2(sw, sw * 0.45f), th.truncated, 2.5f);
    }, "truncated");
    item([&](ImVec2 q) { dl->AddRectFilled(q, q + ImVec2(sw, sw * 0.9f), th.isr_bg, 2); }, "in ISR");
    ImGui::Dummy(ImVec2(1, y - p.y + f * 1.1f));
  }
  ImGui::Separator();

  if (s.partitions.empty()) {
    ImGui::TextWrapped("No partitions in this trace yet. Replication events (topic_created, log_appended, ...) "
                       "show here as one log per replica.");
  }
  ImGui::BeginChild("##partitions_scroll", ImVec2(0, 0), false);
  // Only the partitions on screen are drawn; the others take their last
  // measured height, so the scrollbar stays true. (50 partitions of 3
  // replicas are 150 logs: a projector shows five or six.) The users' topics
  // come first; internal ones (__consumer_offsets, the coordinator's log)
  // after them, where they do not push the lesson off the screen.
  for (const bool internal : {false, true}) {
    for (const auto& [tp, p] : s.partitions) {
      if (is_internal_topic(tp.topic) != internal) continue;
      const float y0 = ImGui::GetCursorPosY();
      auto known = heights_.find(tp);
      if (known != heights_.end() && !ImGui::IsRectVisible(ImVec2(1, known->second))) {
        ImGui::Dummy(ImVec2(1, known->second - ImGui::GetStyle().ItemSpacing.y));
        continue;
      }
      draw_partition(ctx, p);
      heights_[tp] = ImGui::GetCursorPosY() - y0;
    }
  }
  ImGui::EndChild();
  ImGui::End();
}

void PartitionsPanel::draw_partition(PanelContext& ctx, const PartitionState& p) {
  const ReplayModel& model = ctx.model;
  const ClusterState& s = model.state();
  const Theme& th = ctx.theme;
  const ImFont* font = ctx.fonts.regular;
  const ImFont* bold = ctx.fonts.bold;
  const float f = ImGui::GetFontSize();
  const float small = f * 0.8f;
  // The label column gives way on a narrow panel (1280x720 with three columns)
  // so the logs keep room for both the HW and the LEO.
  const float label_w = std::clamp(ImGui::GetContentRegionAvail().x * 0.4f, f * 9.5f, f * 11.0f);
  const Geometry g{f, f * 1.5f, f * 1.3f, f * 1.0f, f * 1.0f, f * 0.95f, f * 0.45f, label_w};
  const SimTime now = ctx.view.cursor.time;
  const int64_t window_us = ctx.view.recent_window_us();

  // --- the controller's view ------------------------------------------------------
  ImGui::PushFont(ctx.fonts.bold);
  ImGui::TextUnformatted(p.tp.str().c_str());
  ImGui::PopFont();
  ImGui::SameLine(0, f);
  if (p.known_to_controller) {
    const NodeId ln = model.nodes().node_of(p.leader);
    const std::string leader = p.leader == kNoBroker ? std::string("NONE (offline)")
                               : ln != kNoNode        ? model.header().nodes[ln.value].name
                                                      : "broker " + std::to_string(p.leader.value);
    // Each fact on the line while it fits, the rest below: never clipped.
    const std::string facts[] = {"leader " + leader,
                                 "leader epoch " + std::to_string(p.leader_epoch.value),
                                 "partition epoch " + std::to_string(p.partition_epoch),
                                 "ISR " + list_text(p.isr),
                                 "ELR " + list_text(p.elr),
                                 "replicas " + list_text(p.replicas)};
    for (const std::string& fact : facts) {
      same_line_if_fits(fact, f);
      ImGui::TextUnformatted(fact.c_str());
    }
    const std::string change = "last change: " + p.reason;
    same_line_if_fits(change, f);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(v4(th.text_dim), "%s", change.c_str());
    ImGui::PopTextWrapPos();
  } else {
    ImGui::TextColored(v4(th.text_dim), "(no controller decision in the trace yet)");
  }
  if (p.proposed_isr)
    ImGui::TextColored(v4(th.warning), "pending AlterPartition: ISR %s  (%s)", list_text(*p.proposed_isr).c_str(),
                       p.proposed_reason.c_str());

  // Replicas in assignment order, then any others that reported.
  std::vector<BrokerId> order;
  for (int32_t b : p.replicas) order.push_back(BrokerId(b));
  for (const auto& [b, r] : p.replica_states)
    if (std::find(order.begin(), order.end(), b) == order.end()) order.push_back(b);

  int64_t max_offset = 1;
  for (const auto& [b, r] : p.replica_states) {
    max_offset = std::max<int64_t>(max_offset, static_cast<int64_t>(r.log.size()));
    max_offset = std::max<int64_t>(max_offset, r.leo.value);
    if (r.last_truncation)
      for (const RemovedRecord& rr : r.last_truncation->removed) max_offset = std::max<int64_t>(max_offset, rr.offset.value + 1);
  }
  const float ruler_h = f * 0.95f;
  std::vector<float> row_y;
  float total_h = ruler_h;
  for (BrokerId b : order) {
    row_y.push_back(total_h);
    auto it = p.replica_states.find(b);
    const bool ghost = it != p.replica_states.end() && it->second.last_truncation &&
                       !it->second.last_truncation->removed.empty();
    total_h += g.row_h(ghost);
  }
  const float scrollbar = ImGui::GetStyle().ScrollbarSize;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();

  // --- label column ------------------------------------------------------------------
  for (size_t i = 0; i < order.size(); ++i) {
    const BrokerId b = order[i];
    const NodeId node = model.nodes().node_of(b);
    const ReplicaState* r = nullptr;
    if (auto it = p.replica_states.find(b); it != p.replica_states.end()) r = &it->second;
    const ImVec2 top = start + ImVec2(0, row_y[i]);
    const float h = g.row_h(r && r->last_truncation && !r->last_truncation->removed.empty()) - g.gap;
    const bool in_isr = p.in_isr(b);
    dl->AddRectFilled(top, top + ImVec2(g.label_w - f * 0.4f, h), in_isr ? th.isr_bg : th.out_of_isr_bg, f * 0.25f);
    const bool down = node != kNoNode && s.nodes[node.value].status == NodeStatus::crashed;
    std::string name = node != kNoNode ? model.header().nodes[node.value].name : "broker " + std::to_string(b.value);
    // Everything in the label column stays in it: text is clipped on the CPU
    // to the column (a clip rectangle per row would cost a draw call each).
    const ImVec4 clip(top.x, top.y, top.x + g.label_w - f * 0.5f, top.y + h);
    float x = top.x + f * 0.3f;
    dl->AddText(bold, f, ImVec2(x, top.y + f * 0.1f), down ? th.text_dim : th.text, name.c_str(), nullptr, 0.0f, &clip);
    x += text_size(bold, f, name).x + f * 0.35f;
    const char* badge = nullptr;
    ImU32 badge_bg = 0;
    if (p.leader == b && p.known_to_controller) {
      badge = "LEADER";
      badge_bg = th.role[static_cast<int>(NodeRole::controller)];
    } else if (std::find(p.elr.begin(), p.elr.end(), b.value) != p.elr.end()) {
      badge = "ELR";
      badge_bg = th.warning;
    }
    if (badge && x + text_size(bold, small, badge).x + small * 0.6f <= clip.z)
      text_pill(dl, bold, small, ImVec2(x, top.y + f * 0.2f), badge, th.text_on_fill, badge_bg);
    std::string line2, line3;
    if (r) {
      line2 = "LEO " + std::to_string(r->leo.value) + "   HW " + std::to_string(r->hw.value);
      if (down) line2 += "   DOWN";
      else if (!in_isr && p.known_to_controller) line2 += "   out of ISR";
      line3 = epoch_cache_text(*r);
    } else {
      line2 = "no events from this replica yet";
    }
    dl->AddText(font, small, ImVec2(top.x + f * 0.3f, top.y + f * 1.25f), th.text, line2.c_str(), nullptr, 0.0f, &clip);
    dl->AddText(font, small, ImVec2(top.x + f * 0.3f, top.y + f * 2.25f), th.text_dim, line3.c_str(), nullptr, 0.0f, &clip);
    if (r && r->last_truncation && !r->last_truncation->removed.empty()) {
      const Truncation& t = *r->last_truncation;
      const std::string note = "truncated " + std::to_string(t.removed.size()) + " (" + t.reason + ")";
      dl->AddText(font, small, ImVec2(top.x + f * 0.3f, top.y + f * 3.25f), th.truncated, note.c_str(), nullptr, 0.0f, &clip);
    }
  }

  // --- the logs ----------------------------------------------------------------------
  ImGui::SetCursorScreenPos(start + ImVec2(g.label_w, 0));
  const float child_w = std::max(f * 4, ImGui::GetContentRegionAvail().x);
  ImGui::BeginChild(("##log_" + p.tp.str()).c_str(), ImVec2(child_w, total_h + scrollbar), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  // Every replica's HW and LEO and the last truncation stay on screen; long
  // stretches between them fold into gaps (viz/model/offset_axis.h).
  std::vector<int64_t> marks;
  for (const auto& [b, r] : p.replica_states) {
    marks.push_back(r.hw.value);
    marks.push_back(r.leo.value);
    if (r.last_truncation)
      for (const RemovedRecord& rr : r.last_truncation->removed)
        if (rr.offset.value >= 0) marks.push_back(rr.offset.value + 1);
  }
  const OffsetAxis axis = OffsetAxis::fit(max_offset + 1, std::move(marks), ImGui::GetWindowWidth() - f * 2.0f,
                                          g.cell_w, f * 1.0f, g.cell_w * 2.4f, f * 1.7f);
  const float cell_w = axis.cell_w();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(axis.width(), total_h));
  ImDrawList* cdl = ImGui::GetWindowDrawList();

  // Ruler: offsets every few cells, each folded stretch as "+N" in its gap.
  const int64_t ruler_every = cell_w >= f * 2.5f ? 1 : 5;
  for (const OffsetAxis::Segment& seg : axis.segments())
    for (int64_t o = seg.begin; o <= seg.end; ++o) {
      if (o != seg.begin && (o % ruler_every != 0 || (ruler_every > 1 && o - seg.begin < 3))) continue;
      if (o == seg.end && o < max_offset + 1) continue;  // the next segment labels it
      const std::string label = std::to_string(o);
      const float x = origin.x + axis.boundary_x(o);
      cdl->AddText(font, f * 0.7f, ImVec2(x + 2, origin.y), th.text_dim, label.c_str());
      cdl->AddLine(ImVec2(x, origin.y + f * 0.1f), ImVec2(x, origin.y + ruler_h - 1), th.grid);
    }
  for (const OffsetAxis::Gap& gap : axis.gaps()) {
    const std::string hidden = "+" + std::to_string(gap.end - gap.begin);
    const ImVec2 ts = text_size(font, f * 0.7f, hidden);
    cdl->AddText(font, f * 0.7f, ImVec2(origin.x + gap.x + (axis.gap_w() - ts.x) / 2, origin.y), th.text_dim,
                 hidden.c_str());
  }

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const bool hovered_child = ImGui::IsWindowHovered();
  struct Hit {
    const LogRecord* record;
    Offset offset;
    NodeId node;
    bool removed;
  };
  std::optional<Hit> hit;
  auto cell_colour = [&](const LogRecord& rec) {
    if (rec.id.value == 0) return th.grid;
    return ctx.view.colouring == CellColouring::leader_epoch ? th.epoch_colour(rec.epoch.value)
                                                             : th.colour_of(record_producer(rec.id).value);
  };
  const std::map<RecordId, std::vector<Offset>>& dups = model.duplicates();
  for (size_t i = 0; i < order.size(); ++i) {
    auto it = p.replica_states.find(order[i]);
    if (it == p.replica_states.end()) continue;
    const ReplicaState& r = it->second;
    const float y0 = origin.y + row_y[i];
    const float cy = y0 + g.top_band;
    const int64_t size = static_cast<int64_t>(r.log.size());
    // A folded stretch of this log: a dotted band, so the eye reads it as
    // records that are there but not drawn.
    for (const OffsetAxis::Gap& gap : axis.gaps()) {
      if (gap.begin >= size) continue;
      const float gx = origin.x + gap.x;
      for (int k = 0; k < 3; ++k)
        cdl->AddCircleFilled(ImVec2(gx + axis.gap_w() * (0.3f + 0.2f * static_cast<float>(k)), cy + g.cell_h / 2),
                             f * 0.12f, th.text_dim);
    }
    for (const OffsetAxis::Segment& seg : axis.segments())
    for (int64_t o = seg.begin; o < std::min(size, seg.end); ++o) {
      const LogRecord& rec = r.log[static_cast<size_t>(o)];
      const ImVec2 a(origin.x + seg.x + static_cast<float>(o - seg.begin) * cell_w + 1, cy);
      const ImVec2 b = a + ImVec2(cell_w - 2, g.cell_h);
      cdl->AddRectFilled(a, b, cell_colour(rec), 3);
      const bool committed = o < r.hw.value;
      if (!committed) cdl->AddRectFilled(a, b, th.uncommitted_overlay, 3);
      if (rec.id.value != 0) {
        const std::string label = std::to_string(record_send_index(rec.id));
        // As large as fits the cell with a margin; a number too long to read
        // at half the font size is left to the tooltip.
        float ls = f * 0.75f;
        ImVec2 ts = text_size(bold, ls, label);
        if (ts.x > cell_w - 6) {
          ls *= (cell_w - 6) / ts.x;
          ts = text_size(bold, ls, label);
        }
        if (ls >= f * 0.45f)
          cdl->AddText(bold, ls, a + ImVec2((cell_w - 2 - ts.x) / 2, (g.cell_h - ts.y) / 2),
                       committed ? text_on(th, cell_colour(rec)) : th.text, label.c_str());
      }
      if (rec.id.value != 0 && model.is_lost_acked(rec.id)) cdl->AddRect(a, b, th.lost, 3, 0, 3.5f);
      // A duplicate: this log holds the record at another offset too (now, not
      // only at the end of the run).
      if (!dups.empty() && rec.id.value != 0)
        if (auto d = dups.find(rec.id); d != dups.end())
          for (Offset other : d->second)
            if (other.value != o && other.value < size && r.log[static_cast<size_t>(other.value)].id == rec.id) {
              draw_duplicate_mark(cdl, a, b, th);
              break;
            }
      if (ctx.view.selected_record && *ctx.view.selected_record == rec.id)
        cdl->AddRect(a - ImVec2(2, 2), b + ImVec2(2, 2), th.selected, 3, 0, 3.0f);
      if (hovered_child && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y)
        hit = Hit{&rec, Offset(o), r.node, false};
    }
    // HW above the cells, LEO below: never on top of each other.
    const float hx = origin.x + axis.boundary_x(r.hw.value);
    cdl->AddLine(ImVec2(hx, y0 + f * 0.15f), ImVec2(hx, cy + g.cell_h), th.hw, 3.0f);
    cdl->AddText(bold, small, ImVec2(hx + 3, y0), th.hw, "HW");
    const float lx = origin.x + axis.boundary_x(r.leo.value);
    cdl->AddLine(ImVec2(lx, cy), ImVec2(lx, cy + g.cell_h + g.bottom_band * 0.85f), th.leo, 3.0f);
    cdl->AddText(bold, small, ImVec2(lx + 3, cy + g.cell_h + f * 0.05f), th.leo, "LEO");

    // The last truncation, struck through under the log.
    if (r.last_truncation && !r.last_truncation->removed.empty()) {
      const Truncation& t = *r.last_truncation;
      const float gy = cy + g.cell_h + g.bottom_band;
      const float gh = g.ghost_band * 0.8f;
      const int64_t age = (now - t.at).us;
      float gx_end = origin.x;
      float gx_begin = 1e9f;
      for (const RemovedRecord& rr : t.removed) {
        if (rr.offset.value < 0) continue;
        const std::optional<float> x = axis.cell_x(rr.offset.value);
        if (!x) continue;
        gx_begin = std::min(gx_begin, origin.x + *x);
        gx_end = std::max(gx_end, origin.x + *x + cell_w);
      }
      if (gx_begin > gx_end) gx_begin = gx_end = origin.x + axis.boundary_x(t.to_offset.value);
      if (age >= 0 && age <= window_us * 2) {
        const float flash = 1.0f - static_cast<float>(age) / static_cast<float>(std::max<int64_t>(1, window_us * 2));
        cdl->AddRectFilled(ImVec2(gx_begin - 3, gy - 2), ImVec2(gx_end + 3, gy + gh + 2), with_alpha(th.truncated, 0.55f * flash), 3);
      }
      // Just truncated: the removed cells fall from the log into the band
      // (eased over the flash), so the eye follows them out of the log.
      float fall = 1.0f;
      if (age >= 0 && age < window_us * 2) {
        const float k = static_cast<float>(age) / static_cast<float>(std::max<int64_t>(1, window_us * 2));
        fall = 1.0f - (1.0f - k) * (1.0f - k);
      }
      for (const RemovedRecord& rr : t.removed) {
        if (rr.offset.value < 0) continue;
        const std::optional<float> x = axis.cell_x(rr.offset.value);
        if (!x) continue;
        const ImVec2 a(origin.x + *x + 1, cy + (gy - cy) * fall);
        const ImVec2 b = a + ImVec2(cell_w - 2, g.cell_h + (gh - g.cell_h) * fall);
        cdl->AddRectFilled(a, b, with_alpha(cell_colour(rr.record), 1.0f - 0.6f * fall), 2);
        if (model.is_lost_acked(rr.record.id)) cdl->AddRect(a, b, th.lost, 2, 0, 2.5f);
        if (ctx.view.selected_record && *ctx.view.selected_record == rr.record.id)
          cdl->AddRect(a - ImVec2(2, 2), b + ImVec2(2, 2), th.selected, 3, 0, 3.0f);
        const float mid = (a.y + b.y) / 2;
        cdl->AddLine(ImVec2(a.x - 1, mid), ImVec2(b.x + 1, mid), th.truncated, 2.5f);
        if (hovered_child && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y)
          hit = Hit{&rr.record, rr.offset, r.node, true};
      }

    }
  }

  if (hit && hit->record->id.value != 0) {
    const RecordId id = hit->record->id;
    ImGui::BeginTooltip();
    ImGui::PushFont(ctx.fonts.bold);
    ImGui::Text("%s at offset %lld", record_label(model.header(), id).c_str(), static_cast<long long>(hit->offset.value));
    ImGui::PopFont();
    ImGui::Text("on %s%s", std::string(model.header().node_name(hit->node)).c_str(),
                hit->removed ? " (removed by its last truncation)" : "");
    ImGui::Text("leader epoch %d, producer id %lld", hit->record->epoch.value,
                static_cast<long long>(hit->record->producer_id.value));
    if (const RecordJourney* j = model.journeys().find(id)) {
      if (j->acked) ImGui::Text("acknowledged at offset %lld", static_cast<long long>(j->acked_offset.value));
      if (j->failed) ImGui::Text("the producer saw the send fail");
    }
    if (auto lost = model.lost_acked().find(id); lost != model.lost_acked().end())
      ImGui::TextColored(v4(th.lost), "LOST: %s", lost->second.why.c_str());
    if (auto d = dups.find(id); d != dups.end())
      ImGui::TextColored(v4(th.duplicate), "DUPLICATE: the run ends with it at %zu offsets", d->second.size());
    ImGui::TextDisabled("click to follow this record");
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ctx.view.selected_record = id;
  }
  ImGui::EndChild();
  ImGui::SetCursorScreenPos(start + ImVec2(0, total_h + scrollbar + f * 0.3f));
  ImGui::Separator();
}

}  // namespace ksim::viz
