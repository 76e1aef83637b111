#pragma once
// The config table of the real producer (client type "producer"): every Java
// producer setting core/producer/ models, by Kafka's name, with how to read
// and print it (the ConfigKey shape of config_keys.h). The cross-setting rules
// (idempotence versus acks / retries / in-flight, delivery.timeout.ms) are
// core's validate_producer_config; the loader reports its message at the
// client's config path.
#include <span>
#include <string_view>

#include "scenario_lib/format/config_keys.h"

namespace ksim::scenarios {

std::span<const ConfigKey<KafkaProducerSettings>> kafka_producer_config_keys();

// Java producer settings core/producer/ does not model (transactions,
// compression, serializers): "not supported yet" rather than "unknown".
std::span<const std::string_view> unsupported_kafka_producer_config_keys();

}  // namespace ksim::scenarios
