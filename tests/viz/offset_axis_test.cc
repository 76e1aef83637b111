#include "viz/model/offset_axis.h"

#include <catch2/catch.hpp>

namespace ksim::viz {
namespace {

// 10-pixel cells, 25-pixel gaps throughout.
constexpr float kCell = 10, kGap = 25;

}  // namespace

TEST_CASE("offset axis: a short log is drawn whole with wider cells", "[viz][offset-axis]") {
  const OffsetAxis axis = OffsetAxis::fit(5, {1, 4}, 200, kCell, kCell, 24, kGap);
  REQUIRE(axis.gaps().empty());
  REQUIRE(axis.segments().size() == 1);
  CHECK(axis.segments()[0].begin == 0);
  CHECK(axis.segments()[0].end == 5);
  CHECK(axis.cell_w() == 24);  // widened to the cap, not to 200 / 5
  CHECK(axis.cell_x(3) == Approx(72));
  CHECK(axis.boundary_x(5) == Approx(120));
}

TEST_CASE("offset axis: a lagging HW stays on screen beside the LEO (lecture 2's stalled follower)",
          "[viz][offset-axis]") {
  // Leader HW 1, LEOs 83 and 2: 84 cells do not fit in 300 pixels.
  const OffsetAxis axis = OffsetAxis::fit(84, {1, 83, 1, 83, 1, 2}, 300, kCell, kCell, 24, kGap);
  CHECK(axis.cell_w() == kCell);
  CHECK(axis.width() <= 300);
  REQUIRE(axis.gaps().size() == 1);
  // Offsets 0..2 are drawn (the HW and the stalled follower's LEO), then a gap,
  // then the newest records up to the LEO and one blank cell.
  CHECK(axis.cell_x(0).has_value());
  CHECK(axis.cell_x(1).has_value());
  CHECK(axis.cell_x(82).has_value());
  CHECK(axis.cell_x(83).has_value());
  CHECK_FALSE(axis.cell_x(40).has_value());
  const OffsetAxis::Gap gap = axis.gaps()[0];
  CHECK(gap.begin >= 3);
  CHECK(gap.end <= 75);
  // Boundaries are ordered left to right; the HW is left of the gap, the LEO right of it.
  CHECK(axis.boundary_x(1) < gap.x);
  CHECK(axis.boundary_x(83) > gap.x + kGap);
  CHECK(axis.boundary_x(40) == Approx(gap.x + kGap / 2));
  // Every pixel is used for the newest window: it grew left until the width was full.
  CHECK(axis.width() > 300 - kCell);
}

TEST_CASE("offset axis: marks too many to keep all keep the newest", "[viz][offset-axis]") {
  std::vector<int64_t> marks;
  for (int64_t m = 100; m <= 1000; m += 100) marks.push_back(m);
  const OffsetAxis axis = OffsetAxis::fit(1001, marks, 100, kCell, kCell, 24, kGap);
  CHECK(axis.width() <= 100);
  CHECK(axis.cell_x(999).has_value());
  CHECK_FALSE(axis.cell_x(100).has_value());
}

TEST_CASE("offset axis: cells and boundaries map monotonically", "[viz][offset-axis]") {
  const OffsetAxis axis = OffsetAxis::fit(500, {3, 250, 251, 499}, 400, kCell, kCell, 24, kGap);
  float last = -1;
  for (int64_t o = 0; o <= 500; ++o) {
    const float x = axis.boundary_x(o);
    CHECK(x >= last);
    last = x;
    if (auto c = axis.cell_x(o)) CHECK(*c == Approx(axis.boundary_x(o)));
  }
  for (int64_t m : {3, 250, 251, 499}) CHECK(axis.cell_x(m - 1).has_value());
}

TEST_CASE("offset axis: cells narrow before a mark is folded away", "[viz][offset-axis]") {
  // At 10 px a cell, HW 1 and LEO 83 need 3 + 2 cells and a gap: 75 px. In
  // 60 px the cells narrow to 6 px and both marks stay.
  const OffsetAxis axis = OffsetAxis::fit(84, {1, 83}, 60, kCell, 6, 24, kGap);
  CHECK(axis.cell_w() < kCell);
  CHECK(axis.width() <= 60);
  CHECK(axis.cell_x(0).has_value());
  CHECK(axis.cell_x(82).has_value());
  // A log that fits at the narrow width is drawn whole, unfolded.
  const OffsetAxis whole = OffsetAxis::fit(9, {1, 9}, 60, kCell, 6, 24, kGap);
  CHECK(whole.gaps().empty());
  CHECK(whole.segments()[0].end == 9);
}

TEST_CASE("offset axis: on a very narrow panel each mark keeps at least its own cell", "[viz][offset-axis]") {
  // Lecture 1 at 4.6 s on a 1280x720 screen: followers' HW 9 and LEO 10, the
  // dead leader's HW 10 and LEO 15. Two windows of one cell of context and
  // two gaps do not fit in 150 px; the marks' own cells do.
  const OffsetAxis axis = OffsetAxis::fit(16, {10, 15, 9, 10, 9, 10}, 150, 27, 18, 60, 30);
  CHECK(axis.width() <= 150);
  for (int64_t mark : {9, 10, 15}) {
    const float x = axis.boundary_x(mark);
    bool in_a_segment = false;
    for (const OffsetAxis::Segment& s : axis.segments()) in_a_segment |= mark >= s.begin && mark <= s.end;
    CHECK(in_a_segment);
    CHECK(x <= axis.width());
  }
}

}  // namespace ksim::viz
