#!/usr/bin/env bash
# Keeps clocks, threads, global randomness and environment reads out of core/ and
# sim/: a run must be a pure function of (scenario, seed, build). The CLI entry
# points (sim/cli/) may read the wall clock for progress lines; anything else that
# truly needs an exception marks the line with KSIM_ALLOW and says why.
#
# Exempt by name: sim/explore/parallel_seeds.cc, the thread pool of `ksim
# explore`. Its threads only decide when each seed's run happens: every run is
# its own Simulation built from (scenario, seed), nothing mutable is shared,
# and outcomes are delivered in seed order (see its header).
set -u
cd "$(dirname "$0")/.."
pattern='std::chrono::(system|steady|high_resolution)_clock|[^_a-zA-Z]rand\(|srand\(|random_device|std::thread|std::async|sleep_for|sleep_until|usleep\(|[^_a-zA-Z.]sleep\(|[^_a-zA-Z]time\((NULL|nullptr|0)\)|getenv\(|std::(uniform_int|uniform_real|normal|bernoulli|exponential)_distribution'
hits=$(grep -RnE "$pattern" core sim --include='*.h' --include='*.cc' --include='*.cpp' \
       | grep -v '^sim/cli/' | grep -v '^sim/explore/parallel_seeds\.cc:' | grep -v 'KSIM_ALLOW')
if [ -n "$hits" ]; then
  echo "determinism lint: forbidden call in core/ or sim/ (use the Env seam, virtual time, the run's Rng):"
  echo "$hits"
  exit 1
fi
echo "determinism lint: clean"
