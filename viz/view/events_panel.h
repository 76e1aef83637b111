#pragma once
// The Events panel: the trace as a list, filtered by kind, node and text,
// drawn with ImGuiListClipper so a million events scroll as smoothly as ten.
// The row of the cursor's event is highlighted and kept in view when the
// cursor moves; clicking a row moves the cursor there.
//
// Filtering a long trace by text formats every event's line, so the filtered
// list is rebuilt a slice per frame (at most kScanBudgetMs of wall-clock time)
// and the panel shows its progress; kind and node filters alone are cheap.
#include <cstdint>
#include <string>
#include <vector>

#include "viz/view/panel.h"

namespace ksim::viz {

class EventsPanel {
 public:
  static constexpr double kScanBudgetMs = 6.0;
  void draw(PanelContext& ctx, const PanelRect& rect);

 private:
  void rebuild(const PanelContext& ctx);
  void draw_text_filter(ViewState& view);
  void draw_filter_status(const PanelContext& ctx) const;
  void draw_event_table(PanelContext& ctx);

  std::vector<uint64_t> rows_;     // event indices that pass the filter
  uint64_t built_revision_ = ~uint64_t{0};
  uint64_t scanned_ = 0;           // events examined for the current filter
  std::string text_lower_;
  uint64_t followed_moves_ = ~uint64_t{0};  // the cursor move the list last scrolled to
  char text_buf_[256] = {};
};

}  // namespace ksim::viz
