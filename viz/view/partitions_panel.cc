#include "viz/view/partitions_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>
#include <utility>

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


// The controller's view of the partition: leader, epochs, ISR, ELR, replicas,
// why it last changed, a pending AlterPartition.
void draw_controller_view(const PanelContext& ctx, const PartitionState& p) {
  const ReplayModel& model = ctx.model;
  const Theme& th = ctx.theme;
  const float f = ImGui::GetFontSize();
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
}

// Replicas in assignment order, then any others that reported.
std::vector<BrokerId> replica_order(const PartitionState& p) {
  std::vector<BrokerId> order;
  for (int32_t b : p.replicas) order.push_back(BrokerId(b));
  for (const auto& [b, r] : p.replica_states)
    if (std::find(order.begin(), order.end(), b) == order.end()) order.push_back(b);
  return order;
}

// The highest offset any replica's log, LEO or last truncation reaches (at least 1).
int64_t max_offset_of(const PartitionState& p) {
  int64_t max_offset = 1;
  for (const auto& [b, r] : p.replica_states) {
    max_offset = std::max<int64_t>(max_offset, static_cast<int64_t>(r.log.size()));
    max_offset = std::max<int64_t>(max_offset, r.leo.value);
    if (r.last_truncation)
      for (const RemovedRecord& rr : r.last_truncation->removed) max_offset = std::max<int64_t>(max_offset, rr.offset.value + 1);
  }
  return max_offset;
}

bool shows_truncation(const ReplicaState* r) {
  return r && r->last_truncation && !r->last_truncation->removed.empty();
}

// Each replica's row: its top (below the ruler) and the height of them all.
struct Rows {
  std::vector<float> y;
  float total_h = 0;
};

Rows replica_rows(const PartitionState& p, const std::vector<BrokerId>& order, const Geometry& g, float ruler_h) {
  Rows rows{{}, ruler_h};
  for (BrokerId b : order) {
    rows.y.push_back(rows.total_h);
    auto it = p.replica_states.find(b);
    rows.total_h += g.row_h(shows_truncation(it != p.replica_states.end() ? &it->second : nullptr));
  }
  return rows;
}

// The label column's badge for broker b: LEADER or ELR.
std::pair<const char*, ImU32> replica_badge(const PartitionState& p, BrokerId b, const Theme& th) {
  if (p.leader == b && p.known_to_controller) return {"LEADER", th.role[static_cast<int>(NodeRole::controller)]};
  if (std::find(p.elr.begin(), p.elr.end(), b.value) != p.elr.end()) return {"ELR", th.warning};
  return {nullptr, 0};
}

// One replica's label: name, badge, LEO and HW, its epoch cache, its last truncation.
void draw_replica_label(ImDrawList* dl, const PanelContext& ctx, const PartitionState& p, BrokerId b, ImVec2 top,
                        const Geometry& g) {
  const ReplayModel& model = ctx.model;
  const Theme& th = ctx.theme;
  const ImFont* font = ctx.fonts.regular;
  const ImFont* bold = ctx.fonts.bold;
  const float f = g.f;
  const float small = f * 0.8f;
  const NodeId node = model.nodes().node_of(b);
  const ReplicaState* r = nullptr;
  if (auto it = p.replica_states.find(b); it != p.replica_states.end()) r = &it->second;
  const float h = g.row_h(shows_truncation(r)) - g.gap;
  const bool in_isr = p.in_isr(b);
  dl->AddRectFilled(top, top + ImVec2(g.label_w - f * 0.4f, h), in_isr ? th.isr_bg : th.out_of_isr_bg, f * 0.25f);
  const bool down = node != kNoNode && model.state().nodes[node.value].status == NodeStatus::crashed;
  std::string name = node != kNoNode ? model.header().nodes[node.value].name : "broker " + std::to_string(b.value);
  // Everything in the label column stays in it: text is clipped on the CPU
  // to the column (a clip rectangle per row would cost a draw call each).
  const ImVec4 clip(top.x, top.y, top.x + g.label_w - f * 0.5f, top.y + h);
  float x = top.x + f * 0.3f;
  dl->AddText(bold, f, ImVec2(x, top.y + f * 0.1f), down ? th.text_dim : th.text, name.c_str(), nullptr, 0.0f, &clip);
  x += text_size(bold, f, name).x + f * 0.35f;
  const auto [badge, badge_bg] = replica_badge(p, b, th);
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
  if (shows_truncation(r)) {
    const Truncation& t = *r->last_truncation;
    const std::string note = "truncated " + std::to_string(t.removed.size()) + " (" + t.reason + ")";
    dl->AddText(font, small, ImVec2(top.x + f * 0.3f, top.y + f * 3.25f), th.truncated, note.c_str(), nullptr, 0.0f, &clip);
  }
}

