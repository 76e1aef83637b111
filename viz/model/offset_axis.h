#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ksim::viz {

// Where each offset of a partition's logs goes across the Partitions panel.
//
// A teacher needs the places a lesson is about on screen at once: every
// replica's HW and LEO, and the records its last truncation removed. Scrolling
// to follow the LEO lost a lagging HW (lecture 2's stalled follower holds the
// leader's HW at 1 while its LEO passes 80), so the axis never scrolls:
//   1. a log short enough to fit is drawn whole, its cells widened (up to
//      max_cell_w) so a handful of records reads from the back of a room, or
//      narrowed (down to min_cell_w) rather than folded;
//   2. a longer one keeps a window of cells before each mark (and one blank
//      cell after it, where the next record would go) and folds each stretch
//      between windows into a gap that says how many offsets it hides; the
//      cells narrow, then the windows shrink, before a mark is given up;
//   3. space left over goes to the newest window, which grows leftwards.
// Pure layout, no drawing: the panel asks where a cell or a boundary is.
class OffsetAxis {
 public:
  // A run of consecutive offsets [begin, end) drawn as cells from x.
  struct Segment {
    int64_t begin = 0;
    int64_t end = 0;
    float x = 0;
  };
  // Offsets [begin, end) left out, drawn as a gap of gap_w() at x.
  struct Gap {
    int64_t begin = 0;
    int64_t end = 0;
    float x = 0;
  };

  // cells: offsets 0..cells-1 may hold something. marks: boundary offsets to
  // keep visible (an HW of h is the line before cell h). Widths in pixels.
  // Cells are cell_w wide, narrowed down to min_cell_w before anything is
  // folded and widened up to max_cell_w when the log is short.
  static OffsetAxis fit(int64_t cells, std::vector<int64_t> marks, float width, float cell_w, float min_cell_w,
                        float max_cell_w, float gap_w);

  float cell_w() const { return cell_w_; }
  float gap_w() const { return gap_w_; }
  float width() const { return width_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Gap>& gaps() const { return gaps_; }

  // The left edge of the offset's cell, or nothing when it is folded away.
  std::optional<float> cell_x(int64_t offset) const;
  // The x of the line before the offset (an HW or LEO marker); a boundary
  // inside a gap sits in the gap's middle.
  float boundary_x(int64_t offset) const;

 private:
  float cell_w_ = 0;
  float gap_w_ = 0;
  float width_ = 0;
  std::vector<Segment> segments_;
  std::vector<Gap> gaps_;
};

}  // namespace ksim::viz
