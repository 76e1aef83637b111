#pragma once
// ConsumerConfig: the settings of one KafkaConsumer, by Kafka's consumer
// config names (clients/.../consumer/ConsumerConfig.java and
// CommonClientConfigs.java) with Kafka 4.x defaults. The scenario loader sets
// them by name through set_consumer_config(), so a scenario reads like a
// consumer.properties file.
//
// Invariants after validate() returned no error:
//   1. heartbeat.interval.ms < session.timeout.ms (Kafka refuses the reverse);
//   2. every size and time is positive (auto.commit.interval.ms may be any >0);
//   3. partition.assignment.strategy names at least one assignor, and the
//      protocol the consumer runs (rebalance_protocol()) is the strongest one
//      that every named assignor supports (ConsumerCoordinator's constructor).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/group/assignor/assignor.h"

namespace ksim {

// auto.offset.reset (OffsetResetStrategy): where a partition without a
// committed offset (or whose position fell out of the log) starts.
enum class OffsetResetStrategy : uint8_t { latest, earliest, none };
std::string_view to_string(OffsetResetStrategy s);

struct ConsumerConfig {
  std::vector<NodeId> bootstrap;                 // bootstrap.servers, as simulation nodes
  std::optional<std::string> group_id;           // group.id; none: no group, assign() only, no commits
  std::optional<std::string> group_instance_id;  // group.instance.id (KIP-345 static membership)
  // partition.assignment.strategy, in order of preference. Kafka 4.x default:
  // [RangeAssignor, CooperativeStickyAssignor] (so the protocol is EAGER and
  // the group uses range unless every member prefers otherwise).
  std::vector<const group::Assignor*> assignors;
  int32_t session_timeout_ms = 45000;            // session.timeout.ms (KIP-735: 45 s since 3.0)
  int32_t heartbeat_interval_ms = 3000;          // heartbeat.interval.ms
  int32_t max_poll_interval_ms = 300000;         // max.poll.interval.ms (also the rebalance timeout)
  int32_t max_poll_records = 500;                // max.poll.records
  bool enable_auto_commit = true;                // enable.auto.commit (true when a group.id is set)
  int32_t auto_commit_interval_ms = 5000;        // auto.commit.interval.ms
  OffsetResetStrategy auto_offset_reset = OffsetResetStrategy::latest;  // auto.offset.reset
  int32_t fetch_min_bytes = 1;                   // fetch.min.bytes
  int32_t fetch_max_wait_ms = 500;               // fetch.max.wait.ms
  int32_t max_partition_fetch_bytes = 1048576;   // max.partition.fetch.bytes
  int32_t fetch_max_bytes = 52428800;            // fetch.max.bytes
  int32_t request_timeout_ms = 30000;            // request.timeout.ms
  int32_t retry_backoff_ms = 100;                // retry.backoff.ms
  int32_t metadata_max_age_ms = 300000;          // metadata.max.age.ms
  int32_t reconnect_backoff_ms = 50;             // reconnect.backoff.ms (CommonClientConfigs)
  int32_t reconnect_backoff_max_ms = 1000;       // reconnect.backoff.max.ms

  ConsumerConfig();  // fills `assignors` with Kafka's default list

  // The rebalance protocol every configured assignor supports: COOPERATIVE
  // only when all of them are cooperative (Kafka picks the highest protocol
  // common to the list).
  group::RebalanceProtocol rebalance_protocol() const;
  // An error message naming the offending key, or "".
  std::string validate() const;
};

// Sets one config by its Kafka name from its string form ("true", "500",
// "earliest", "range,cooperative-sticky"). Returns "" or an error that says
// what was wrong and what is accepted. Unknown names get a did-you-mean.
// bootstrap.servers is not settable here (the loader resolves broker names).
std::string set_consumer_config(ConsumerConfig& config, std::string_view key, std::string_view value);
// Every key set_consumer_config accepts.
const std::vector<std::string_view>& consumer_config_keys();

}  // namespace ksim
