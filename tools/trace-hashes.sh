#!/usr/bin/env bash
# The trace-hash guard (issue 17): every bundled scenario, run by `ksim run` at
# its own seed, must give the trace hash recorded in tests/data/trace_hashes.txt.
# A refactor (moving files, splitting classes, renaming layers) changes no
# trace, so it changes no hash; a change that alters behaviour on purpose
# regenerates the file (tools/update-trace-hashes.sh) and says why in its commit.
#
# The bundled set: scenarios/*.json (not the schema), scenarios/explore/*.json
# (run as plain scenarios, without the explorer's faults) and
# bench/reference_cluster.json (issue 6's reference run, ~1 s in Release).
#
# usage: tools/trace-hashes.sh check KSIM [FILE...]   compare FILEs (paths relative to the
#                                                      repository; default: all, after `listed`)
#        tools/trace-hashes.sh listed                  the file lists exactly the bundled set
#        tools/trace-hashes.sh update [KSIM]           rewrite tests/data/trace_hashes.txt
# Exit 0 when every hash matches, 1 when one differs, 2 on bad usage.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
data="tests/data/trace_hashes.txt"
mode="${1:-}"
ksim="${2:-$repo/build/bin/ksim}"
shift 2 2>/dev/null || shift $#

usage() { sed -n 's/^# usage: /usage: /p; s/^#        tools/       tools/p' "$0" >&2; exit 2; }
[[ "$mode" == check || "$mode" == listed || "$mode" == update ]] || usage
if [[ "$mode" != listed ]]; then
  [[ -x "$ksim" ]] || { echo "trace-hashes: $ksim is not an executable (build ksim first)" >&2; exit 2; }
  ksim=$(cd "$(dirname "$ksim")" && pwd)/$(basename "$ksim")
fi
cd "$repo" || exit 2

bundled() {
  ls scenarios/*.json scenarios/explore/*.json bench/reference_cluster.json | grep -v '/scenario\.schema\.json$' | sort
}

# The file lists exactly the bundled set: a new scenario gets its hash, a
# removed one loses it.
check_listed() {
  local listed
  listed=$(grep -v '^#' "$data" | awk 'NF { print $1 }' | sort)
  [[ "$listed" == "$(bundled)" ]] && return 0
  echo "FAIL: $data does not list exactly the bundled scenarios:"
  diff <(echo "$listed") <(bundled) | grep '^[<>]' | sed 's/^</  listed but not bundled:/; s/^>/  bundled but not listed:/'
  echo "Run tools/update-trace-hashes.sh to add or drop them."
  return 1
}

# "EVENTS HASH" of one run, from the line `ksim run` ends with:
# "N events, trace hash H". Exit 1 from ksim (a failed expectation) still has
# a hash; the scenario.* tests judge the expectations.
fingerprint() {
  "$ksim" run "$1" 2>&1 | sed -n 's/^\([0-9][0-9]*\) events, trace hash \([0-9a-f]*\)$/\1 \2/p' | head -1
}

if [[ "$mode" == update ]]; then
  tmp=$(mktemp)
  trap 'rm -f "$tmp"' EXIT
  {
    echo "# Trace hashes of the bundled scenarios, each run by \`ksim run FILE\` at its own seed."
    echo "# ctest's trace_hash.* tests compare them (tools/trace-hashes.sh check): a refactor"
    echo "# must leave every line as it is. Regenerate with tools/update-trace-hashes.sh only"
    echo "# in a commit that changes behaviour on purpose, and say there which traces changed"
    echo "# and why."
    echo "# file                                                          events  trace hash"
  } > "$tmp"
  for f in $(bundled); do
    fp=$(fingerprint "$f")
    [[ -n "$fp" ]] || { echo "trace-hashes: \`ksim run $f\` printed no trace hash:" >&2; "$ksim" run "$f" 2>&1 | tail -5 >&2; exit 1; }
    read -r events hash <<< "$fp"
    printf '%-60s %8s  %s\n' "$f" "$events" "$hash" >> "$tmp"
  done
  mkdir -p "$(dirname "$data")"
  if [[ -f "$data" ]] && cmp -s "$tmp" "$data"; then
    echo "trace-hashes: $data unchanged ($(bundled | wc -l) scenarios)"
  else
    if [[ -f "$data" ]]; then
      awk 'NR == FNR { if ($0 !~ /^#/ && NF) old[$1] = $2 " events, " $3; next }
           $0 !~ /^#/ && NF {
             now = $2 " events, " $3
             if (!($1 in old)) print "  added:   " $1 ": " now
             else if (old[$1] != now) print "  changed: " $1 ": " old[$1] " -> " now
             delete old[$1]
           }
           END { for (f in old) print "  removed: " f }' "$data" "$tmp"
      cp "$tmp" "$data"
      echo "trace-hashes: rewrote $data ($(bundled | wc -l) scenarios); say in the commit which traces changed and why"
    else
      cp "$tmp" "$data"
      echo "trace-hashes: wrote $data ($(bundled | wc -l) scenarios)"
    fi
  fi
  exit 0
fi

[[ -f "$data" ]] || { echo "trace-hashes: $data is missing; run tools/update-trace-hashes.sh" >&2; exit 1; }
regenerate="If the change alters behaviour on purpose, regenerate the file with
  tools/update-trace-hashes.sh $ksim
and say in the commit message which traces changed and why. If it should not
(a refactor), find the first difference: \`ksim run FILE --trace new.jsonl\` here
and on the parent commit, then diff the two traces."

if [[ "$mode" == listed ]]; then
  check_listed || exit 1
  echo "PASS: $data lists the $(bundled | wc -l) bundled scenarios"
  exit 0
fi

failures=0
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  mapfile -t files < <(bundled)
  check_listed || failures=$((failures + 1))
fi
for f in "${files[@]}"; do
  recorded=$(awk -v f="$f" '$1 == f { print $2 " " $3 }' "$data")
  if [[ -z "$recorded" ]]; then
    echo "FAIL: $f has no recorded trace hash in $data"
    failures=$((failures + 1))
    continue
  fi
  now=$(fingerprint "$f")
  if [[ "$now" != "$recorded" ]]; then
    read -r old_events old_hash <<< "$recorded"
    if [[ -z "$now" ]]; then
      echo "FAIL: $f: \`ksim run\` printed no trace hash (recorded: $old_events events, $old_hash):"
      "$ksim" run "$f" 2>&1 | tail -5 | sed 's/^/  /'
    else
      read -r new_events new_hash <<< "$now"
      echo "FAIL: $f: the trace changed"
      echo "  recorded: $old_events events, trace hash $old_hash"
      echo "  now:      $new_events events, trace hash $new_hash"
    fi
    failures=$((failures + 1))
  fi
done
if [[ $failures -gt 0 ]]; then
  echo "$regenerate"
  exit 1
fi
echo "PASS: ${#files[@]} trace hash$([[ ${#files[@]} -eq 1 ]] || echo es) as recorded in $data"
