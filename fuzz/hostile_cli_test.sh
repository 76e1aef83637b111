#!/usr/bin/env bash
# Issue 16 end to end: hostile input to the ksim CLI exits 2 with a message
# saying where and what; never a signal, a hang or runaway memory.
#   hostile_cli_test.sh KSIM CORPUS_DIR
set -uo pipefail
ksim=$1 corpus=$2
fail=0
expect() {  # expect NAME CODE PATTERN -- command...
  local name=$1 code=$2 pattern=$3
  shift 4
  local err rc
  err=$(timeout 60 "$@" 2>&1 >/dev/null)
  rc=$?
  if [ $rc -ne "$code" ]; then echo "FAIL $name: exit code $rc, expected $code ($(head -c 300 <<<"$err"))"; fail=1; return; fi
  if ! grep -q -- "$pattern" <<<"$err"; then echo "FAIL $name: message lacks \"$pattern\": $(head -c 300 <<<"$err")"; fail=1; return; fi
  echo "ok $name: $(head -n 1 <<<"$err" | head -c 200)"
}
s=$corpus/scenario t=$corpus/trace
expect run_dev_zero 2 "larger than 1048576 bytes" -- "$ksim" run /dev/zero
expect check_dev_zero 2 "line 1: longer than" -- "$ksim" check /dev/zero
expect export_dev_zero 2 "line 1: longer than" -- "$ksim" export /dev/zero --chrome /dev/null
expect run_1e400 2 "a number at line 2, column 18 is out of range" -- "$ksim" run "$s/number_beyond_double.json"
expect run_deep 2 "nested deeper than 64" -- "$ksim" run "$s/deep_nesting_in_error_message.json"
expect set_not_utf8 2 "not valid UTF-8" -- "$ksim" run "$s/expect_hw_negative.json" --set $'name=caf\xc3'
expect set_long_index 2 "index 99999999999999999999999 is out of range" -- \
  "$ksim" run "$s/expect_hw_negative.json" --set faults.99999999999999999999999.at_ms=1
expect offsets_partitions 2 "offsets.topic.num.partitions: expected an integer from 1 to 10000" -- \
  "$ksim" run "$s/offsets_topic_partitions_max_int.json"
expect hw_negative 2 "expect\[0\].is: expected an integer >= 0, got -5" -- "$ksim" run "$s/expect_hw_negative.json"
expect livelock_fetch 2 "zero-time livelock" -- "$ksim" run "$s/livelock_latency0_fetch_wait0.json"
expect livelock_producer 2 "zero-time livelock" -- "$ksim" run "$s/livelock_producer_timeout0_backoff0.json"
expect many_errors 2 "and 2980 more errors" -- "$ksim" run "$s/many_faults_many_errors.json"
expect check_partition 2 "line 2: producer_send: partition 1000000000 is out of range" -- \
  "$ksim" check "$t/partition_one_billion.jsonl"
expect check_offset 2 "line 2: log_appended: offset 1000000000000001 is beyond" -- "$ksim" check "$t/offset_ten_to_fifteen.jsonl"
expect check_time 2 "line 3: time goes backwards" -- "$ksim" check "$t/time_backwards.jsonl"
expect export_seq 2 "line 3: \"seq\" 0 after 0" -- "$ksim" export "$t/seq_reused.jsonl" --chrome /dev/null
expect check_delivery 2 "line 2: message_delivered: msg_id 4 was never sent" -- "$ksim" check "$t/delivery_before_send.jsonl"
[ $fail -eq 0 ] && echo PASS
exit $fail
