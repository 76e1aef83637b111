#include "core/producer/producer_config.h"

namespace ksim::producer {

namespace {
constexpr int32_t kMaxInFlightForIdempotence = 5;
}

ProducerConfigResult validate_producer_config(const ProducerConfig& config) {
  ProducerConfigResult r;
  auto fail = [&](std::string message) {
    r.error = std::move(message);
    return r;
  };
  if (!is_valid_acks(config.acks))
    return fail("Invalid value " + std::to_string(acks_value(config.acks)) + " for configuration acks: String must be one of: all, -1, 0, 1");
  if (config.batch_size < 0) return fail("Invalid value " + std::to_string(config.batch_size) + " for configuration batch.size: Value must be at least 0");
  if (config.linger_ms < 0) return fail("Invalid value " + std::to_string(config.linger_ms) + " for configuration linger.ms: Value must be at least 0");
  if (config.buffer_memory < 0) return fail("Invalid value " + std::to_string(config.buffer_memory) + " for configuration buffer.memory: Value must be at least 0");
  if (config.max_block_ms < 0) return fail("Invalid value " + std::to_string(config.max_block_ms) + " for configuration max.block.ms: Value must be at least 0");
  if (config.max_request_size < 0) return fail("Invalid value " + std::to_string(config.max_request_size) + " for configuration max.request.size: Value must be at least 0");
  if (config.retries < 0) return fail("Invalid value " + std::to_string(config.retries) + " for configuration retries: Value must be at least 0");
  if (config.request_timeout_ms < 0) return fail("Invalid value " + std::to_string(config.request_timeout_ms) + " for configuration request.timeout.ms: Value must be at least 0");
  if (config.delivery_timeout_ms < 0) return fail("Invalid value " + std::to_string(config.delivery_timeout_ms) + " for configuration delivery.timeout.ms: Value must be at least 0");
  if (config.max_in_flight_requests_per_connection < 1)
    return fail("Invalid value " + std::to_string(config.max_in_flight_requests_per_connection) +
                " for configuration max.in.flight.requests.per.connection: Value must be at least 1");
  if (config.retry_backoff_ms < 0) return fail("Invalid value " + std::to_string(config.retry_backoff_ms) + " for configuration retry.backoff.ms: Value must be at least 0");
  if (config.reconnect_backoff_ms < 0) return fail("Invalid value " + std::to_string(config.reconnect_backoff_ms) + " for configuration reconnect.backoff.ms: Value must be at least 0");
  if (config.reconnect_backoff_max_ms < 0) return fail("Invalid value " + std::to_string(config.reconnect_backoff_max_ms) + " for configuration reconnect.backoff.max.ms: Value must be at least 0");
  if (config.retry_backoff_max_ms < 0) return fail("Invalid value " + std::to_string(config.retry_backoff_max_ms) + " for configuration retry.backoff.max.ms: Value must be at least 0");
  if (config.metadata_max_age_ms < 0) return fail("Invalid value " + std::to_string(config.metadata_max_age_ms) + " for configuration metadata.max.age.ms: Value must be at least 0");

  EffectiveProducerConfig e;
  e.config = config;
  e.config.partitioner_config.batch_size = config.batch_size < 1 ? 1 : config.batch_size;
  const bool explicit_idempotence = config.enable_idempotence.has_value();
  e.idempotence = config.enable_idempotence.value_or(true);
  // ProducerConfig.postProcessAndValidateIdempotenceConfigs, in Java's order.
  if (e.idempotence) {
    std::string reason;
    if (config.retries == 0) {
      if (explicit_idempotence) return fail("Must set retries to non-zero when using the idempotent producer.");
      reason = "Idempotence will be disabled because retries is set to 0.";
    }
    if (config.acks != Acks::all) {
      if (explicit_idempotence)
        return fail("Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.");
      if (reason.empty())
        reason = "Idempotence will be disabled because acks is set to " + std::to_string(acks_value(config.acks)) + ", not set to 'all'.";
    }
    if (config.max_in_flight_requests_per_connection > kMaxInFlightForIdempotence) {
      if (explicit_idempotence)
        return fail("Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.");
      if (reason.empty())
        reason = "Idempotence will be disabled because max.in.flight.requests.per.connection is set to " +
                 std::to_string(config.max_in_flight_requests_per_connection) + ", which is greater than 5.";
    }
    if (!reason.empty()) {
      e.idempotence = false;
      e.idempotence_disabled_by_conflict = true;
      e.idempotence_note = reason;
    }
  }
  // KafkaProducer.configureDeliveryTimeout.
  if (static_cast<int64_t>(config.delivery_timeout_ms) < config.linger_ms + config.request_timeout_ms)
    return fail("delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms");
  r.effective = std::move(e);
  return r;
}

}  // namespace ksim::producer
