#include "core/producer/partitioner/cluster_view.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim::producer {

bool TopicPartitions::is_available(PartitionId p) const {
  return std::binary_search(available.begin(), available.end(), p);
}

void ClusterView::set_topic(std::string topic, int32_t partition_count) {
  KSIM_ASSERT_MSG(partition_count >= 1, "topic " << topic << " with " << partition_count << " partitions");
  std::vector<PartitionId> all;
  all.reserve(static_cast<size_t>(partition_count));
  for (int32_t p = 0; p < partition_count; ++p) all.emplace_back(p);
  topics_[std::move(topic)] = TopicPartitions{partition_count, std::move(all)};
}

void ClusterView::set_topic(std::string topic, int32_t partition_count, std::vector<PartitionId> available) {
  KSIM_ASSERT_MSG(partition_count >= 1, "topic " << topic << " with " << partition_count << " partitions");
  std::sort(available.begin(), available.end());
  for (size_t i = 0; i < available.size(); ++i) {
    KSIM_ASSERT_MSG(available[i].value >= 0 && available[i].value < partition_count,
                    "available partition " << available[i].value << " of " << topic << " outside [0, "
                                           << partition_count << ")");
    KSIM_ASSERT_MSG(i == 0 || available[i - 1] < available[i],
                    "partition " << available[i].value << " of " << topic << " listed twice");
  }
  topics_[std::move(topic)] = TopicPartitions{partition_count, std::move(available)};
}

void ClusterView::set_available(std::string_view topic, PartitionId partition, bool available) {
  auto it = topics_.find(topic);
  KSIM_ASSERT_MSG(it != topics_.end(), "unknown topic " << topic);
  TopicPartitions& t = it->second;
  KSIM_ASSERT(partition.value >= 0 && partition.value < t.partition_count);
  auto pos = std::lower_bound(t.available.begin(), t.available.end(), partition);
  const bool present = pos != t.available.end() && *pos == partition;
  if (available && !present) t.available.insert(pos, partition);
  if (!available && present) t.available.erase(pos);
}

void ClusterView::remove_topic(std::string_view topic) {
  auto it = topics_.find(topic);
  if (it != topics_.end()) topics_.erase(it);
}

const TopicPartitions* ClusterView::find(std::string_view topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? nullptr : &it->second;
}

const TopicPartitions& ClusterView::topic(std::string_view topic) const {
  const TopicPartitions* t = find(topic);
  KSIM_ASSERT_MSG(t != nullptr, "partitioning a record for topic " << topic << " that has no metadata");
  return *t;
}

}  // namespace ksim::producer
