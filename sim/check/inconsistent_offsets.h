#pragma once
// inconsistent-offsets: two observers disagree on which record is at an offset.
//
// Definition. Once an entry is committed, every observer must see the same
// record at its offset for the rest of the run. ksim collects, per partition,
// every committed observation of (offset, record) over the whole run:
//   - a replica's high watermark passing an entry (History::replica_commits:
//     the leader and each follower, each time its HW moved past the entry);
//   - a consumer's poll returning a record at an offset (consumers see only
//     what is below the leader's HW).
// Each (partition, offset) observed with two or more different records is one
// anomaly. This catches the KIP-101 divergence (two replicas each committing a
// different record at one offset after power losses), unclean elections that
// replace committed records, and consumers that read from a diverged replica,
// even when the logs were later repaired and the final state looks clean.
//
// A second form: a send acknowledged at offset o whose record the committed log
// holds, but not at o (the broker told the producer a wrong offset) is also one
// anomaly. An acknowledged record that is absent altogether is a lost-write,
// not reported here; that is where ksim differs from Jepsen, whose
// inconsistent-offsets counts every acknowledged send's offset as an
// observation, so that an acks=1 loss shows under both names.
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_inconsistent_offsets(const CheckContext& ctx);

}  // namespace ksim::check
