#!/usr/bin/env bash
# Runs every `ksim` command of the lectures' ```sh blocks, so a lecture cannot
# drift from the tool it teaches: a renamed scenario, flag or config key makes
# ksim exit 2 (bad input) and this check fail. Exit 1 from `ksim run` is fine:
# some lessons change a setting precisely to show an expectation failing.
# Viewer commands are skipped (they need a display; the viewer has its own
# tests), and so is `make run` (the build this check runs in is already made).
#
# usage: tools/check-lectures.sh BIN_DIR   (the directory holding `ksim`)
set -u
bin_dir=$(cd "${1:?usage: check-lectures.sh BIN_DIR}" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
for lecture in "$repo"/lectures/*.md; do
  # The sh blocks, with `build/bin/ksim` calling the wrapper below and the
  # viewer's lines dropped; /tmp outputs go to a scratch directory.
  awk '/^```sh$/ {inside=1; next} /^```$/ {inside=0} inside' "$lecture" \
    | grep -v -e 'ksim-view' -e '^make ' \
    | sed -e 's#build/bin/ksim #ksim #g' -e "s#/tmp/#$work/#g" > "$work/block.sh"
  [ -s "$work/block.sh" ] || continue
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
  if [ -n "$out" ]; then
    echo "$(basename "$lecture"): a command no longer works"
    echo "$out"
    failures=$((failures + 1))
  else
    echo "$(basename "$lecture"): $(grep -c 'ksim ' "$work/block.sh") commands ok"
  fi
done
exit $(( failures > 0 ))
