#pragma once
// ClusterView: what a producer's partitioner may know about the cluster, namely
// for each topic its partition count and which partitions are *available*
// (have a known leader). It is the ksim counterpart of the two questions Java's
// partitioners ask org.apache.kafka.common.Cluster: partitionsForTopic(topic)
// and availablePartitionsForTopic(topic).
//
// The producer client owns one and refreshes it from Metadata responses; tests
// build one by hand. The partitioner only reads it.
//
// Invariants (asserted by set_topic):
//   1. partition_count >= 1 for every topic in the view (a producer partitions a
//      record only after metadata told it the topic exists, as KafkaProducer's
//      waitOnMetadata does; a topic without partitions is not in the view).
//   2. `available` is strictly ascending and every entry is in [0, partition_count).
//      Java lists available partitions in metadata order; ksim fixes ascending
//      order so that "the i-th available partition" is deterministic.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"

namespace ksim::producer {

struct TopicPartitions {
  int32_t partition_count = 0;
  std::vector<PartitionId> available;  // ascending; the partitions with a leader

  bool is_available(PartitionId p) const;
};

class ClusterView {
 public:
  // The topic with all of its partitions available.
  void set_topic(std::string topic, int32_t partition_count);
  // The topic with only `available` partitions having a leader (any order;
  // stored sorted). Duplicates or out-of-range entries are a bug.
  void set_topic(std::string topic, int32_t partition_count, std::vector<PartitionId> available);
  // Marks one partition as having a leader or not.
  void set_available(std::string_view topic, PartitionId partition, bool available);
  void remove_topic(std::string_view topic);

  // nullptr if the topic is not in the view.
  const TopicPartitions* find(std::string_view topic) const;
  // The topic's partitions; the topic must be in the view.
  const TopicPartitions& topic(std::string_view topic) const;

 private:
  std::map<std::string, TopicPartitions, std::less<>> topics_;
};

}  // namespace ksim::producer
