#include "core/producer/partitioner/partitioner.h"

#include "core/base/assert.h"

namespace ksim::producer {

std::string_view to_string(PartitionError error) {
  switch (error) {
    case PartitionError::invalid_partition:
      return "invalid_partition";
    case PartitionError::leader_not_available:
      return "leader_not_available";
  }
  return "unknown";
}

PartitionResult PartitionResult::chosen(PartitionId partition, bool sticky) {
  PartitionResult r;
  r.choice_ = PartitionChoice{partition, sticky};
  return r;
}

PartitionResult PartitionResult::failed(PartitionError error) {
  PartitionResult r;
  r.error_ = error;
  return r;
}

const PartitionChoice& PartitionResult::choice() const {
  KSIM_ASSERT_MSG(ok(), "choice() of a failed partition result (" << to_string(*error_) << ")");
  return choice_;
}

PartitionError PartitionResult::error() const {
  KSIM_ASSERT(!ok());
  return *error_;
}

PartitionResult Partitioner::partition(const PartitionRequest& record, const ClusterView& cluster, SimTime now,
                                       Rng& rng) {
  const TopicPartitions& partitions = cluster.topic(record.topic);
  if (record.explicit_partition) {
    const PartitionId p = *record.explicit_partition;
    if (p.value < 0 || p.value >= partitions.partition_count) return PartitionResult::failed(PartitionError::invalid_partition);
    return PartitionResult::chosen(p);
  }
  PartitionResult result = choose(record, partitions, now, rng);
  if (result.ok()) {
    const PartitionId p = result.choice().partition;
    KSIM_ASSERT_MSG(p.value >= 0 && p.value < partitions.partition_count,
                    name() << " chose partition " << p.value << " of " << record.topic << " which has "
                           << partitions.partition_count);
  }
  return result;
}

void Partitioner::on_new_batch(std::string_view, PartitionId, const ClusterView&, Rng&) {}

bool Partitioner::on_bytes_appended(std::string_view, const PartitionChoice&, int64_t, bool, const ClusterView&, Rng&) {
  return false;
}

void Partitioner::update_partition_load_stats(std::string_view, const std::optional<PartitionLoadInput>&) {}

}  // namespace ksim::producer
