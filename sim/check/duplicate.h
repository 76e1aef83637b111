#pragma once
// duplicate: one produced record sits at two or more offsets of the committed
// logs: twice in one partition, or in two partitions.
//
// Definition. Over the committed logs of all partitions (history.h), a record
// id that appears at more than one (partition, offset) is one anomaly. This is
// what a producer's retry does without idempotence (enable.idempotence=false,
// or a producer restart, which gets a new producer id: KIP-98 only dedupes
// within one session). Examples are ordered by the partition and offset of the
// duplicate's first copy.
//
// Jepsen (duplicate-cases) counts a value read at more than one offset of one
// key, from the consumers' polls; ksim reads the final logs, and also reports a
// record copied into a second partition.
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_duplicate(const CheckContext& ctx);

}  // namespace ksim::check
