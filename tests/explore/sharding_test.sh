#!/bin/sh
# The results of `ksim explore` depend on the seeds only: --jobs 1, --jobs 2
# and three shards (concatenated, sorted by seed) write the same JSON lines.
# Usage: sharding_test.sh KSIM SCENARIO WORKDIR
set -u
ksim=$1; scenario=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
common="--set clients.p1.config.acks=1 --seeds 12 -q"
"$ksim" explore "$scenario" $common --jobs 1 --out "$dir/j1.jsonl" > /dev/null
"$ksim" explore "$scenario" $common --jobs 2 --out "$dir/j2.jsonl" > /dev/null
for i in 0 1 2; do
  "$ksim" explore "$scenario" --set clients.p1.config.acks=1 --seeds 12 -q --shard $i/3 --jobs 2 --out "$dir/s$i.jsonl" > /dev/null
done
cat "$dir"/s0.jsonl "$dir"/s1.jsonl "$dir"/s2.jsonl | sort -t: -k2 -n > "$dir/shards.jsonl"
[ "$(wc -l < "$dir/j1.jsonl")" -eq 12 ] || { echo "FAIL: expected 12 lines"; exit 1; }
cmp "$dir/j1.jsonl" "$dir/j2.jsonl" || { echo "FAIL: --jobs 1 and --jobs 2 differ"; exit 1; }
cmp "$dir/j1.jsonl" "$dir/shards.jsonl" || { echo "FAIL: the merged shards differ from the whole sweep"; exit 1; }
echo "PASS: 12 seeds, same lines with 1 job, 2 jobs and 3 shards"
