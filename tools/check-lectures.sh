#!/usr/bin/env bash
# Keeps the lectures true to the tool they teach, in two passes per lecture:
#
# 1. Commands: every `ksim` command of the lectures' ```sh blocks runs. A
#    renamed scenario, flag or config key makes ksim exit 2 (bad input) and
#    this check fail. Exit 1 from `ksim run` is fine: some lessons change a
#    setting precisely to show an expectation failing. Viewer commands are
#    skipped (they need a display; the viewer has its own tests), and so is
#    `make run` (the build this check runs in is already made).
#
# 2. Claims: what the text says a run shows is written beside it in a hidden
#    block that the rendered page does not show,
#
#        <!-- check
#        ksim run acks1_leader_crash | grep -E 'lost-write +5 found'
#        -->
#
#    Each line of such a block is a shell command run from the repository
#    root with `ksim` calling the binary under test; it must exit 0. A line
#    ending in `\` continues on the next. So a number in the prose that
#    drifts from the run fails here, with the lecture's line number.
#
# usage: tools/check-lectures.sh BIN_DIR [LECTURE.md ...]
set -u
bin_dir=$(cd "${1:?usage: check-lectures.sh BIN_DIR [LECTURE.md ...]}" && pwd)
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

lectures=("$@")
if [ ${#lectures[@]} -eq 0 ]; then
  lectures=("$repo"/lectures/*.md "$repo"/lectures/*/*.md)
fi

failures=0
commands=0
claims=0

# Pass 1 for one lecture: run its sh blocks with ksim's output thrown away.
check_commands() {
  local lecture=$1
  # The sh blocks, with `build/bin/ksim` calling the wrapper below and the
  # viewer's lines dropped; /tmp outputs go to a scratch directory.
  awk '/^```sh$/ {inside=1; next} /^```$/ {inside=0} inside' "$lecture" \
    | grep -v -e 'ksim-view' -e '^make ' \
    | sed -e 's#build/bin/ksim #ksim #g' -e "s#/tmp/#$work/#g" > "$work/block.sh"
  [ -s "$work/block.sh" ] || return 0
  local out
  out=$(cd "$repo" && KSIM_BIN="$bin_dir/ksim" KSIM_WORK="$work" bash -c '
    ksim() {
      "$KSIM_BIN" "$@" > /dev/null 2> "$KSIM_WORK/stderr"
      rc=$?
      if [ $rc -ge 2 ]; then
        echo "  exit $rc: ksim $*"
        sed "s/^/    /" "$KSIM_WORK/stderr" | head -5
      fi
      return 0
    }
    source "$KSIM_WORK/block.sh"' 2>&1)
  local n
  n=$(grep -c 'ksim ' "$work/block.sh")
  commands=$((commands + n))
  if [ -n "$out" ]; then
    echo "$(basename "$lecture"): a command no longer works"
    echo "$out"
    failures=$((failures + 1))
  fi
}

# Pass 2 for one lecture: each line of its <!-- check --> blocks must exit 0.
# Prints "LINE<TAB>COMMAND" per claim, continuation lines joined.
claims_of() {
  awk '
    /^<!-- check[[:space:]]*$/ {
      if (inside) print opened "\tfalse # a check block opened here has no closing -->"
      inside = 1; opened = NR; next
    }
    inside && /^-->[[:space:]]*$/ { inside = 0; next }
    inside && /^<!--/ { print opened "\tfalse # a check block opened here has no closing -->"; inside = 0 }
    inside {
      if (pending == "") start = NR
      line = $0
      if (line ~ /\\$/) { pending = pending substr(line, 1, length(line) - 1) " "; next }
      print start "\t" pending line
      pending = ""
    }
    END { if (inside) print opened "\tfalse # a check block opened here has no closing -->" }' "$1"
}

check_claims() {
  local lecture=$1 line cmd out
  while IFS=$'\t' read -r line cmd; do
    [ -n "${cmd// /}" ] || continue
    claims=$((claims + 1))
    out=$(cd "$repo" && KSIM_BIN="$bin_dir/ksim" KSIM_WORK="$work" bash -c '
      ksim() { "$KSIM_BIN" "$@" 2>&1; }
      '"${cmd//\/tmp\//$work/}" 2>&1)
    if [ $? -ne 0 ]; then
      echo "$(basename "$lecture"):$line: the text's claim does not hold"
      echo "  $cmd"
      [ -n "$out" ] && printf '%s\n' "$out" | head -5 | sed 's/^/    /'
      failures=$((failures + 1))
    fi
  done < <(claims_of "$lecture")
}

for lecture in "${lectures[@]}"; do
  [ -f "$lecture" ] || continue
  before=$failures
  c0=$commands; k0=$claims
  check_commands "$lecture"
  check_claims "$lecture"
  if [ $failures -eq $before ]; then
    echo "$(basename "$lecture"): $((commands - c0)) commands ok, $((claims - k0)) claims hold"
  fi
done
echo "$commands commands, $claims claims, $failures failures"
exit $(( failures > 0 ))
