#!/bin/sh
# `ksim explore` end to end: with acks=1 it finds a lost write, shrinks the
# first failing seed to a scenario file, and `ksim run` on that file fails
# (exit 1) on the same check.  Usage: shrink_replay_test.sh KSIM SCENARIO WORKDIR
set -u
ksim=$1; scenario=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
"$ksim" explore "$scenario" --set clients.p1.config.acks=1 --seeds 30 --faults crash,power_loss,isolate,partition,hold \
  --shrink-out "$dir" -q > "$dir/explore.txt"
code=$?
cat "$dir/explore.txt"
[ "$code" -eq 1 ] || { echo "FAIL: explore exited $code, expected 1 (a failing seed)"; exit 1; }
file=$(ls "$dir"/seed*-lost-write.json 2>/dev/null | head -n 1)
[ -n "$file" ] || { echo "FAIL: no shrunk lost-write scenario in $dir"; exit 1; }
"$ksim" run "$file" > "$dir/replay.txt"
code=$?
tail -n 20 "$dir/replay.txt"
[ "$code" -eq 1 ] || { echo "FAIL: ksim run on the shrunk scenario exited $code, expected 1"; exit 1; }
grep -q "FAIL.*lost-write" "$dir/replay.txt" || { echo "FAIL: the replay did not fail on lost-write"; exit 1; }
# The heal phase is kept (explore/shrinker.h); at most 3 other faults.
all=$(grep -c '"at_ms"' "$file")
heal=$(grep -c 'the fault phase ends, everything heals' "$file")
faults=$((all - heal))
echo "shrunk scenario: $faults faults and the heal phase ($heal entries)"
[ "$heal" -ge 1 ] || { echo "FAIL: the heal phase was shrunk away"; exit 1; }
[ "$faults" -le 3 ] || { echo "FAIL: more than 3 faults after shrinking"; exit 1; }
echo "PASS"
