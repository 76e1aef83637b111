#include "core/producer/partitioner/sticky_partition_cache.h"

#include "core/producer/partitioner/partitioner.h"

namespace ksim::producer {

PartitionId StickyPartitionCache::partition(std::string_view topic, const TopicPartitions& partitions, Rng& rng) {
  if (auto current_partition = current(topic)) return *current_partition;
  return next_partition(topic, partitions, std::nullopt, rng);
}

PartitionId StickyPartitionCache::next_partition(std::string_view topic, const TopicPartitions& partitions,
                                                 std::optional<PartitionId> prev, Rng& rng) {
  const std::optional<PartitionId> old = current(topic);
  if (old && old != prev) return *old;

  const std::vector<PartitionId>& available = partitions.available;
  PartitionId next;
  if (available.empty()) {
    next = PartitionId(static_cast<int32_t>(random_index(rng, static_cast<size_t>(partitions.partition_count))));
  } else if (available.size() == 1) {
    next = available.front();
  } else {
    do {
      next = available[random_index(rng, available.size())];
    } while (old && next == *old);
  }
  auto it = sticky_.find(topic);
  if (it == sticky_.end()) {
    sticky_.emplace(std::string(topic), next);
  } else {
    it->second = next;
  }
  return next;
}

std::optional<PartitionId> StickyPartitionCache::current(std::string_view topic) const {
  auto it = sticky_.find(topic);
  if (it == sticky_.end()) return std::nullopt;
  return it->second;
}

}  // namespace ksim::producer
