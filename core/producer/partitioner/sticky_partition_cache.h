#pragma once
// StickyPartitionCache: KIP-480's per-topic sticky partition, as in Kafka
// 2.4-3.x (clients/.../producer/internals/StickyPartitionCache.java), shared by
// the 2.4-3.x DefaultPartitioner and UniformStickyPartitioner.
//
//   partition(topic): the topic's sticky partition; the first call picks one
//     (as next_partition with no previous partition).
//   next_partition(topic, prev): called when a new batch is about to be created
//     for `prev`. Only if `prev` is the current sticky partition (or none is set)
//     does it pick a new one:
//       - no partition available: uniformly among all partitions;
//       - exactly one available: that one;
//       - otherwise: uniformly among the available ones, drawing again while the
//         draw equals the old sticky partition, so it never "switches" to the
//         partition it is leaving while another is available.
//     A new batch on a different partition (e.g. a keyed record's) leaves the
//     sticky partition alone.
//
// The sticky partition is not re-checked for availability between switches;
// Java does not either.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/ids.h"
#include "core/base/rng.h"
#include "core/producer/partitioner/cluster_view.h"

namespace ksim::producer {

class StickyPartitionCache {
 public:
  PartitionId partition(std::string_view topic, const TopicPartitions& partitions, Rng& rng);
  // Returns the sticky partition after the call. prev == nullopt is Java's -1.
  PartitionId next_partition(std::string_view topic, const TopicPartitions& partitions,
                             std::optional<PartitionId> prev, Rng& rng);
  std::optional<PartitionId> current(std::string_view topic) const;

 private:
  std::map<std::string, PartitionId, std::less<>> sticky_;
};

}  // namespace ksim::producer
