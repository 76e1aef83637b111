#!/usr/bin/env bash
# The include-direction lint (issue 17, docs/architecture.md "Layers"): every
# #include "..." between ksim's layers points down the line
#
#   core  <  sim  <  scenario_lib  <  explore  <  cli, viz, bench
#                                     (host: beside the line, for the drivers only)
#
#   core          core/: the protocol as pure state machines
#   sim           sim/: kernel, network, disk, trace, faults, checkers, report
#   scenario_lib  scenario_lib/: the scenario library (format, loader, runner,
#                 client applications); scenarios/ holds only data
#   explore       explore/: the explorer's engine (random fault schedules, shrinking)
#   cli           cli/: the ksim command line (it may use the explorer)
#   viz        viz/: ksim-view
#   bench      bench/: the benchmarks
#   host       host/: the real machine (wall clock, threads, terminal, exit status);
#              it includes nothing of ksim, and only explore and the drivers
#              include it, so no run can depend on it
#
# One folder per layer (the drivers are four folders). Drivers do
# not include each other, except that cli drives the explorer. tests/ sit above
# everything and are not checked.
#
# Inside core/, three rules of the same kind:
#   - nothing outside core/demo includes core/demo (the gossip demo uses core; it
#     is no part of the protocol);
#   - the servers (core/broker, controller, group, log, metadata) include no
#     client application (core/producer, core/consumer): what both sides use
#     lives lower, in core/client, core/net or core/base, as Kafka's brokers
#     share org.apache.kafka.clients and common.utils, never KafkaProducer;
#   - core/base includes nothing else of core.
#
# Known violations are listed in tools/layers-allowlist.txt (a file and the
# include it makes); the list may only shrink: an entry that no longer occurs
# fails the lint too, so a fix removes its line. Exit 0 clean, 1 otherwise.
set -u
cd "$(dirname "$0")/.." || exit 2
allowlist=tools/layers-allowlist.txt

find core sim scenario_lib explore cli host viz bench -type f \( -name '*.h' -o -name '*.cc' -o -name '*.cpp' \) 2>/dev/null | sort |
  xargs grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]+"' |
  awk -v allowlist="$allowlist" '
function layer(path) {
  if (path ~ /^core\//) return "core"
  if (path ~ /^cli\//) return "cli"
  if (path ~ /^explore\//) return "explore"
  if (path ~ /^sim\//) return "sim"
  if (path ~ /^scenario_lib\//) return "scenario_lib"
  if (path ~ /^host\//) return "host"
  if (path ~ /^viz\//) return "viz"
  if (path ~ /^bench\//) return "bench"
  return ""  # a system or third-party header
}
# Why an include breaks the line, or "" when it may be made.
function violation(file, inc,    from, to, fsub, tsub) {
  from = layer(file); to = layer(inc)
  if (!(from SUBSEP to in may)) return from " -> " to " breaks the line"
  if (from != "core") return ""
  split(file, f, "/"); split(inc, t, "/"); fsub = f[2]; tsub = t[2]
  if (tsub == "demo" && fsub != "demo") return "core/" fsub " -> core/demo: the demo is no part of the protocol"
  if (fsub ~ /^(broker|controller|group|log|metadata)$/ && tsub ~ /^(producer|consumer)$/)
    return "core/" fsub " -> core/" tsub ": a server includes a client application"
  if (fsub == "base" && tsub != "base") return "core/base -> core/" tsub ": base is the bottom of core"
  return ""
}
BEGIN {
  # Each layer and what it may include (itself included).
  n = split("core sim scenario_lib explore cli viz bench host", order, " ")
  allow["core"]         = "core"
  allow["sim"]          = "core sim"
  allow["scenario_lib"] = "core sim scenario_lib"
  allow["explore"]      = "core sim scenario_lib host explore"
  allow["cli"]          = "core sim scenario_lib host explore cli"
  allow["viz"]          = "core sim scenario_lib host viz"
  allow["bench"]        = "core sim scenario_lib host bench"
  allow["host"]         = "host"
  for (l in allow) { m = split(allow[l], targets, " "); for (i = 1; i <= m; ++i) may[l, targets[i]] = 1 }
  while ((getline line < allowlist) > 0) {
    sub(/#.*/, "", line)
    if (split(line, w, " ") < 2) continue
    known[w[1] " " w[2]] = 1; ++known_count
  }
}
{
  # file:line:#include "x"
  file = $0; sub(/:.*/, "", file)
  inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
  from = layer(file); to = layer(inc)
  if (from == "" || to == "") next
  ++edges[from, to]
  why = violation(file, inc)
  if (why == "") next
  key = file " " inc
  if (key in known) { seen[key] = 1; ++known_hits[from, to]; next }
  ++bad; print "  " file " includes \"" inc "\": " why
}
END {
  if (bad) print "layers lint: " bad " include" (bad == 1 ? "" : "s") " above break the line (see the layer map in tools/lint-layers.sh and docs/architecture.md)\n"
  stale = 0
  for (k in known) if (!(k in seen)) {
    if (!stale) print "layers lint: no longer made, so remove from " allowlist ":"
    print "  " k; ++stale
  }
  printf "\nincludes between layers (row includes column; * = some point up, allowlisted):\n%-13s", ""
  for (j = 1; j <= n; ++j) printf "%13s", order[j]
  printf "\n"
  for (i = 1; i <= n; ++i) {
    printf "%-13s", order[i]
    for (j = 1; j <= n; ++j) {
      c = edges[order[i], order[j]] + 0
      printf "%12s%s", (c ? c : "."), (known_hits[order[i], order[j]] ? "*" : " ")
    }
    printf "\n"
  }
  printf "\nlayers lint: %d known violation%s allowlisted in %s\n", known_count + 0, (known_count == 1 ? "" : "s"), allowlist
  if (bad || stale) exit 1
  print "layers lint: clean"
}'
