#pragma once
// ControllerConfig: the KRaft controller's settings, with Kafka's names and
// Kafka 4.x defaults (KRaftConfigs, ReplicationConfigs, ServerLogConfigs), and
// the topics a run starts with.
//
// Topic-level overrides ("min.insync.replicas",
// "unclean.leader.election.enable") travel in the TopicRecord's configs and win
// over the cluster defaults here; effective_* below resolve them.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/metadata/metadata_image.h"

namespace ksim {

// A topic the controller creates on its own as soon as enough brokers are
// registered and unfenced to hold it (a scenario's "topics" list).
struct InitialTopic {
  std::string name;
  int32_t partitions = 1;
  int16_t replication_factor = 1;
  // Optional explicit replica assignment, one broker list per partition; when
  // given, partitions and replication_factor are taken from it.
  std::vector<std::vector<int32_t>> assignment;
  std::map<std::string, std::string> configs;  // topic configs by Kafka name
};

// How automatic preferred-leader election chooses partitions. Kafka changed
// this when KRaft replaced the ZooKeeper controller; both are selectable.
enum class LeaderBalancePolicy : uint8_t {
  // Kafka 4.x (QuorumController.maybeScheduleNextBalancePartitionLeaders):
  // every partition not led by its preferred replica is a candidate; the check
  // runs leader.imbalance.check.interval.seconds after a write that leaves some
  // partition imbalanced. leader.imbalance.per.broker.percentage is ignored,
  // as KRaft ignores it.
  kraft,
  // The ZooKeeper-era controller (KafkaController.checkAndTriggerAutoLeaderRebalance):
  // first check 5 s after start, then every interval; only brokers whose share
  // of partitions not led by them as preferred replica exceeds
  // leader.imbalance.per.broker.percentage get their preferred leaders back.
  zk_imbalance_ratio,
};

struct ControllerConfig {
  // KRaft broker lifecycle (KRaftConfigs).
  int64_t broker_session_timeout_ms = 9000;             // broker.session.timeout.ms

  // Replication (ReplicationConfigs, ServerLogConfigs).
  bool unclean_leader_election_enable = false;          // unclean.leader.election.enable
  bool auto_leader_rebalance_enable = true;             // auto.leader.rebalance.enable
  int64_t leader_imbalance_check_interval_seconds = 300;  // leader.imbalance.check.interval.seconds
  int32_t leader_imbalance_per_broker_percentage = 10;  // leader.imbalance.per.broker.percentage
  int16_t default_replication_factor = 1;               // default.replication.factor
  int32_t num_partitions = 1;                           // num.partitions
  int32_t min_insync_replicas = 1;                      // min.insync.replicas

  // KIP-966 feature level: 0 off (Kafka 4.0's default), 1 on (4.1's default
  // for new clusters). With it on the controller keeps ELR / last-known ELR.
  int16_t eligible_leader_replicas_version = 0;         // eligible.leader.replicas.version

  std::vector<InitialTopic> initial_topics;

  // ksim switch (not a Kafka name): see LeaderBalancePolicy.
  LeaderBalancePolicy leader_balance_policy = LeaderBalancePolicy::kraft;

  bool elr_enabled() const { return eligible_leader_replicas_version >= 1; }
};

// The topic's "unclean.leader.election.enable" if set, else the cluster default.
bool effective_unclean_leader_election(const MetadataImage& image, const ControllerConfig& config,
                                       const std::string& topic);
// Kafka's getTopicEffectiveMinIsr: the topic's "min.insync.replicas" (else the
// cluster default), capped at the replication factor.
int32_t effective_min_isr(const MetadataImage& image, const ControllerConfig& config, const std::string& topic);

// Validates a topic config value the controller interprets. Returns an error
// message, or an empty string if the value is acceptable (names the controller
// does not interpret are accepted as they are).
std::string validate_topic_config(const std::string& name, const std::string& value);

}  // namespace ksim
