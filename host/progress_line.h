#pragma once
// A progress line on stderr for long runs: "simulated 12.3 s of 60 s (20%),
// 1.2 M events, 3400x real time". Only when stderr is a terminal (a pipe or a
// CI log gets nothing), redrawn at most four times a wall second, erased when
// the run ends so the timeline on stdout reads as before. It is a trace sink,
// so the run itself never knows it is there; it reads the wall clock, which
// only host/ may (tools/lint-determinism.sh).
//
// When stdout is the same terminal, the timeline's lines would land in the
// middle of the progress line: the line is erased before every notable event
// (the ones the timeline prints), and there is no progress line at all with
// -v, where every event is printed anyway. Register it before the printer.
#include <cstdint>

#include "host/stopwatch.h"
#include "sim/trace/trace.h"

namespace ksim::host {

class ProgressLine : public TraceSink {
 public:
  // total_ms: the virtual time the run goes to. verbose_timeline: stdout gets
  // every event (-v).
  ProgressLine(int64_t total_ms, bool verbose_timeline);
  ~ProgressLine() override { finish(); }
  bool enabled() const { return enabled_; }
  void on_event(const TraceHeader& header, const TraceEvent& event) override;
  // Erases the line (once).
  void finish();

 private:
  void draw(SimTime now);

  int64_t total_ms_;
  bool enabled_;
  bool shares_terminal_;  // stdout is a terminal too
  bool drawn_ = false;
  uint64_t events_ = 0;
  Stopwatch since_start_;
  Pacer redraw_{std::chrono::milliseconds(250)};
};

}  // namespace ksim::host
