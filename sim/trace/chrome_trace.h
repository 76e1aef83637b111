#pragma once
// The trace in Chrome's trace-event JSON format, which Perfetto's UI
// (ui.perfetto.dev) and chrome://tracing open: one track per node, every trace
// event an instant on its node's track with its fields as args, every message
// a flow arrow from the sender's track to the receiver's, and the intervals a
// node was down (crashed until restarted) or paused as slices.
//
// Timestamps are virtual microseconds, which is the format's own unit, so the
// UI's time axis is the simulation's clock.
#include <iosfwd>
#include <map>
#include <string>

#include "sim/trace/trace.h"

namespace ksim {

class ChromeTraceWriter : public TraceSink {
 public:
  explicit ChromeTraceWriter(std::ostream& out) : out_(out) {}
  void on_event(const TraceHeader& header, const TraceEvent& event) override;
  // Closes open down / paused slices at the last event's time, names the
  // tracks, and ends the JSON document. Call once, after the run.
  void finish(const TraceHeader& header);

 private:
  void begin_document();
  void emit(const std::string& json_object);

  std::ostream& out_;
  std::string line_;
  bool started_ = false;
  bool first_ = true;
  int64_t last_us_ = 0;
  std::map<uint32_t, std::string> open_slice_;  // node -> "down" or "paused"
};

}  // namespace ksim