// The offset axis: every replica's HW and LEO and the last truncation stay on
// screen; long stretches between them fold into gaps (viz/model/offset_axis.h).
OffsetAxis offset_axis_of(const PartitionState& p, int64_t max_offset, const Geometry& g) {
  const float f = g.f;
  std::vector<int64_t> marks;
  for (const auto& [b, r] : p.replica_states) {
    marks.push_back(r.hw.value);
    marks.push_back(r.leo.value);
    if (r.last_truncation)
      for (const RemovedRecord& rr : r.last_truncation->removed)
        if (rr.offset.value >= 0) marks.push_back(rr.offset.value + 1);
  }
  return OffsetAxis::fit(max_offset + 1, std::move(marks), ImGui::GetWindowWidth() - f * 2.0f, g.cell_w, f * 1.0f,
                         g.cell_w * 2.4f, f * 1.7f);
}

// Ruler: offsets every few cells, each folded stretch as "+N" in its gap.
void draw_ruler(ImDrawList* dl, const OffsetAxis& axis, ImVec2 origin, int64_t max_offset, float ruler_h,
                const ImFont* font, const Theme& th) {
  const float f = ImGui::GetFontSize();
  const int64_t ruler_every = axis.cell_w() >= f * 2.5f ? 1 : 5;
  for (const OffsetAxis::Segment& seg : axis.segments())
    for (int64_t o = seg.begin; o <= seg.end; ++o) {
      if (o != seg.begin && (o % ruler_every != 0 || (ruler_every > 1 && o - seg.begin < 3))) continue;
      if (o == seg.end && o < max_offset + 1) continue;  // the next segment labels it
      const std::string label = std::to_string(o);
      const float x = origin.x + axis.boundary_x(o);
      dl->AddText(font, f * 0.7f, ImVec2(x + 2, origin.y), th.text_dim, label.c_str());
      dl->AddLine(ImVec2(x, origin.y + f * 0.1f), ImVec2(x, origin.y + ruler_h - 1), th.grid);
    }
  for (const OffsetAxis::Gap& gap : axis.gaps()) {
    const std::string hidden = "+" + std::to_string(gap.end - gap.begin);
    const ImVec2 ts = text_size(font, f * 0.7f, hidden);
    dl->AddText(font, f * 0.7f, ImVec2(origin.x + gap.x + (axis.gap_w() - ts.x) / 2, origin.y), th.text_dim,
                hidden.c_str());
  }
}

// The record cell under the mouse.
struct Hit {
  const LogRecord* record = nullptr;
  Offset offset{-1};
  NodeId node = kNoNode;
  bool removed = false;  // a cell of the last truncation, under the log
};

// The logs of one partition, drawn row by row on one canvas.
class LogCanvas {
 public:
  LogCanvas(const PanelContext& ctx, const Geometry& g, const OffsetAxis& axis, ImVec2 origin)
      : ctx_(ctx), th_(ctx.theme), g_(g), axis_(axis), origin_(origin), cell_w_(axis.cell_w()),
        dl_(ImGui::GetWindowDrawList()), mouse_(ImGui::GetIO().MousePos), hovered_(ImGui::IsWindowHovered()),
        dups_(ctx.model.duplicates()) {}

  // One replica's log, its HW and LEO, and its last truncation; `y0` is the row's top.
  void draw_row(const ReplicaState& r, float y0) {
    const float cy = y0 + g_.top_band;
    draw_folded_gaps(r, cy);
    const int64_t size = static_cast<int64_t>(r.log.size());
    for (const OffsetAxis::Segment& seg : axis_.segments())
      for (int64_t o = seg.begin; o < std::min(size, seg.end); ++o) draw_cell(r, o, seg, cy);
    draw_hw_and_leo(r, y0, cy);
    if (shows_truncation(&r)) draw_truncation(r, cy);
  }

