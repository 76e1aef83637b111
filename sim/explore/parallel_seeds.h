#pragma once
// Runs many seeds on a few threads and hands their outcomes back in seed order.
//
// The one place in core/ and sim/ that starts threads, and the one file the
// determinism lint (tools/lint-determinism.sh) exempts by name. Why that is
// safe: each task builds and runs its own Simulation from (scenario, seed)
// alone and shares nothing mutable with the others; the threads decide only
// WHEN a seed runs, never WHAT it computes. Outcomes are delivered on the
// calling thread in index order, so everything printed or written from them
// is the same for any number of threads.
#include <cstddef>
#include <functional>

#include "sim/explore/seed_outcome.h"

namespace ksim::explore {

struct ParallelRun {
  size_t count = 0;  // tasks 0 .. count-1
  int jobs = 1;      // threads; 1 runs everything on the calling thread
  std::function<SeedOutcome(size_t index)> run;              // on any thread
  std::function<void(size_t index, SeedOutcome&&)> deliver;  // on the calling thread, in index order
  // Polled on the calling thread between deliveries (and about every 200 ms
  // while waiting): once it returns true no new task starts, and the ones
  // started are still delivered, so the delivered tasks are always 0 .. n-1.
  std::function<bool()> stop;
  std::function<void()> tick;  // on the calling thread, about every 200 ms (progress lines)
};

// Returns how many tasks were delivered.
size_t run_parallel(const ParallelRun& p);

}  // namespace ksim::explore
