#include "core/producer/partitioner/key_hash_partition.h"

#include "core/base/assert.h"
#include "core/producer/partitioner/crc32.h"
#include "core/producer/partitioner/fnv1a32.h"
#include "core/producer/partitioner/murmur2.h"

namespace ksim::producer {

PartitionId kafka_partition_for_key(std::string_view key, int32_t partition_count) {
  KSIM_ASSERT(partition_count >= 1);
  return PartitionId(to_positive(murmur2(key)) % partition_count);
}

PartitionId sarama_hash_partition(std::string_view key, int32_t partition_count) {
  KSIM_ASSERT(partition_count >= 1);
  const auto h = static_cast<int32_t>(fnv1a32(key));
  // Remainder first (truncating, so in (-n, n)), then negate: never overflows,
  // even for h == INT32_MIN.
  int32_t r = h % partition_count;
  if (r < 0) r = -r;
  return PartitionId(r);
}

PartitionId sarama_reference_hash_partition(std::string_view key, int32_t partition_count) {
  KSIM_ASSERT(partition_count >= 1);
  return PartitionId(to_positive(static_cast<int32_t>(fnv1a32(key))) % partition_count);
}

PartitionId crc32_partition(std::string_view key, int32_t partition_count) {
  KSIM_ASSERT(partition_count >= 1);
  return PartitionId(static_cast<int32_t>(crc32_ieee(key) % static_cast<uint32_t>(partition_count)));
}

PartitionId librdkafka_fnv1a_partition(std::string_view key, int32_t partition_count) {
  KSIM_ASSERT(partition_count >= 1);
  // rd_fnv1a: the absolute value of the hash as int32, negated in two's
  // complement (unsigned negation here, so INT32_MIN stays 0x80000000 as in C).
  uint32_t h = fnv1a32(key);
  if (static_cast<int32_t>(h) < 0) h = 0U - h;
  return PartitionId(static_cast<int32_t>(h % static_cast<uint32_t>(partition_count)));
}

}  // namespace ksim::producer