  // The cell under the mouse, if it holds a record (id 0 is a gap filler).
  const Hit* hovered_record() const { return hit_.record && hit_.record->id.value != 0 ? &hit_ : nullptr; }

 private:
  ImU32 cell_colour(const LogRecord& rec) const {
    if (rec.id.value == 0) return th_.grid;
    return ctx_.view.colouring == CellColouring::leader_epoch ? th_.epoch_colour(rec.epoch.value)
                                                              : th_.colour_of(record_producer(rec.id).value);
  }

  bool under_mouse(ImVec2 a, ImVec2 b) const {
    return hovered_ && mouse_.x >= a.x && mouse_.x < b.x && mouse_.y >= a.y && mouse_.y < b.y;
  }

  bool selected(RecordId id) const { return ctx_.view.selected_record && *ctx_.view.selected_record == id; }

  // A folded stretch of this log: a dotted band, so the eye reads it as
  // records that are there but not drawn.
  void draw_folded_gaps(const ReplicaState& r, float cy) {
    const int64_t size = static_cast<int64_t>(r.log.size());
    for (const OffsetAxis::Gap& gap : axis_.gaps()) {
      if (gap.begin >= size) continue;
      const float gx = origin_.x + gap.x;
      for (int k = 0; k < 3; ++k)
        dl_->AddCircleFilled(ImVec2(gx + axis_.gap_w() * (0.3f + 0.2f * static_cast<float>(k)), cy + g_.cell_h / 2),
                             g_.f * 0.12f, th_.text_dim);
    }
  }

  // The record's send number, as large as fits the cell with a margin; a
  // number too long to read at half the font size is left to the tooltip.
  void draw_cell_label(const LogRecord& rec, ImVec2 a, bool committed) {
    const float f = g_.f;
    const ImFont* bold = ctx_.fonts.bold;
    const std::string label = std::to_string(record_send_index(rec.id));
    float ls = f * 0.75f;
    ImVec2 ts = text_size(bold, ls, label);
    if (ts.x > cell_w_ - 6) {
      ls *= (cell_w_ - 6) / ts.x;
      ts = text_size(bold, ls, label);
    }
    if (ls >= f * 0.45f)
      dl_->AddText(bold, ls, a + ImVec2((cell_w_ - 2 - ts.x) / 2, (g_.cell_h - ts.y) / 2),
                   committed ? text_on(th_, cell_colour(rec)) : th_.text, label.c_str());
  }

  // A duplicate: this log holds the record at another offset too (now, not
  // only at the end of the run).
  bool held_twice(const ReplicaState& r, const LogRecord& rec, int64_t o) const {
    if (dups_.empty() || rec.id.value == 0) return false;
    auto d = dups_.find(rec.id);
    if (d == dups_.end()) return false;
    const int64_t size = static_cast<int64_t>(r.log.size());
    for (Offset other : d->second)
      if (other.value != o && other.value < size && r.log[static_cast<size_t>(other.value)].id == rec.id) return true;
    return false;
  }

  void draw_cell(const ReplicaState& r, int64_t o, const OffsetAxis::Segment& seg, float cy) {
    const LogRecord& rec = r.log[static_cast<size_t>(o)];
    const ImVec2 a(origin_.x + seg.x + static_cast<float>(o - seg.begin) * cell_w_ + 1, cy);
    const ImVec2 b = a + ImVec2(cell_w_ - 2, g_.cell_h);
    dl_->AddRectFilled(a, b, cell_colour(rec), 3);
    const bool committed = o < r.hw.value;
    if (!committed) dl_->AddRectFilled(a, b, th_.uncommitted_overlay, 3);
    if (rec.id.value != 0) draw_cell_label(rec, a, committed);
    if (rec.id.value != 0 && ctx_.model.is_lost_acked(rec.id)) dl_->AddRect(a, b, th_.lost, 3, 0, 3.5f);
    if (held_twice(r, rec, o)) draw_duplicate_mark(dl_, a, b, th_);
    if (selected(rec.id)) dl_->AddRect(a - ImVec2(2, 2), b + ImVec2(2, 2), th_.selected, 3, 0, 3.0f);
    if (under_mouse(a, b)) hit_ = Hit{&rec, Offset(o), r.node, false};
  }

