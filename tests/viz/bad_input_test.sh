#!/usr/bin/env bash
# ksim-view refuses bad input with a clear message and exit code 2, before it
# opens any window: a missing file, and a malformed trace (the reader's
# "line N: ..." error).
#   bad_input_test.sh KSIM_VIEW WORKDIR
set -uo pipefail
view=$1 dir=$2
mkdir -p "$dir"
expect() {  # expect NAME PATTERN -- command...
  local name=$1 pattern=$2
  shift 3
  local err
  err=$("$@" 2>&1 >/dev/null)
  local rc=$?
  if [ $rc -ne 2 ]; then echo "FAIL $name: exit code $rc, expected 2 ($err)"; exit 1; fi
  if ! grep -q "$pattern" <<<"$err"; then echo "FAIL $name: message \"$err\" lacks \"$pattern\""; exit 1; fi
  echo "ok $name: $err"
}
expect missing "cannot open" -- "$view" "$dir/no-such-trace.jsonl" --screenshot "$dir/x.png"
printf '%s\n' '{"ksim_trace":1,"seed":1,"scenario":"x","nodes":[{"name":"a","role":"demo"}]}' \
  '{"seq":0,"t_us":0,"node":"a","kind":"no_such_kind"}' >"$dir/malformed.jsonl"
expect malformed "line 2: unknown event kind" -- "$view" "$dir/malformed.jsonl" --screenshot "$dir/x.png"
printf '%s\n' '{"ksim_trace":1,"seed":1,"scenario":"x","nodes":[{"name":"a","role":"demo"}]}' \
  '{"seq":0,"t_us":0,"node":"a","kind":"node_started","incarnation":1}' >"$dir/ok.jsonl"
expect bad_at "\-\-at must be" -- xvfb-run -a "$view" "$dir/ok.jsonl" --screenshot "$dir/x.png" --at soon
expect bad_size "\-\-size must be" -- "$view" "$dir/ok.jsonl" --screenshot "$dir/x.png" --size big
printf '%s\n' '{"name": "x", "run_until_ms": 1000, "clients": [{"id": "p1", "type": "producr"}]}' >"$dir/bad_scenario.json"
expect bad_scenario "bad_scenario.json: not a valid scenario" -- "$view" "$dir/bad_scenario.json" --screenshot "$dir/x.png"
expect bad_flag "no-such-flag" -- "$view" "$dir/ok.jsonl" --no-such-flag
