#pragma once
// Human-readable lines for trace events: the timeline `ksim` prints.
#include <string>

#include "sim/trace/trace.h"

namespace ksim {

// "node-1  crashed (power loss)", "node-1 -> node-2  Gossip #12 (16 B, arrives 3.1 ms)".
std::string describe_event(const TraceHeader& header, const TraceEvent& event);
// "p1#5": the producing node's name and its send count.
std::string record_text(const TraceHeader& header, RecordId record);
// The time column: "1234.567 ms".
std::string format_time(SimTime t);
// Whether an event belongs in the default (not verbose) timeline: faults,
// lifecycle, topology, the controller's and replicas' decisions (leaders, ISR,
// fencing, truncation, recovery) and client outcomes; not every message,
// append, HW move, flush or send.
bool is_notable(const TraceEvent& event);

}  // namespace ksim
