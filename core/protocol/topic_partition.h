#pragma once
// TopicPartition: names one partition, ordered by (topic, partition) as Kafka
// sorts them. Printed as "orders-0". The topic is a TopicName (topic_name.h):
// copies share the name's text, so copying a TopicPartition never allocates,
// and two copies of one name compare equal without reading it.
#include <compare>
#include <string>

#include "core/base/ids.h"
#include "core/protocol/topic_name.h"

namespace ksim {

struct TopicPartition {
  TopicName topic;
  PartitionId partition;

  auto operator<=>(const TopicPartition&) const = default;
  // Equality tests the partition number first: most unequal pairs on the hot
  // paths (a broker scanning its partitions, parked fetches) share the topic
  // (__consumer_offsets has 50 partitions), and comparing two ints is cheaper
  // than comparing two names. Same result as the defaulted member-wise ==.
  bool operator==(const TopicPartition& other) const {
    return partition == other.partition && topic == other.topic;
  }
  std::string str() const { return topic.str() + "-" + std::to_string(partition.value); }
};

}  // namespace ksim