  // HW above the cells, LEO below: never on top of each other.
  void draw_hw_and_leo(const ReplicaState& r, float y0, float cy) {
    const float f = g_.f;
    const float small = f * 0.8f;
    const ImFont* bold = ctx_.fonts.bold;
    const float hx = origin_.x + axis_.boundary_x(r.hw.value);
    dl_->AddLine(ImVec2(hx, y0 + f * 0.15f), ImVec2(hx, cy + g_.cell_h), th_.hw, 3.0f);
    dl_->AddText(bold, small, ImVec2(hx + 3, y0), th_.hw, "HW");
    const float lx = origin_.x + axis_.boundary_x(r.leo.value);
    dl_->AddLine(ImVec2(lx, cy), ImVec2(lx, cy + g_.cell_h + g_.bottom_band * 0.85f), th_.leo, 3.0f);
    dl_->AddText(bold, small, ImVec2(lx + 3, cy + g_.cell_h + f * 0.05f), th_.leo, "LEO");
  }

  // Where the removed cells sit under the log: [begin, end) in x.
  std::pair<float, float> truncation_span(const Truncation& t) const {
    float gx_end = origin_.x;
    float gx_begin = 1e9f;
    for (const RemovedRecord& rr : t.removed) {
      if (rr.offset.value < 0) continue;
      const std::optional<float> x = axis_.cell_x(rr.offset.value);
      if (!x) continue;
      gx_begin = std::min(gx_begin, origin_.x + *x);
      gx_end = std::max(gx_end, origin_.x + *x + cell_w_);
    }
    if (gx_begin > gx_end) gx_begin = gx_end = origin_.x + axis_.boundary_x(t.to_offset.value);
    return {gx_begin, gx_end};
  }

  // The last truncation, struck through under the log. Just truncated: the
  // band flashes and the removed cells fall from the log into it (eased over
  // the flash), so the eye follows them out of the log.
  void draw_truncation(const ReplicaState& r, float cy) {
    const Truncation& t = *r.last_truncation;
    const int64_t window_us = ctx_.view.recent_window_us();
    const float gy = cy + g_.cell_h + g_.bottom_band;
    const float gh = g_.ghost_band * 0.8f;
    const int64_t age = (ctx_.view.cursor.time - t.at).us;
    const auto [gx_begin, gx_end] = truncation_span(t);
    if (age >= 0 && age <= window_us * 2) {
      const float flash = 1.0f - static_cast<float>(age) / static_cast<float>(std::max<int64_t>(1, window_us * 2));
      dl_->AddRectFilled(ImVec2(gx_begin - 3, gy - 2), ImVec2(gx_end + 3, gy + gh + 2), with_alpha(th_.truncated, 0.55f * flash), 3);
    }
    float fall = 1.0f;
    if (age >= 0 && age < window_us * 2) {
      const float k = static_cast<float>(age) / static_cast<float>(std::max<int64_t>(1, window_us * 2));
      fall = 1.0f - (1.0f - k) * (1.0f - k);
    }
    for (const RemovedRecord& rr : t.removed) {
      if (rr.offset.value < 0) continue;
      const std::optional<float> x = axis_.cell_x(rr.offset.value);
      if (!x) continue;
      const ImVec2 a(origin_.x + *x + 1, cy + (gy - cy) * fall);
      const ImVec2 b = a + ImVec2(cell_w_ - 2, g_.cell_h + (gh - g_.cell_h) * fall);
      dl_->AddRectFilled(a, b, with_alpha(cell_colour(rr.record), 1.0f - 0.6f * fall), 2);
      if (ctx_.model.is_lost_acked(rr.record.id)) dl_->AddRect(a, b, th_.lost, 2, 0, 2.5f);
      if (selected(rr.record.id)) dl_->AddRect(a - ImVec2(2, 2), b + ImVec2(2, 2), th_.selected, 3, 0, 3.0f);
      const float mid = (a.y + b.y) / 2;
      dl_->AddLine(ImVec2(a.x - 1, mid), ImVec2(b.x + 1, mid), th_.truncated, 2.5f);
      if (under_mouse(a, b)) hit_ = Hit{&rr.record, rr.offset, r.node, true};
    }
  }

