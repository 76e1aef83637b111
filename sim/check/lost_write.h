#pragma once
// lost-write: an acknowledged record is not in the committed log.
//
// Definition. A send is acknowledged when the producer saw producer_acked for
// it, with an offset or without one (acks=0 acknowledges with offset -1: the
// application was told "sent", so a record that vanished is a write it lost;
// this is how ksim shows that acks=0 and acks=1 lose data). The send is lost
// when its record is nowhere in the committed log of its partition (the final
// leader's log below its HW; history.h defines it precisely). One anomaly per
// lost record, in send order.
//
// Jepsen (jepsen.tests.kafka, lost-write-cases) cannot see the brokers' logs,
// so it infers the log from what consumers read: an :ok send below the highest
// offset any consumer polled that no consumer read. ksim reads the final
// replica logs from the trace instead, so it also catches losses after the last
// poll, and needs no final-poll phase. A failed (indeterminate) send is never a
// lost write, as in Jepsen.
//
// The explanation says where the record still is, if anywhere: above the
// leader's HW (not committed when the run ended), only on another replica, or
// in no replica's final log at all (truncated away).
#include <cstdint>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_lost_write(const CheckContext& ctx);

// Every lost write, in send order, as indexes into ctx.history.sends: all the
// anomalies check_lost_write counts (its result keeps only the first few as
// examples). The viewer marks each of these records.
std::vector<uint32_t> lost_write_sends(const CheckContext& ctx);

}  // namespace ksim::check
