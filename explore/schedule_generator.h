#pragma once
// The random fault schedule of one seed: `ksim explore`'s generator.
//
// Everything is drawn from the seed's "explore" Rng stream
// (Rng::stream(seed, "explore")), so a seed names its schedule forever,
// whatever other streams the run uses, and whichever thread runs it.
//
//   1. swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): each kind in
//      ExploreOptions::kinds is kept with probability 1/2 (at least one is)
//      and gets a weight 1..10, so one seed may be all pauses and another
//      crashes and lost acks: rare combinations get exercised, and one common
//      kind does not drown the rest;
//   2. 1..max_faults faults, each a weighted kind, a start drawn uniformly in
//      the fault phase [phase_start_ms, phase_end_ms) and a duration of 100 ms
//      .. max_fault_duration_ms cut at the phase end. A fault whose window
//      would overlap max_concurrent_faults others is not drawn;
//   3. targets by role where the fault fires ("leader(orders-0)",
//      "follower(orders-0)"), or by name (a broker, the controller, a client);
//      a window ends with what undoes it: a restart (of the named node, or of
//      every broker after a role-targeted crash: a restart of a running node is
//      skipped), a "heal" of all links or of the cut one, the link restored,
//      the pause or hold ending on its own;
//   4. at phase_end_ms the heal phase: heal every link, restart every broker
//      and the controller (skipped when running). Its entries carry the note
//      kHealPhaseNote, which the shrinker keeps when it shrinks a liveness
//      failure (without the heal, a cluster "not converging" proves nothing).
//
// The schedule is typed faults (scenario_lib's FaultSpec, each kind drawn by
// its own file in sim/fault/kinds/); the explorer runs it as it is, and writes
// it as scenario JSON (scenarios/README.md, "faults") only to save a shrunk
// counterexample.
#include <cstdint>
#include <string>
#include <vector>

#include "scenario_lib/format/scenario.h"
#include "explore/explore_options.h"

namespace ksim::explore {

inline constexpr const char* kHealPhaseNote = "explore: the fault phase ends, everything heals";

struct FaultSchedule {
  int64_t phase_start_ms = 0;
  int64_t phase_end_ms = 0;                 // the heal: the scenario's run_until_ms
  std::vector<const FaultKind*> enabled;    // after swarm selection
  std::vector<scenarios::FaultSpec> faults;  // in time order, each at a time; paths "faults[i]"
  size_t drawn = 0;                         // faults drawn (windows and instants, not their endings)
};

// The fault phase of a scenario: from its first workload start (2500 ms, when
// the cluster is up, without workloads) to its run_until_ms.
int64_t fault_phase_start_ms(const scenarios::Scenario& base);

FaultSchedule generate_schedule(const scenarios::Scenario& base, uint64_t seed, const ExploreOptions& options);

}  // namespace ksim::explore
