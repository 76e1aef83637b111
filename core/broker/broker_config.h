#pragma once
// A broker's configuration: Kafka's names and Kafka 4.x defaults
// (ReplicationConfigs, ServerLogConfigs, KRaftConfigs). Topic-level overrides
// (min.insync.replicas, unclean.leader.election.enable, segment.bytes, ...)
// travel in the metadata's TopicRecord and win over these.
#include <cstdint>
#include <string>

#include "core/base/ids.h"
#include "core/log/log_config.h"

namespace ksim {

// How a replica finds where its log diverged from a new leader's. Kafka moved
// from the first to the last; the older ones exist to show why.
enum class TruncationMode : uint8_t {
  high_watermark,   // before 0.11: truncate to the local HW (KIP-101's two failures)
  leader_epoch_v0,  // 0.11 (KIP-101): OffsetsForLeaderEpoch v0, which KAFKA-6361 breaks
  leader_epoch,     // 2.0+ (KIP-279) with Fetch's LastFetchedEpoch / DivergingEpoch
};

std::string_view truncation_mode_name(TruncationMode m);  // "high-watermark", ...

struct BrokerConfig {
  BrokerId broker_id{1};                                   // node.id
  std::string rack;                                        // broker.rack
  NodeId controller;                                       // controller.quorum.bootstrap.servers

  // Replication (ReplicationConfigs).
  int64_t replica_lag_time_max_ms = 30000;                 // replica.lag.time.max.ms
  int32_t replica_fetch_wait_max_ms = 500;                 // replica.fetch.wait.max.ms
  int32_t replica_fetch_min_bytes = 1;                     // replica.fetch.min.bytes
  int32_t replica_fetch_max_bytes = 1048576;               // replica.fetch.max.bytes
  int32_t replica_fetch_response_max_bytes = 10485760;     // replica.fetch.response.max.bytes
  int64_t replica_fetch_backoff_ms = 1000;                 // replica.fetch.backoff.ms
  // KIP-227: fetch sessions the broker keeps (followers' and consumers'); 0: none.
  int32_t max_incremental_fetch_session_cache_slots = 1000;  // max.incremental.fetch.session.cache.slots
  int64_t replica_high_watermark_checkpoint_interval_ms = 5000;  // replica.high.watermark.checkpoint.interval.ms
  int32_t min_insync_replicas = 1;                         // min.insync.replicas (broker default)
  bool unclean_leader_election_enable = false;             // unclean.leader.election.enable

  // Log (ServerLogConfigs).
  LogConfig log;                                           // log.segment.bytes, log.index.interval.bytes
  int64_t log_flush_interval_messages = INT64_MAX;         // log.flush.interval.messages: never by default

  // Idempotent producers (TransactionLogConfig / ProducerStateManagerConfig).
  int64_t producer_id_expiration_ms = 86400000;            // producer.id.expiration.ms
  int64_t producer_id_expiration_check_interval_ms = 600000;  // producer.id.expiration.check.interval.ms

  // KRaft broker lifecycle.
  int64_t broker_heartbeat_interval_ms = 2000;             // broker.heartbeat.interval.ms
  // broker.session.timeout.ms: the controller fences a broker this long after
  // its last heartbeat; the broker bounds its own heartbeat retries by half of
  // it (KAFKA-14392). One cluster-wide value: the Cluster copies the controller's.
  int64_t broker_session_timeout_ms = 9000;
  int64_t request_timeout_ms = 30000;                      // for requests the broker sends (controller, fetches)

  // Group coordinator (GroupCoordinatorConfig; the classic protocol).
  int32_t group_initial_rebalance_delay_ms = 3000;         // group.initial.rebalance.delay.ms
  int32_t group_min_session_timeout_ms = 6000;             // group.min.session.timeout.ms
  int32_t group_max_session_timeout_ms = 1800000;          // group.max.session.timeout.ms
  int32_t offsets_topic_num_partitions = 50;               // offsets.topic.num.partitions
  int16_t offsets_topic_replication_factor = 3;            // offsets.topic.replication.factor
  int32_t offsets_topic_segment_bytes = 104857600;         // offsets.topic.segment.bytes
  int32_t offsets_commit_timeout_ms = 5000;                // offsets.commit.timeout.ms
  int32_t group_max_size = INT32_MAX;                      // group.max.size: GROUP_MAX_SIZE_REACHED beyond it
  int32_t offsets_retention_minutes = 10080;               // offsets.retention.minutes: an Empty group's offsets expire
  int64_t offsets_retention_check_interval_ms = 600000;    // offsets.retention.check.interval.ms
  // ksim: how fast a new coordinator reads its offsets partition back
  // (COORDINATOR_LOAD_IN_PROGRESS meanwhile): 1 ms plus the log's bytes at
  // this rate. 10 MB/s by default, slow enough to be seen in a trace.
  int64_t group_coordinator_load_bytes_per_ms = 10000;     // group.coordinator.load.bytes.per.ms

  // ksim switches for behaviour Kafka changed across versions (not Kafka names).
  TruncationMode replication_truncation = TruncationMode::leader_epoch;  // replication.truncation
  bool strict_min_isr = true;  // replication.strict.min.isr: KAFKA-15583, no HW advance under min ISR
};

}  // namespace ksim
