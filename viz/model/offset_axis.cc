#include "viz/model/offset_axis.h"

#include <algorithm>

namespace ksim::viz {
namespace {

struct Range {
  int64_t begin, end;
};

// Windows of `before` cells up to each mark and one after it, merged where
// folding the space between them would hide fewer than two cells.
std::vector<Range> windows_around(const std::vector<int64_t>& marks, int64_t cells, int64_t before) {
  std::vector<Range> out;
  for (int64_t m : marks) {
    const Range w{std::max<int64_t>(0, m - before), std::min<int64_t>(cells, m + 1)};
    if (w.begin >= w.end) continue;
    if (!out.empty() && w.begin <= out.back().end + 2) {
      out.back().end = std::max(out.back().end, w.end);
    } else {
      out.push_back(w);
    }
  }
  // A fold that would hide one or two leading cells is not worth its gap.
  if (!out.empty() && out.front().begin <= 2) out.front().begin = 0;
  return out;
}

float width_of(const std::vector<Range>& ranges, float cell_w, float gap_w) {
  float w = 0;
  int64_t previous_end = 0;
  for (const Range& r : ranges) {
    if (r.begin > previous_end) w += gap_w;
    w += static_cast<float>(r.end - r.begin) * cell_w;
    previous_end = r.end;
  }
  return w;
}

}  // namespace

OffsetAxis OffsetAxis::fit(int64_t cells, std::vector<int64_t> marks, float width, float cell_w, float min_cell_w,
                           float max_cell_w, float gap_w) {
  OffsetAxis axis;
  axis.gap_w_ = gap_w;
  cells = std::max<int64_t>(cells, 1);
  min_cell_w = std::min(min_cell_w, cell_w);
  std::vector<Range> ranges;
  if (static_cast<float>(cells) * cell_w <= width) {
    // 1. The whole log fits: widen the cells rather than leave the panel empty.
    axis.cell_w_ = std::clamp(width / static_cast<float>(cells), cell_w, std::max(cell_w, max_cell_w));
    ranges.push_back({0, cells});
  } else if (static_cast<float>(cells) * min_cell_w <= width) {
    // Fits with narrower cells: every offset beats a fold.
    axis.cell_w_ = width / static_cast<float>(cells);
    ranges.push_back({0, cells});
  } else {
    // 2. Fold: the widest cells, then the most context before each mark, that fit.
    if (marks.empty()) marks.push_back(cells);
    for (int64_t& m : marks) m = std::clamp<int64_t>(m, 0, cells);
    std::sort(marks.begin(), marks.end());
    marks.erase(std::unique(marks.begin(), marks.end()), marks.end());
    bool fits = false;
    for (float cw : {cell_w, (cell_w + min_cell_w) / 2, min_cell_w}) {
      for (int64_t before : {6, 4, 2, 1}) {
        ranges = windows_around(marks, cells, before);
        axis.cell_w_ = cw;
        if ((fits = width_of(ranges, cw, gap_w) <= width)) break;
      }
      if (fits) break;
    }
    // Still too wide: only the cell at each mark, at the narrowest width.
    if (!fits) {
      ranges = windows_around(marks, cells, 0);
      axis.cell_w_ = min_cell_w;
    }
    // Too many marks even so: keep the newest ones that fit.
    while (ranges.size() > 1 && width_of(ranges, axis.cell_w_, gap_w) > width) ranges.erase(ranges.begin());
    // 3. Grow the newest window leftwards into what is left, merging with the
    // window before it when they meet.
    while (!ranges.empty() && ranges.back().begin > 0) {
      std::vector<Range> grown = ranges;
      grown.back().begin -= 1;
      if (grown.size() > 1 && grown.back().begin <= grown[grown.size() - 2].end) {
        grown[grown.size() - 2].end = grown.back().end;
        grown.pop_back();
      }
      if (grown.front().begin <= 2) grown.front().begin = 0;
      if (width_of(grown, axis.cell_w_, gap_w) > width) break;
      ranges = std::move(grown);
    }
  }
  float x = 0;
  int64_t previous_end = 0;
  for (const Range& r : ranges) {
    if (r.begin > previous_end) {
      axis.gaps_.push_back({previous_end, r.begin, x});
      x += gap_w;
    }
    axis.segments_.push_back({r.begin, r.end, x});
    x += static_cast<float>(r.end - r.begin) * axis.cell_w_;
    previous_end = r.end;
  }
  axis.width_ = x;
  return axis;
}

std::optional<float> OffsetAxis::cell_x(int64_t offset) const {
  for (const Segment& s : segments_)
    if (offset >= s.begin && offset < s.end) return s.x + static_cast<float>(offset - s.begin) * cell_w_;
  return std::nullopt;
}

float OffsetAxis::boundary_x(int64_t offset) const {
  for (const Segment& s : segments_)
    if (offset >= s.begin && offset <= s.end) return s.x + static_cast<float>(offset - s.begin) * cell_w_;
  for (const Gap& g : gaps_)
    if (offset >= g.begin && offset <= g.end) return g.x + gap_w_ / 2;
  return width_;  // past everything drawn
}

}  // namespace ksim::viz
