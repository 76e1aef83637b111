#!/usr/bin/env bash
# The reference benchmark of issue #6: runs bench/reference_cluster.json
# (3 brokers, 6 partitions x RF 3, a producer at 1000 records/s with acks=all,
# a group of 3 consumers, 60 simulated seconds) RUNS times with the given ksim
# and prints the median wall time, simulated seconds per wall second, events
# per second and peak RSS. Measures the whole `ksim run` (load, simulate,
# check, report), with the text report thrown away.
# Usage: tools/bench-reference.sh [KSIM] [RUNS]   (default build/bin/ksim, 3)
set -euo pipefail
ksim="${1:-build/bin/ksim}"
runs="${2:-3}"
scenario="$(dirname "$0")/../bench/reference_cluster.json"
[[ -x "$ksim" ]] || { echo "bench-reference: $ksim is not an executable (build it first)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "bench-reference: needs GNU time at /usr/bin/time" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
sim_s=$(grep -o '"run_until_ms": *[0-9]*' "$scenario" | grep -o '[0-9]*$')
for i in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$ksim" run "$scenario" > "$tmp/out" || true
  events=$(grep -o '^[0-9]* events, trace hash [0-9a-f]*' "$tmp/out" | head -1)
  read -r wall rss < "$tmp/time"
  echo "run $i: ${wall} s wall, peak RSS ${rss} KB, ${events}"
  echo "$wall $rss ${events%% *}" >> "$tmp/all"
done
sort -n "$tmp/all" | awk -v n="$runs" -v sim_ms="$sim_s" '
  { w[NR] = $1; r[NR] = $2; e[NR] = $3 }
  END {
    m = int((n + 1) / 2)
    printf "median of %d: %.2f s wall for %.0f simulated s = %.1fx real time; %d events = %.0f events/s; peak RSS %.0f MiB\n",
           n, w[m], sim_ms / 1000, (sim_ms / 1000) / w[m], e[m], e[m] / w[m], r[m] / 1024
  }'
