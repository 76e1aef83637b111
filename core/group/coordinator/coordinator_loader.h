#pragma once
// Loading a coordinator shard from its log: Kafka's CoordinatorLoaderImpl.load
// reading __consumer_offsets-N back from the start, with
// GroupCoordinatorShard.replay applying each record (later records for a key
// replace earlier ones; an empty value is a tombstone).
//
// What comes back:
//   1. every group whose last GroupMetadata record is not a tombstone, with
//      its generation, protocol, leader and members as last written (the
//      caller gives members fresh session timers);
//   2. every (group, partition) whose last OffsetCommit record is not a
//      tombstone; a group left with no offset is forgotten (an expired group
//      stays gone);
//   3. a group known only by its offsets, as an Empty group with no protocol.
// The time a load takes is the caller's to simulate (group_coordinator.h).
#include <cstdint>

#include "core/group/coordinator/coordinator_shard.h"
#include "core/log/partition_log.h"

namespace ksim {

// Replays `log` (nullptr: an empty log) into `shard`'s groups and offsets,
// which must be empty. Returns the number of committed offsets loaded.
int32_t load_coordinator_shard(const PartitionLog* log, CoordinatorShard& shard);

}  // namespace ksim
