#pragma once
// TimelinePrinter: a trace sink that prints the run as a timeline, one line
// per notable event (sim/report/event_text.h), as `ksim run` and `ksim demo`
// show it. Without -v it folds a client's consecutive acknowledgements (and
// consecutive failures with the same error) into one line, so a workload of a
// hundred sends reads as a few lines around the faults:
//
//     2000.000 ms  p1  acked p1#0..p1#9 at orders-0 offsets 0..9 (10 sends, to 2901.3 ms)
//
// Nodes started together at the beginning fold into one line too.
//
// Call finish() after the run to print a fold still open.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "sim/trace/trace.h"

namespace ksim {

class TimelinePrinter final : public TraceSink {
 public:
  TimelinePrinter(std::ostream& out, bool verbose) : out_(out), verbose_(verbose) {}
  void on_event(const TraceHeader& header, const TraceEvent& event) override;
  void finish();
  uint64_t lines() const { return lines_; }

 private:
  struct Fold {
    NodeId node;
    bool acked = true;
    std::string error;  // failures: the error they share
    std::string partition;
    SimTime first_time, last_time;
    RecordId first_record, last_record;
    int64_t first_offset = -1, last_offset = -1;
    int64_t count = 0;
    const TraceHeader* header = nullptr;
  };
  void flush();
  void print(SimTime t, const std::string& text);

  std::ostream& out_;
  bool verbose_;
  std::optional<Fold> fold_;
  std::vector<std::string> started_;  // first starts at started_at_, not printed yet
  SimTime started_at_;
  uint64_t lines_ = 0;
};

}  // namespace ksim
