#pragma once
// CheckFindings: the history checkers' verdicts on the run the model holds
// (sim/check/registry.h: lost-write, duplicate, ...), each example tied to the
// trace step where it happened, for the Checks panel (click to jump) and the
// timeline (a lane of markers).
//
// The checkers judge the whole history, so findings are computed once for the
// finished trace (the model recomputes them lazily after appends), together
// with every record the viewer marks lost or duplicate (checked_records.h),
// from the same history. An
// example names the times of the events it involves (AnomalyExample::times)
// and its records; its step is that of the event at its first time that
// mentions its first record (a send, an ack, an append, a poll ...), or of the
// last event at that time when none does. An example without times (a
// final-state anomaly such as divergent replicas) points at the end of the run.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/trace/trace.h"
#include "viz/model/checked_records.h"

namespace ksim::viz {

struct FindingExample {
  check::AnomalyExample example;
  uint64_t event = 0;  // the trace index of the event it points at
  bool at_end = false; // no time given: the final state
};

struct CheckFinding {
  std::string name;         // the checker's canonical name ("lost-write")
  std::string description;  // its one-line description
  uint64_t count = 0;       // anomalies found (examples hold the first few)
  std::vector<FindingExample> examples;
  bool holds() const { return count == 0; }
};

struct CheckedRun {
  std::vector<CheckFinding> findings;  // one per checker, in the registry's order
  CheckedRecords records;              // lost-write's and duplicate's records, all of them
};

// Runs every checker over the trace. `final_state` and `journeys` are the
// model's (for the lost records' descriptions).
CheckedRun check_run(const TraceHeader& header, const std::vector<TraceEvent>& events,
                     const ClusterState& final_state, const RecordJourneys& journeys);

// The trace index of the event an example points at (see above). Precondition:
// events is not empty.
uint64_t example_event(const std::vector<TraceEvent>& events, const check::AnomalyExample& example);

}  // namespace ksim::viz
