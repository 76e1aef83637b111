#pragma once
// MetadataImage: the cluster metadata as of some offset of the metadata log:
// brokers (with epoch, fencing, where to reach them), topics with configs, and
// every partition's state. The controller's image is authoritative; each
// broker's lags behind by the time it takes to fetch new records. Clients get
// theirs from a broker's image through Metadata requests.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/metadata/metadata_records.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

struct BrokerInfo {
  BrokerId id;
  BrokerEpoch epoch;
  NodeId node;
  std::string rack;
  bool fenced = true;
  bool in_controlled_shutdown = false;
};

class MetadataImage {
 public:
  // Applies one record; `offset` is its position in the metadata log.
  void apply(const MetadataRecord& record, int64_t offset);

  int64_t offset() const { return offset_; }  // -1 before the first record
  const std::map<int32_t, BrokerInfo>& brokers() const { return brokers_; }
  const std::map<std::string, TopicRecord>& topics() const { return topics_; }
  const std::map<TopicPartition, PartitionRecord>& partitions() const { return partitions_; }
  // The first producer id of the next block the controller will hand out
  // (Kafka's ProducerIdsImage; 0 before any block).
  ProducerId next_producer_id() const { return next_producer_id_; }

  const BrokerInfo* broker(BrokerId id) const;
  const TopicRecord* topic(const std::string& name) const;
  const PartitionRecord* partition(const TopicPartition& tp) const;
  // A registered, unfenced broker not shutting down.
  bool is_active(BrokerId id) const;
  // A topic config by Kafka name, or `fallback` if the topic does not set it.
  std::string topic_config(const std::string& topic, const std::string& name, const std::string& fallback) const;

 private:
  int64_t offset_ = -1;
  std::map<int32_t, BrokerInfo> brokers_;
  std::map<std::string, TopicRecord> topics_;
  std::map<TopicPartition, PartitionRecord> partitions_;
  ProducerId next_producer_id_{0};
};

}  // namespace ksim
