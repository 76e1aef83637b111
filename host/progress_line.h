#pragma once
// A progress line on stderr for long runs: "simulated 12.3 s of 60 s (20%),
// 1.2 M events, 3400x real time". Only when stderr is a terminal (a pipe or a
// CI log gets nothing), redrawn at most four times a wall second, erased when
// the run ends so the timeline on stdout reads as before. It reads the wall
// clock, which only host/ may (tools/lint-determinism.sh), and knows nothing of
// the simulation: a driver feeds it each event's virtual time (`ksim run`
// through cli/progress_sink.h, a trace sink, so the run never knows it is
// there).
//
// When stdout is the same terminal, the timeline's lines would land in the
// middle of the progress line: the driver erases it (finish()) before every
// event the timeline prints, when erases_for_timeline() says it is on screen,
// and there is no progress line at all with -v, where every event is printed
// anyway.
#include <cstdint>

#include "host/stopwatch.h"

namespace ksim::host {

class ProgressLine {
 public:
  // total_ms: the virtual time the run goes to. verbose_timeline: stdout gets
  // every event (-v).
  ProgressLine(int64_t total_ms, bool verbose_timeline);
  ~ProgressLine() { finish(); }
  bool enabled() const { return enabled_; }
  // One more event, at virtual time now_us.
  void on_event(int64_t now_us);
  // The line is on the terminal stdout shares: erase it before the timeline
  // prints a line.
  bool erases_for_timeline() const { return drawn_ && shares_terminal_; }
  // Erases the line (once).
  void finish();

 private:
  void draw(int64_t now_us);

  int64_t total_ms_;
  bool enabled_;
  bool shares_terminal_;  // stdout is a terminal too
  bool drawn_ = false;
  uint64_t events_ = 0;
  Stopwatch since_start_;
  Pacer redraw_{std::chrono::milliseconds(250)};
};

}  // namespace ksim::host
