#include "core/producer/partitioner/sticky_kip480_partitioner.h"

#include "core/producer/partitioner/key_hash_partition.h"

namespace ksim::producer {

PartitionResult StickyKip480Partitioner::choose(const PartitionRequest& record, const TopicPartitions& partitions,
                                                SimTime, Rng& rng) {
  if (record.key && keys_ == Keys::hashed) {
    return PartitionResult::chosen(kafka_partition_for_key(*record.key, partitions.partition_count));
  }
  return PartitionResult::chosen(cache_.partition(record.topic, partitions, rng));
}

void StickyKip480Partitioner::on_new_batch(std::string_view topic, PartitionId prev_partition,
                                           const ClusterView& cluster, Rng& rng) {
  cache_.next_partition(topic, cluster.topic(topic), prev_partition, rng);
}

}  // namespace ksim::producer
