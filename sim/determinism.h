#pragma once
// The determinism check: a run is a pure function of (scenario, seed, build), so
// running it twice must give the same trace hash. `ksim check-determinism` and
// the tests use this over many seeds.
#include <cstdint>
#include <functional>

namespace ksim {

struct RunFingerprint {
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  bool operator==(const RunFingerprint&) const = default;
};

struct DeterminismVerdict {
  uint64_t seed = 0;
  RunFingerprint first;
  RunFingerprint second;
  bool deterministic() const { return first == second; }
};

// Runs `run(seed)` twice and compares the fingerprints.
DeterminismVerdict check_determinism(const std::function<RunFingerprint(uint64_t seed)>& run, uint64_t seed);

}  // namespace ksim
