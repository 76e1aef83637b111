#pragma once
// TopicPartition: names one partition, ordered by (topic, partition) as Kafka
// sorts them. Printed as "orders-0".
#include <compare>
#include <string>

#include "core/base/ids.h"

namespace ksim {

struct TopicPartition {
  std::string topic;
  PartitionId partition;

  auto operator<=>(const TopicPartition&) const = default;
  // Equality tests the partition number first: most unequal pairs on the hot
  // paths (a broker scanning its partitions, parked fetches) share the topic
  // (__consumer_offsets has 50 partitions), and comparing two ints is cheaper
  // than comparing two names. Same result as the defaulted member-wise ==.
  bool operator==(const TopicPartition& other) const {
    return partition == other.partition && topic == other.topic;
  }
  std::string str() const { return topic + "-" + std::to_string(partition.value); }
};

}  // namespace ksim
