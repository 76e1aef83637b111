#pragma once
// Per-producer ordering: nonmonotonic-send and reorder. Kafka promises order
// per partition for one producer; these two checkers test the promise from the
// two sides a client can see it: the acknowledgements, and the final log.
//
// A producer session is (producer node, producer_send's `session`): a restarted
// producer is a new session (a new producer id), and Kafka promises nothing
// about order across sessions. "Send order" is the order of producer_send
// events, i.e. of the application's send() calls.
//
// nonmonotonic-send. For one session and one partition, take the sends
// acknowledged with an offset (>= 0), in send order. Each consecutive pair
// where the later send was acked at an offset at or below the earlier one's is
// one anomaly. Jepsen's nonmonotonic-send compares positions in its inferred
// version order, per process and key; ksim compares what the broker answered,
// which is what the application saw. A write acked with acks=1 and then
// truncated away shows here too (the new leader reuses its offset) as well as
// in lost-write.
//
// reorder. For one session and one partition, take the sends whose record is in
// the committed log, in send order, and the offset of each record's first copy.
// Each consecutive pair where the later send sits at a lower offset is one
// anomaly. This is the classic reordering of a retried batch overtaking a later
// one with max.in.flight.requests.per.connection > 1 and no idempotence; with
// idempotence the broker rejects the out-of-order batch (OUT_OF_ORDER_SEQUENCE
// _NUMBER) instead. Jepsen's nearest check is int-nonmonotonic-send (sends of
// one transaction landing out of order); ksim checks every send of a session.
// Records absent from the log are left to lost-write; second copies to
// duplicate.
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_nonmonotonic_send(const CheckContext& ctx);
CheckResult check_reorder(const CheckContext& ctx);

}  // namespace ksim::check
