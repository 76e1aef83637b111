#pragma once
// The cluster metadata log's records, as KRaft's __cluster_metadata holds them
// (RegisterBrokerRecord, BrokerRegistrationChangeRecord, TopicRecord,
// PartitionRecord / PartitionChangeRecord, ProducerIdsRecord). The controller appends them; every
// broker replays them, in order, into its MetadataImage. ksim keeps a partition
// record whole (the full state after the change) rather than a delta: simpler
// to replay and to show, and equivalent.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/base/ids.h"
#include "core/protocol/topic_name.h"

namespace ksim {

struct RegisterBrokerRecord {
  BrokerId broker;
  BrokerEpoch broker_epoch;
  NodeId node;            // where to reach it (its listener)
  std::string rack;       // broker.rack, may be empty
  // The registering process's incarnation (BrokerRegistrationRequest), kept
  // as Kafka's RegisterBrokerRecord.IncarnationId is: a retried registration
  // of the same process keeps its epoch; a new process while the old one's
  // session lives gets DUPLICATE_BROKER_REGISTRATION.
  uint64_t incarnation_id = 0;
  bool operator==(const RegisterBrokerRecord&) const = default;
};

// Fencing and controlled-shutdown state of a registered broker.
struct BrokerRegistrationChangeRecord {
  BrokerId broker;
  BrokerEpoch broker_epoch;
  bool fenced = true;
  bool in_controlled_shutdown = false;
  bool operator==(const BrokerRegistrationChangeRecord&) const = default;
};

struct TopicRecord {
  std::string name;
  int32_t partitions = 0;
  // Topic-level configs by Kafka name ("min.insync.replicas", ...).
  std::map<std::string, std::string> configs;
  bool operator==(const TopicRecord&) const = default;
};

struct PartitionRecord {
  // The controller makes one TopicName per topic and every record of the
  // topic copies it, so brokers' partition maps, requests and responses all
  // share it (see topic_name.h).
  TopicName topic;
  PartitionId partition;
  std::vector<int32_t> replicas;  // assignment order; the first is the preferred leader
  std::vector<int32_t> isr;
  std::vector<int32_t> elr;       // KIP-966 eligible leader replicas
  std::vector<int32_t> last_known_elr;
  BrokerId leader{-1};            // -1: no leader
  LeaderEpoch leader_epoch{0};
  int32_t partition_epoch = 0;
  bool operator==(const PartitionRecord&) const = default;
};

// The controller handed a block of producer ids to a broker (AllocateProducerIds,
// KIP-730). Kafka's ProducerIdsRecord: next_producer_id is the first id of the
// next block, so replaying the log tells a restarted controller where to go on
// and no block is ever handed out twice.
struct ProducerIdsRecord {
  BrokerId broker;
  BrokerEpoch broker_epoch{-1};
  ProducerId next_producer_id{0};
  bool operator==(const ProducerIdsRecord&) const = default;
};

using MetadataRecord =
    std::variant<RegisterBrokerRecord, BrokerRegistrationChangeRecord, TopicRecord, PartitionRecord, ProducerIdsRecord>;

}  // namespace ksim
