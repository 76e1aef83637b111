#pragma once
// The trace's file form: JSON Lines. Line 1 is the header, every further line
// one event. docs/trace-format.md is the reference; other tools can read it.
//
//   {"ksim_trace":1,"seed":7,"scenario":"...","nodes":[{"name":"broker-1","role":"broker"},...]}
//   {"seq":0,"t_us":0,"node":"broker-1","kind":"node_started","incarnation":1}
#include <deque>
#include <iosfwd>
#include <string>
#include <vector>

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

// Reads a whole JSON Lines trace. On malformed input returns false and sets
// `error` to "line N: what is wrong".
bool read_jsonl_trace(std::istream& in, LoadedTrace& out, std::string& error);

}  // namespace ksim