  const PanelContext& ctx_;
  const Theme& th_;
  const Geometry& g_;
  const OffsetAxis& axis_;
  const ImVec2 origin_;
  const float cell_w_;
  ImDrawList* dl_;
  const ImVec2 mouse_;
  const bool hovered_;
  const std::map<RecordId, std::vector<Offset>>& dups_;
  Hit hit_;  // record == nullptr: none
};

// Hovering a cell: the record, where it is, what happened to it; a click follows it.
void record_tooltip(PanelContext& ctx, const Hit& hit) {
  const ReplayModel& model = ctx.model;
  const Theme& th = ctx.theme;
  const RecordId id = hit.record->id;
  ImGui::BeginTooltip();
  ImGui::PushFont(ctx.fonts.bold);
  ImGui::Text("%s at offset %lld", record_label(model.header(), id).c_str(), static_cast<long long>(hit.offset.value));
  ImGui::PopFont();
  ImGui::Text("on %s%s", std::string(model.header().node_name(hit.node)).c_str(),
              hit.removed ? " (removed by its last truncation)" : "");
  ImGui::Text("leader epoch %d, producer id %lld", hit.record->epoch.value,
              static_cast<long long>(hit.record->producer_id.value));
  if (const RecordJourney* j = model.journeys().find(id)) {
    if (j->acked) ImGui::Text("acknowledged at offset %lld", static_cast<long long>(j->acked_offset.value));
    if (j->failed) ImGui::Text("the producer saw the send fail");
  }
  if (auto lost = model.lost_acked().find(id); lost != model.lost_acked().end())
    ImGui::TextColored(v4(th.lost), "LOST: %s", lost->second.why.c_str());
  if (auto d = model.duplicates().find(id); d != model.duplicates().end())
    ImGui::TextColored(v4(th.duplicate), "DUPLICATE: the run ends with it at %zu offsets", d->second.size());
  ImGui::TextDisabled("click to follow this record");
  ImGui::EndTooltip();
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) ctx.view.selected_record = id;
}

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
  const float f = ImGui::GetFontSize();
  // The label column gives way on a narrow panel (1280x720 with three columns)
  // so the logs keep room for both the HW and the LEO.
  const float label_w = std::clamp(ImGui::GetContentRegionAvail().x * 0.4f, f * 9.5f, f * 11.0f);
  const Geometry g{f, f * 1.5f, f * 1.3f, f * 1.0f, f * 1.0f, f * 0.95f, f * 0.45f, label_w};
  draw_controller_view(ctx, p);

  const std::vector<BrokerId> order = replica_order(p);
  const int64_t max_offset = max_offset_of(p);
  const float ruler_h = f * 0.95f;
  const Rows rows = replica_rows(p, order, g, ruler_h);
  const float scrollbar = ImGui::GetStyle().ScrollbarSize;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  for (size_t i = 0; i < order.size(); ++i) draw_replica_label(dl, ctx, p, order[i], start + ImVec2(0, rows.y[i]), g);

  // The logs, in a child window of their own.
  ImGui::SetCursorScreenPos(start + ImVec2(g.label_w, 0));
  const float child_w = std::max(f * 4, ImGui::GetContentRegionAvail().x);
  ImGui::BeginChild(("##log_" + p.tp.str()).c_str(), ImVec2(child_w, rows.total_h + scrollbar), false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const OffsetAxis axis = offset_axis_of(p, max_offset, g);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(axis.width(), rows.total_h));
  draw_ruler(ImGui::GetWindowDrawList(), axis, origin, max_offset, ruler_h, ctx.fonts.regular, ctx.theme);
  LogCanvas canvas(ctx, g, axis, origin);
  for (size_t i = 0; i < order.size(); ++i)
    if (auto it = p.replica_states.find(order[i]); it != p.replica_states.end())
      canvas.draw_row(it->second, origin.y + rows.y[i]);
  if (const Hit* hit = canvas.hovered_record()) record_tooltip(ctx, *hit);
  ImGui::EndChild();
  ImGui::SetCursorScreenPos(start + ImVec2(0, rows.total_h + scrollbar + f * 0.3f));
  ImGui::Separator();
}

}  // namespace ksim::viz
