#pragma once
// The shrinker: a failing seed's scenario made as small as it can be while the
// same check still fails, written out as an ordinary scenario file.
//
// Every step keeps a candidate only if running it still gives the same
// failure: a finding of the same check with the same signature, the kind of
// anomaly the seed's own run found (lost-write: "gone", "uncommitted",
// "partial"; check::AnomalyExample::kind), on the same seed, so the same
// random choices elsewhere:
//   1. delta debugging over the fault entries (Zeller and Hildebrandt,
//      "Simplifying and Isolating Failure-Inducing Input", TSE 2002: ddmin),
//      the fault phase's restarts and heals included, since they are entries
//      too; the heal phase at its end is kept, so the shrunk run ends as the
//      explored one did;
//   2. durations (pause, hold) halved while it still fails;
//   3. times moved: each fault's at_ms rounded down to a whole second, else
//      to 100 ms, else left;
//   4. fewer records: each workload's message count halved while it still
//      fails, then the run's end brought in to the last fault plus the
//      convergence time when that is earlier.
// The result's "expect" is the failing expectation only (for "liveness": the
// ISR and leader expectations of the partitions that did not converge), so
// `ksim run FILE` exits 1 on it with that expectation failing (3 for an
// "invariant" finding), and ksim-view shows its trace like any other.
//
// Runs are bounded (max_runs); what is left when they run out is still a
// failing scenario, only a less minimal one.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "explore/explorer.h"

namespace ksim::explore {

struct ShrinkResult {
  bool reproduced = false;      // the seed's scenario failed the check again (else nothing was shrunk)
  nlohmann::ordered_json scenario;      // the shrunk scenario, ready to write
  std::string check;
  size_t faults_before = 0;
  size_t faults_after = 0;
  int64_t records_before = 0;   // messages over every workload
  int64_t records_after = 0;
  int runs = 0;                 // scenario runs spent
  std::string detail;           // the finding's detail in the shrunk run
  std::string signature;        // "lost-write:gone": the check and the kind of anomaly, kept while shrinking
};

ShrinkResult shrink_seed(const Explorer& explorer, uint64_t seed, const std::string& check, int max_runs = 400);

}  // namespace ksim::explore
