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
  std::string str() const { return topic + "-" + std::to_string(partition.value); }
};

}  // namespace ksim
