#pragma once
// The kernel demo: five GossipNodes on a simulated network, with a scripted
// fault timeline that exercises every kernel mechanism: a network partition and
// its heal, a process crash and restart, a power loss that eats unflushed
// writes, a long GC pause, and a lost message. `ksim demo` prints it; the
// kernel tests and the determinism check run it over many seeds.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/simulation.h"

namespace ksim {

struct DemoOptions {
  uint64_t seed = 1;
  int nodes = 5;
  SimTime until = SimTime::from_ms(5000);
  bool keep_trace_events = true;
  // Attached before the nodes start, so they see the whole run.
  std::vector<TraceSink*> sinks;
};

// Builds the demo run with its fault timeline, started, not yet run.
std::unique_ptr<Simulation> build_demo(const DemoOptions& options);

}  // namespace ksim
