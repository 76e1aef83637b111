#include "core/producer/partitioner/legacy_default_partitioner.h"

#include "core/producer/partitioner/key_hash_partition.h"
#include "core/producer/partitioner/murmur2.h"

namespace ksim::producer {

void LegacyDefaultPartitioner::set_counter(std::string_view topic, int32_t value) {
  counters_.insert_or_assign(std::string(topic), static_cast<uint32_t>(value));
}

PartitionResult LegacyDefaultPartitioner::choose(const PartitionRequest& record, const TopicPartitions& partitions,
                                                 SimTime, Rng& rng) {
  if (record.key) return PartitionResult::chosen(kafka_partition_for_key(*record.key, partitions.partition_count));
  auto it = counters_.find(record.topic);
  if (it == counters_.end()) {
    const auto start = static_cast<uint32_t>(rng.next_u64() >> 32);  // a uniformly random int
    it = counters_.emplace(std::string(record.topic), start).first;
  }
  const auto next = static_cast<int32_t>(it->second++);  // getAndIncrement
  const int32_t positive = to_positive(next);
  if (!partitions.available.empty()) {
    const auto n = static_cast<int32_t>(partitions.available.size());
    return PartitionResult::chosen(partitions.available[static_cast<size_t>(positive % n)]);
  }
  return PartitionResult::chosen(PartitionId(positive % partitions.partition_count));
}

}  // namespace ksim::producer
