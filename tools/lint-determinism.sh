#!/usr/bin/env bash
# Keeps clocks, threads, global randomness and environment reads out of core/,
# sim/, the scenario library and the ksim CLI and explorer: a run must be a pure function of
# (scenario, seed, build). What the command-line tools need from the real
# machine (the wall clock for progress lines and --time-budget, the threads of
# `ksim explore --jobs`) lives in host/, outside both, and never decides
# anything inside a run.
set -u
cd "$(dirname "$0")/.."
pattern='std::chrono::(system|steady|high_resolution)_clock|[^_a-zA-Z]rand\(|srand\(|random_device|std::thread|std::async|sleep_for|sleep_until|usleep\(|[^_a-zA-Z.]sleep\(|[^_a-zA-Z]time\((NULL|nullptr|0)\)|getenv\(|std::(uniform_int|uniform_real|normal|bernoulli|exponential)_distribution'
hits=$(grep -RnE "$pattern" core sim scenario_lib cli explore --include='*.h' --include='*.cc' --include='*.cpp' \
       | grep -v 'KSIM_ALLOW')
if [ -n "$hits" ]; then
  echo "determinism lint: forbidden call in core/, sim/, scenario_lib/, cli/ or explore/ (use the Env seam, virtual time, the run's Rng; wall clock and threads go in host/):"
  echo "$hits"
  exit 1
fi
echo "determinism lint: clean"
