#pragma once
// The trace's file form: JSON Lines. Line 1 is the header, every further line
// one event. docs/trace-format.md is the reference; other tools can read it.
//
//   {"ksim_trace":1,"seed":7,"scenario":"...","nodes":[{"name":"broker-1","role":"broker"},...]}
//   {"seq":0,"t_us":0,"node":"broker-1","kind":"node_started","incarnation":1}
#include <optional>
#include <deque>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/base/input_error.h"
#include "sim/trace/trace.h"

namespace ksim {

// Appends one event as a JSON line (with the trailing newline) to `out`.
void append_jsonl_event(std::string& out, const TraceHeader& header, const TraceEvent& event);
void append_jsonl_header(std::string& out, const TraceHeader& header);

// A sink that streams the trace to a file as it happens.
class JsonlTraceWriter : public TraceSink {
 public:
  explicit JsonlTraceWriter(std::ostream& out) : out_(out) {}
  void on_event(const TraceHeader& header, const TraceEvent& event) override;
  // Writes the header if no event has been written yet (an empty run).
  void finish(const TraceHeader& header);

 private:
  std::ostream& out_;
  std::string buffer_;
  bool header_written_ = false;
};

// A trace read back from a file. string_view fields point into `strings`.
struct LoadedTrace {
  TraceHeader header;
  std::vector<TraceEvent> events;
  std::deque<std::string> strings;
};

// What a trace file may hold (docs/trace-format.md, "Limits"). A ksim run
// writes lines of a few hundred bytes, at most 2 levels deep, with partition
// numbers below the loader's limit and offsets no run can outgrow.
inline constexpr size_t kMaxTraceLineBytes = size_t{1} << 20;
inline constexpr int kMaxTraceJsonDepth = 16;
inline constexpr size_t kMaxTraceNodes = 10000;
inline constexpr int64_t kMaxTracePartitions = 100000;

// Reads a whole JSON Lines trace, and validates what it reads: the header
// first; every event of a known kind with fields of the right types; time
// never going backwards and seq always growing; partitions in range; offsets
// from -1 (none) up to the number of records appended so far in log_appended
// events (so no reader sizes a table by a made-up offset); msg_ids sent once,
// and delivered only after their send. On malformed or impossible input
// returns the error: path "line N", and what is wrong.
std::optional<InputError> read_jsonl_trace(std::istream& in, LoadedTrace& out);

}  // namespace ksim
