#pragma once
// The config tables: every setting a scenario can give, by Kafka's name, with
// how to read it and how to print it. One table per config struct serves both
// the loader (set) and the effective-config printout (get, and whether the
// value differs from Kafka's default), so the two cannot drift apart.
//
//   cluster.broker       -> BrokerConfig      (core/broker/broker_config.h)
//   cluster.controller   -> ControllerConfig  (core/controller/controller_config.h)
//   topics[].config      -> InitialTopic::configs (topic-level overrides)
//   clients[].config     -> ProducerSettings  (scenario_lib/format/scenario.h)
//
// min.insync.replicas and unclean.leader.election.enable are in both the
// broker and the controller table: in Kafka they are one server setting read
// by both roles, so the loader applies either to both.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenario_lib/format/json_value.h"
#include "scenario_lib/format/scenario.h"

namespace ksim::scenarios {

template <class Config>
struct ConfigKey {
  std::string_view name;     // Kafka's name, e.g. "replica.lag.time.max.ms"
  std::string_view accepts;  // "an integer >= 1", "true or false", ...
  // Sets the value; returns what was wrong ("expected ..., got ...") or "".
  std::string (*set)(Config& config, const Json& value);
  // The value as Kafka would print it: "30000", "true", "leader-epoch".
  std::string (*get)(const Config& config);
  // Kafka's default when it differs from Config{}'s (the probe producer's
  // retries); empty: Config{} holds Kafka's default.
  std::string_view kafka_default = {};
  // A ksim switch for behaviour Kafka changed across versions, not a Kafka name.
  bool ksim_switch = false;
};

std::span<const ConfigKey<BrokerConfig>> broker_config_keys();
std::span<const ConfigKey<ControllerConfig>> controller_config_keys();
std::span<const ConfigKey<InitialTopic>> topic_config_keys();
std::span<const ConfigKey<ProducerSettings>> producer_config_keys();

// Kafka producer settings the probe producer does not model yet: named so the
// error says "not supported yet" rather than "unknown".
std::span<const std::string_view> unsupported_producer_config_keys();

template <class Config>
const ConfigKey<Config>* find_config_key(std::span<const ConfigKey<Config>> keys, std::string_view name) {
  for (const auto& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

template <class Config>
std::vector<std::string_view> config_key_names(std::span<const ConfigKey<Config>> keys) {
  std::vector<std::string_view> names;
  for (const auto& k : keys) names.push_back(k.name);
  return names;
}

// Kafka's default for a key, as get() prints it.
template <class Config>
std::string kafka_default_of(const ConfigKey<Config>& key) {
  if (!key.kafka_default.empty()) return std::string(key.kafka_default);
  return key.get(Config{});
}

// "name=value" for every key whose value differs from Kafka's default, in
// table order.
template <class Config>
std::vector<std::string> non_default_settings(std::span<const ConfigKey<Config>> keys, const Config& config) {
  std::vector<std::string> out;
  for (const auto& k : keys) {
    const std::string v = k.get(config);
    if (v != kafka_default_of(k)) out.push_back(std::string(k.name) + "=" + v);
  }
  return out;
}

}  // namespace ksim::scenarios
