#include "core/producer/partitioner/librdkafka_partitioner.h"

#include "core/base/assert.h"
#include "core/producer/partitioner/key_hash_partition.h"

namespace ksim::producer {

LibrdkafkaPartitioner::LibrdkafkaPartitioner(Kind kind, int64_t sticky_partitioning_linger_ms)
    : kind_(kind),
      linger_(millis(sticky_partitioning_linger_ms)),
      sticky_enabled_(sticky_partitioning_linger_ms > 0 && kind != Kind::consistent && kind != Kind::murmur2 &&
                      kind != Kind::fnv1a) {
  KSIM_ASSERT_MSG(sticky_partitioning_linger_ms >= 0 && sticky_partitioning_linger_ms <= 900000,
                  "sticky.partitioning.linger.ms " << sticky_partitioning_linger_ms);
}

std::string_view LibrdkafkaPartitioner::name() const {
  switch (kind_) {
    case Kind::random:
      return "random";
    case Kind::consistent:
      return "consistent";
    case Kind::consistent_random:
      return "consistent_random";
    case Kind::murmur2:
      return "murmur2";
    case Kind::murmur2_random:
      return "murmur2_random";
    case Kind::fnv1a:
      return "fnv1a";
    case Kind::fnv1a_random:
      return "fnv1a_random";
  }
  return "librdkafka";
}

std::optional<PartitionId> LibrdkafkaPartitioner::sticky_partition(std::string_view topic) const {
  auto it = sticky_.find(topic);
  if (it == sticky_.end()) return std::nullopt;
  return it->second.partition;
}

PartitionResult LibrdkafkaPartitioner::choose(const PartitionRequest& record, const TopicPartitions& partitions,
                                              SimTime now, Rng& rng) {
  const int32_t n = partitions.partition_count;
  const bool empty_key = record.key && record.key->empty();
  if (sticky_enabled_ && (!record.key || (empty_key && kind_ == Kind::consistent_random))) {
    return PartitionResult::chosen(sticky(record.topic, partitions, now, rng));
  }
  // A null key reaches the non-random partitioners as (NULL, 0): hashed as empty.
  const std::string_view key = record.key.value_or(std::string_view{});
  switch (kind_) {
    case Kind::random:
      return PartitionResult::chosen(random_partition(partitions, rng));
    case Kind::consistent:
      return PartitionResult::chosen(crc32_partition(key, n));
    case Kind::consistent_random:
      if (key.empty()) return PartitionResult::chosen(random_partition(partitions, rng));
      return PartitionResult::chosen(crc32_partition(key, n));
    case Kind::murmur2:
      return PartitionResult::chosen(kafka_partition_for_key(key, n));
    case Kind::murmur2_random:
      if (!record.key) return PartitionResult::chosen(random_partition(partitions, rng));
      return PartitionResult::chosen(kafka_partition_for_key(key, n));
    case Kind::fnv1a:
      return PartitionResult::chosen(librdkafka_fnv1a_partition(key, n));
    case Kind::fnv1a_random:
      if (!record.key) return PartitionResult::chosen(random_partition(partitions, rng));
      return PartitionResult::chosen(librdkafka_fnv1a_partition(key, n));
  }
  KSIM_ASSERT_MSG(false, "unhandled librdkafka partitioner kind");
  return PartitionResult::chosen(PartitionId(0));
}

PartitionId LibrdkafkaPartitioner::random_partition(const TopicPartitions& partitions, Rng& rng) const {
  const auto n = static_cast<size_t>(partitions.partition_count);
  PartitionId p(static_cast<int32_t>(random_index(rng, n)));
  if (!partitions.is_available(p)) p = PartitionId(static_cast<int32_t>(random_index(rng, n)));
  return p;
}

PartitionId LibrdkafkaPartitioner::sticky(std::string_view topic, const TopicPartitions& partitions, SimTime now,
                                          Rng& rng) {
  auto it = sticky_.find(topic);
  const bool expired = it != sticky_.end() && (now - it->second.chosen_at) > linger_;
  if (it == sticky_.end() || !partitions.is_available(it->second.partition) || expired) {
    const Sticky next{random_partition(partitions, rng), now};
    if (it == sticky_.end()) {
      it = sticky_.emplace(std::string(topic), next).first;
    } else {
      it->second = next;
    }
  }
  return it->second.partition;
}

}  // namespace ksim::producer
