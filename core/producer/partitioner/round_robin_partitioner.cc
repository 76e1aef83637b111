#include "core/producer/partitioner/round_robin_partitioner.h"

#include "core/producer/partitioner/murmur2.h"

namespace ksim::producer {

void RoundRobinPartitioner::on_new_batch(std::string_view topic, PartitionId prev_partition, const ClusterView&,
                                         Rng&) {
  if (variant_ == Variant::fixed) previous_ = Remembered{std::string(topic), prev_partition};
}

PartitionResult RoundRobinPartitioner::choose(const PartitionRequest& record, const TopicPartitions& partitions,
                                              SimTime, Rng&) {
  if (previous_) {
    const Remembered remembered = std::move(*previous_);
    previous_.reset();
    if (remembered.topic == record.topic) return PartitionResult::chosen(remembered.partition);
  }
  auto it = counters_.find(record.topic);
  if (it == counters_.end()) it = counters_.emplace(std::string(record.topic), 0U).first;
  const int32_t positive = to_positive(static_cast<int32_t>(it->second++));
  if (!partitions.available.empty()) {
    const auto n = static_cast<int32_t>(partitions.available.size());
    return PartitionResult::chosen(partitions.available[static_cast<size_t>(positive % n)]);
  }
  return PartitionResult::chosen(PartitionId(positive % partitions.partition_count));
}

}  // namespace ksim::producer
