#pragma once
// ExploreOptions: what `ksim explore` may do to a scenario, per seed.
//
// The explorer keeps the scenario's cluster, topics, clients and workloads,
// throws away its own fault list and, per seed, writes a new one (the
// scenario's faults tell one story; a sweep wants many). The fault phase runs
// from the first workload's start (2500 ms without workloads) to the
// scenario's run_until_ms; then everything is healed and the run goes on for
// converge_ms, at the end of which the cluster must have converged (liveness,
// explore/liveness.h).
#include <cstdint>
#include <string>
#include <vector>

#include "explore/fault_kind.h"

namespace ksim::explore {

struct ExploreOptions {
  std::vector<const FaultKind*> kinds = all_fault_kinds();  // --faults: the kinds that may be drawn
  int32_t max_concurrent_faults = 2;  // --max-concurrent-faults: faults with a duration active at once
  int32_t max_faults = 6;             // --max-faults: faults drawn per seed (1..max_faults)
  int64_t max_fault_duration_ms = 10000;  // a crash, pause, isolation, ... lasts 100 ms .. this
  int64_t converge_ms = 15000;        // --converge-ms: the liveness bound after the heal
  bool swarm = true;                  // per seed, a random subset of `kinds` with random weights
  // The checks to judge, as "check" expectations that must hold. Empty: the
  // scenario's own "check" expectations, or default_checks() when it has none.
  std::vector<std::string> checks;
};

// lost-write, unexpected, divergent-replicas, inconsistent-offsets: the
// safety properties that hold for any producer configuration with acks=all
// (duplicate is left out: a producer without idempotence may duplicate).
std::vector<std::string> default_checks();

}  // namespace ksim::explore
