#pragma once
// ProducerConfig: the Java producer's settings that ksim's KafkaProducer
// honours, by Kafka's config names (given verbatim beside each field) with
// Kafka 4.x defaults (ProducerConfig.java, CommonClientConfigs.java).
//
// Validation follows ProducerConfig.postProcessAndValidateIdempotenceConfigs:
//   1. idempotence is on by default (since 3.0);
//   2. if it is on and acks != all, or retries == 0, or
//      max.in.flight.requests.per.connection > 5 (the broker keeps the last 5
//      batches per producer, ProducerStateEntry.NUM_BATCHES_TO_RETAIN):
//        - when the user set enable.idempotence=true explicitly, that is a
//          config error with Java's ConfigException message;
//        - when idempotence was only the default, it is silently turned off.
//   3. delivery.timeout.ms must be >= linger.ms + request.timeout.ms
//      (KafkaProducer.configureDeliveryTimeout throws ConfigException).
// Errors are values: validate_producer_config returns the effective config or
// a message; the scenario loader prefixes it with the JSON path.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/producer/partitioner/partitioner_config.h"
#include "core/protocol/acks.h"

namespace ksim::producer {

struct ProducerConfig {
  std::vector<NodeId> bootstrap;                 // bootstrap.servers, as simulated nodes
  Acks acks = Acks::all;                         // acks: "all" (-1), "1", "0"
  // enable.idempotence: nullopt = not set by the user (default true, silently
  // turned off on a conflict); a value = set explicitly.
  std::optional<bool> enable_idempotence;
  int64_t linger_ms = 5;                         // linger.ms (KIP-1030: 5 since 4.0)
  int32_t batch_size = 16384;                    // batch.size
  int64_t buffer_memory = 33554432;              // buffer.memory (32 MiB)
  int64_t max_block_ms = 60000;                  // max.block.ms
  int32_t max_request_size = 1048576;            // max.request.size
  int32_t retries = 2147483647;                  // retries (Integer.MAX_VALUE)
  int32_t delivery_timeout_ms = 120000;          // delivery.timeout.ms
  int32_t request_timeout_ms = 30000;            // request.timeout.ms
  int32_t max_in_flight_requests_per_connection = 5;  // max.in.flight.requests.per.connection
  int64_t retry_backoff_ms = 100;                // retry.backoff.ms
  int64_t retry_backoff_max_ms = 1000;           // retry.backoff.max.ms (KIP-580)
  int64_t metadata_max_age_ms = 300000;          // metadata.max.age.ms
  int64_t reconnect_backoff_ms = 50;             // reconnect.backoff.ms (CommonClientConfigs)
  int64_t reconnect_backoff_max_ms = 1000;       // reconnect.backoff.max.ms
  std::string partitioner = "builtin";           // partitioner.class (ksim names, partitioner_registry.h)
  PartitionerConfig partitioner_config;          // partitioner.* (batch.size is copied in by validation)
  int32_t value_bytes = 100;                     // simulated record value size (not a Kafka config)
};

// The config after validation: idempotence resolved to a plain bool.
struct EffectiveProducerConfig {
  ProducerConfig config;
  bool idempotence = true;
  // True when idempotence was on by default and a conflicting setting turned
  // it off (Java logs "Idempotence will be disabled because ...").
  bool idempotence_disabled_by_conflict = false;
  std::string idempotence_note;  // that log line, for the trace / report
};

struct ProducerConfigResult {
  std::optional<EffectiveProducerConfig> effective;
  std::string error;  // set when !effective: Java's ConfigException text
  bool ok() const { return effective.has_value(); }
};

ProducerConfigResult validate_producer_config(const ProducerConfig& config);

}  // namespace ksim::producer
