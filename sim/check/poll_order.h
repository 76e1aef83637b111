#pragma once
// What one consumer read, poll after poll: poll-skip and nonmonotonic-poll.
// Kafka's consumer hands out a partition's records in offset order, each once,
// for as long as it keeps the partition: its position only moves forward, to
// just after the last record returned.
//
// Both checkers follow each consumer (node, in its group) and partition through
// its polls in run order. A consumer's position in a partition is forgotten, so that the
// next poll starts a new sequence, when:
//   - the generation of the poll differs from the previous poll's: a
//     rebalance happened, and the new owner starts at the committed
//     offset;
//   - an assignment_changed of that consumer assigns or revokes the partition;
//   - the consumer's node crashes or restarts (a new KafkaConsumer).
// Polls that returned no records are not in the trace and change nothing.
//
// poll-skip. Two consecutive polls of one partition by one consumer in one
// sequence, the first ending at offset a and the next starting at b > a, skip
// when the committed log (history.h) holds an entry at an offset strictly
// between a and b. Within one poll, two consecutive records at offsets a < b
// skip the same way. One anomaly per skipping pair. Gaps the log itself has
// (transaction markers, compaction) are not skips: only entries count. Jepsen:
// poll-skip between a process's operations, int-poll-skip within one; ksim
// reports both under one name.
//
// nonmonotonic-poll. In the same sequences, a poll that starts at or before
// the previous poll's last offset (b <= a), or two consecutive records of one
// poll with non-increasing offsets, is one anomaly. A consumer re-reading after
// a rebalance is legal and not reported (the generation changed). Jepsen:
// nonmonotonic-poll and int-nonmonotonic-poll.
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_poll_skip(const CheckContext& ctx);
CheckResult check_nonmonotonic_poll(const CheckContext& ctx);

}  // namespace ksim::check
