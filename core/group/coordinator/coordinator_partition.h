#pragma once
// Which __consumer_offsets partition owns a group: Kafka's
// GroupCoordinatorService.partitionFor, Utils.abs(groupId.hashCode()) %
// offsets.topic.num.partitions. The leader of that partition is the group's
// coordinator (FindCoordinator answers it).
//
// Both halves are Java's exactly: String.hashCode is s[0]*31^(n-1) + ... +
// s[n-1] over UTF-16 code units with int32 wrap-around, and Kafka's Utils.abs
// maps Integer.MIN_VALUE to 0 (Math.abs would leave it negative).
#include <cstdint>
#include <string_view>

#include "core/base/ids.h"
#include "core/protocol/internal_topics.h"

namespace ksim {

// java.lang.String.hashCode of a UTF-8 string (decoded to UTF-16 code units).
int32_t java_string_hash(std::string_view utf8);
// org.apache.kafka.common.utils.Utils.abs.
int32_t kafka_abs(int32_t n);
PartitionId offsets_partition_for(std::string_view group_id, int32_t num_partitions);

}  // namespace ksim
