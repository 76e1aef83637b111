#pragma once
// ProgressSink: feeds `ksim run`'s progress line (host/progress_line.h) from the
// run's trace. It is a trace sink, so the run never knows it is there, and it
// keeps host/ free of the trace: host/ draws, this driver reads the events.
// Register it before the timeline printer: it erases the line before each event
// the timeline prints (sim/report/event_text.h's is_notable).
#include "host/progress_line.h"
#include "sim/report/event_text.h"
#include "sim/trace/trace.h"

namespace ksim::cli {

class ProgressSink final : public TraceSink {
 public:
  explicit ProgressSink(host::ProgressLine& line) : line_(line) {}
  void on_event(const TraceHeader&, const TraceEvent& event) override {
    if (line_.erases_for_timeline() && is_notable(event)) line_.finish();  // the timeline prints this one
    line_.on_event(event.time.us);
  }

 private:
  host::ProgressLine& line_;
};

}  // namespace ksim::cli
