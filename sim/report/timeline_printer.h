#pragma once
// TimelinePrinter: a trace sink that prints the run as a timeline, one line
// per notable event (sim/report/event_text.h), as `ksim run` and `ksim demo`
// show it. Without -v it folds routine client traffic, so a workload of
// thousands of records reads as a few lines around the faults:
//
//   - a producer's acknowledgements (or its failures with one error) for one
//     partition:
//       2000.000 ms  p1  acked p1#0..p1#9 at orders-0 offsets 0..9 (10 sends, to 2901.3 ms)
//   - a consumer's polls of one partition in one generation, with the
//     records it processed (each record_processed is folded into its poll):
//       8665.131 ms  c1  polled orders-3 offsets 0..612 (613 records in 4 polls, to 9120.0 ms), processed 613
//     A poll that does not continue where the last one ended (a rewind after
//     a rebalance, a skip) starts a new line, so re-deliveries stay visible.
//
// Several folds (one per client and partition) stay open at once; any other
// notable event prints them all first, in the order they began, so the
// timeline stays in time order. Nodes started together at the beginning
// fold into one line too.
//
// Call finish() after the run to print the folds still open.
#include <iosfwd>
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
  enum class FoldKind : uint8_t { acked, failed, polled };
  struct Fold {
    FoldKind kind = FoldKind::acked;
    NodeId node;
    std::string topic;
    PartitionId partition;
    std::string error;              // failures: the error they share
    int64_t generation = -1;        // polls: the group generation
    SimTime first_time, last_time;
    RecordId first_record, last_record;
    int64_t first_offset = -1, last_offset = -1;
    int64_t count = 0;              // sends, or polled records
    int64_t polls = 0;              // polls
    int64_t processed = 0;          // polls: records processed
    const TraceHeader* header = nullptr;
  };
  Fold* find(FoldKind kind, NodeId node, const std::string& topic, PartitionId partition);
  void fold_producer(const TraceHeader& header, const TraceEvent& event);
  void fold_poll(const TraceHeader& header, const TraceEvent& event);
  bool fold_processed(const TraceHeader& header, const TraceEvent& event);
  void flush();
  std::string fold_text(const Fold& f) const;
  void print(SimTime t, const std::string& text);

  std::ostream& out_;
  bool verbose_;
  std::vector<Fold> folds_;           // open, in the order they began
  std::vector<std::string> started_;  // first starts at started_at_, not printed yet
  SimTime started_at_;
  uint64_t lines_ = 0;
};

}  // namespace ksim
