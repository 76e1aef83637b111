#pragma once
// Human-readable lines for trace events: the timeline `ksim` prints.
#include <string>

#include "sim/trace/trace.h"

namespace ksim {

// "node-1  crashed (power loss)", "node-1 -> node-2  Gossip #12 (16 B, arrives 3.1 ms)".
std::string describe_event(const TraceHeader& header, const TraceEvent& event);
// The time column: "1234.567 ms".
std::string format_time(SimTime t);
// Whether an event belongs in the default (not verbose) timeline: faults,
// lifecycle, topology and protocol decisions, not every message and flush.
bool is_notable(const TraceEvent& event);

}  // namespace ksim
