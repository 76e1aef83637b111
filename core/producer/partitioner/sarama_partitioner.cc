#include "core/producer/partitioner/sarama_partitioner.h"

#include "core/producer/partitioner/key_hash_partition.h"

namespace ksim::producer {

std::string_view SaramaPartitioner::name() const {
  switch (kind_) {
    case Kind::hash:
      return "sarama-hash";
    case Kind::reference_hash:
      return "sarama-reference-hash";
    case Kind::consistent_crc:
      return "sarama-consistent-crc";
    case Kind::murmur2:
      return "sarama-murmur2";
    case Kind::random:
      return "sarama-random";
    case Kind::round_robin:
      return "sarama-roundrobin";
    case Kind::manual:
      return "sarama-manual";
  }
  return "sarama";
}

PartitionResult SaramaPartitioner::choose(const PartitionRequest& record, const TopicPartitions& partitions,
                                          SimTime, Rng& rng) {
  const int32_t all = partitions.partition_count;
  const bool hashes_keys = kind_ == Kind::hash || kind_ == Kind::reference_hash || kind_ == Kind::consistent_crc ||
                           kind_ == Kind::murmur2;
  if (hashes_keys && record.key) {
    // Consistency required: the index is into all partitions.
    switch (kind_) {
      case Kind::hash:
        return PartitionResult::chosen(sarama_hash_partition(*record.key, all));
      case Kind::reference_hash:
        return PartitionResult::chosen(sarama_reference_hash_partition(*record.key, all));
      case Kind::consistent_crc:
        return PartitionResult::chosen(crc32_partition(*record.key, all));
      default:
        return PartitionResult::chosen(kafka_partition_for_key(*record.key, all));
    }
  }
  if (kind_ == Kind::manual) return PartitionResult::chosen(PartitionId(0));  // ProducerMessage.Partition's zero value

  // No consistency required: an index into the writable partitions.
  const std::vector<PartitionId>& writable = partitions.available;
  if (writable.empty()) return PartitionResult::failed(PartitionError::leader_not_available);
  const auto n = static_cast<int32_t>(writable.size());
  if (kind_ == Kind::round_robin) {
    auto it = round_robin_next_.find(record.topic);
    if (it == round_robin_next_.end()) it = round_robin_next_.emplace(std::string(record.topic), 0).first;
    if (it->second >= n) it->second = 0;
    return PartitionResult::chosen(writable[static_cast<size_t>(it->second++)]);
  }
  return PartitionResult::chosen(writable[random_index(rng, writable.size())]);
}

}  // namespace ksim::producer
