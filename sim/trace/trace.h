#pragma once
// Trace: the run's record of observable changes. It numbers events in run order,
// keeps a running hash that identifies the run (same scenario, seed and build:
// same hash), optionally keeps the events in memory, and passes each one to the
// sinks (a JSON Lines writer, live checkers, the viewer's model).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace/trace_event.h"

namespace ksim {

struct TraceNodeInfo {
  std::string name;  // "broker-1", "controller", "p1"
  std::string role;  // "broker", "controller", "producer", "consumer", "demo"
};

// What the first line of a trace file says about the run.
struct TraceHeader {
  int schema_version = trace::kSchemaVersion;
  uint64_t seed = 0;
  std::string scenario;  // scenario name, or a description for built-in runs
  std::vector<TraceNodeInfo> nodes;  // indexed by NodeId

  std::string_view node_name(NodeId id) const;
  // kNoNode if no node has that name.
  NodeId find_node(std::string_view name) const;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void on_event(const TraceHeader& header, const TraceEvent& event) = 0;
};

class Trace {
 public:
  explicit Trace(bool keep_events = true) : keep_events_(keep_events) {}

  TraceHeader& header() { return header_; }
  const TraceHeader& header() const { return header_; }

  const TraceEvent& record(SimTime time, NodeId node, trace::Payload payload);

  // Identifies the run: a hash over the header's nodes and every event's time,
  // sequence, node, kind and fields.
  uint64_t hash() const;
  uint64_t event_count() const { return next_seq_; }
  // Empty unless constructed with keep_events.
  const std::vector<TraceEvent>& events() const { return events_; }

  void add_sink(TraceSink* sink) { sinks_.push_back(sink); }

 private:
  bool keep_events_;
  TraceHeader header_;
  std::vector<TraceEvent> events_;
  std::vector<TraceSink*> sinks_;
  TraceEvent scratch_;
  uint64_t next_seq_ = 0;
  uint64_t hash_ = 0x6b73696d5f747263ULL;  // "ksim_trc"
};

}  // namespace ksim
