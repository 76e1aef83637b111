#pragma once
// Requests between brokers (or an admin) and the KRaft controller:
// BrokerRegistration, BrokerHeartbeat, the metadata log fetch, AlterPartition
// and CreateTopics. One partition per AlterPartition (Kafka batches several);
// otherwise the fields are Kafka's.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/metadata/metadata_records.h"
#include "core/protocol/errors.h"

namespace ksim {

struct BrokerRegistrationRequest {
  static constexpr std::string_view kName = "BrokerRegistration";
  int32_t correlation_id = 0;
  BrokerId broker;
  uint64_t incarnation_id = 0;  // new for every process start
  std::string rack;
  int64_t size_bytes() const { return 96; }
};

struct BrokerRegistrationResponse {
  static constexpr std::string_view kName = "BrokerRegistrationResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  BrokerEpoch broker_epoch{-1};
  int64_t size_bytes() const { return 32; }
};

struct BrokerHeartbeatRequest {
  static constexpr std::string_view kName = "BrokerHeartbeat";
  int32_t correlation_id = 0;
  BrokerId broker;
  BrokerEpoch broker_epoch;
  int64_t current_metadata_offset = -1;
  bool want_fence = false;
  bool want_shutdown = false;  // controlled shutdown
  int64_t size_bytes() const { return 48; }
};

struct BrokerHeartbeatResponse {
  static constexpr std::string_view kName = "BrokerHeartbeatResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  bool is_caught_up = false;
  bool is_fenced = true;
  bool should_shut_down = false;
  int64_t size_bytes() const { return 32; }
};

// KRaft brokers replicate __cluster_metadata by fetching from the controller
// quorum; a request waits up to max_wait_ms for new records (long poll).
struct MetadataFetchRequest {
  static constexpr std::string_view kName = "MetadataFetch";
  int32_t correlation_id = 0;
  BrokerId broker;
  int64_t fetch_offset = 0;  // the next metadata offset the broker needs
  int32_t max_wait_ms = 500;
  int64_t size_bytes() const { return 40; }
};

struct MetadataFetchResponse {
  static constexpr std::string_view kName = "MetadataFetchResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  int64_t base_offset = 0;  // offset of records[0]
  std::vector<MetadataRecord> records;
  int64_t size_bytes() const { return 32 + 64 * static_cast<int64_t>(records.size()); }
};

struct AlterPartitionRequest {
  static constexpr std::string_view kName = "AlterPartition";
  int32_t correlation_id = 0;
  BrokerId broker;
  BrokerEpoch broker_epoch;
  std::string topic;
  PartitionId partition;
  LeaderEpoch leader_epoch;
  std::vector<int32_t> new_isr;
  int32_t partition_epoch = 0;
  int64_t size_bytes() const { return 64 + 4 * static_cast<int64_t>(new_isr.size()); }
};

struct AlterPartitionResponse {
  static constexpr std::string_view kName = "AlterPartitionResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  std::string topic;
  PartitionId partition;
  BrokerId leader{-1};
  LeaderEpoch leader_epoch;
  std::vector<int32_t> isr;
  int32_t partition_epoch = 0;
  int64_t size_bytes() const { return 64 + 4 * static_cast<int64_t>(isr.size()); }
};

struct CreateTopicsRequest {
  static constexpr std::string_view kName = "CreateTopics";
  int32_t correlation_id = 0;
  std::string name;
  int32_t partitions = 1;
  int16_t replication_factor = 1;
  // Optional explicit replica assignment (one list of broker ids per partition).
  std::vector<std::vector<int32_t>> assignment;
  std::map<std::string, std::string> configs;
  int64_t size_bytes() const { return 128; }
};

// CreatePartitions (Kafka's API 37, forwarded to the controller): grow a topic
// to `count` partitions in total. Partitions are only ever added; the new
// ones take the replication factor of the topic's first partition.
struct CreatePartitionsRequest {
  static constexpr std::string_view kName = "CreatePartitions";
  int32_t correlation_id = 0;
  std::string name;
  int32_t count = 0;  // the new total, as kafka-topics.sh --alter --partitions
  // Optional replica lists, one per NEW partition.
  std::vector<std::vector<int32_t>> assignment;
  int64_t size_bytes() const { return 64; }
};

struct CreatePartitionsResponse {
  static constexpr std::string_view kName = "CreatePartitionsResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  std::string name;
  std::string message;
  int64_t size_bytes() const { return 64; }
};

struct CreateTopicsResponse {
  static constexpr std::string_view kName = "CreateTopicsResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  std::string name;
  std::string message;
  int64_t size_bytes() const { return 64; }
};

}  // namespace ksim
