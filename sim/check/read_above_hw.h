#pragma once
// read-above-hw: a consumer polled a record that the broker answering its
// Fetch had not yet committed.
//
// Kafka's rule. A consumer (read_uncommitted, no KIP-392 follower fetching)
// reads only below the leader's high watermark: ReplicaManager.fetchMessages
// reads with FetchIsolation.HIGH_WATERMARK, so UnifiedLog.read stops at the
// HW (maxOffsetMetadata). A record above it may still be truncated away by a
// failover (KIP-101), and a consumer that saw it would have read something
// that never existed in the committed log.
//
// Definition. For each record a consumer polled (consumer_polled), take the
// Fetch answer that handed it to that consumer: the latest fetch_served to
// the consumer for the partition, before the poll, holding that record at
// that offset. The record is an anomaly if its offset is at or above the
// answering broker's own HW at the moment it answered, as that broker's
// events had set it (hw_changed, log_recovered, a truncation below it), not
// the HW the answer claimed. Each (consumer, partition, offset, record) is
// reported once.
//
// A poll with no such answer in the trace (a trace written before
// fetch_served existed) has nothing to be judged against and is skipped; so
// is a record served but never polled (the answer was lost, or the consumer
// dropped it below its position): the application never saw it.
//
// Jepsen's name for reading a value whose write did not commit is a dirty or
// aborted read (G1a/G1b); ksim names it after the rule it breaks.
#include "sim/check/check_context.h"
#include "sim/check/check_result.h"

namespace ksim::check {

CheckResult check_read_above_hw(const CheckContext& ctx);

}  // namespace ksim::check
