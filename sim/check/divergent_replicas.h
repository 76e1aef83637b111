#pragma once
// divergent-replicas: at the end of the run, a replica's committed part
// disagrees with the reference log.
//
// Definition. For each partition, the reference is the replica that holds the
// committed log (history.h: the final leader's; with no leader, the chosen ISR
// member's), taken whole, HW or not. Every other replica's log below its own
// final HW must be a prefix of the reference: entry by entry, the same offsets
// holding the same records. Each replica for which that fails is one anomaly,
// reported at the first offset where it differs. Entries above a follower's HW
// are not judged: a follower may hold an uncommitted tail it will truncate.
//
// This is the final-state view of KIP-101's second scenario and of KAFKA-6361
// (KIP-279): logs that stay diverged after the failures are over. Jepsen cannot
// see replicas, so it has no such check; inconsistent-offsets is its nearest.
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_divergent_replicas(const CheckContext& ctx);

}  // namespace ksim::check
