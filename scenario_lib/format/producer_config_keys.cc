#include "scenario_lib/format/producer_config_keys.h"

#include <array>
#include <limits>

#include "core/producer/partitioner/partitioner_registry.h"

namespace ksim::scenarios {

namespace {

using K = KafkaProducerSettings;
constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max() / 4;

std::string expected(const std::string& what, const Json& v) { return "expected " + what + ", got " + json_brief(v); }

template <class T, T producer::ProducerConfig::*Field, int64_t Lo, int64_t Hi>
std::string set_num(K& k, const Json& v) {
  const auto x = json_int(v);
  if (!x || *x < Lo || *x > Hi)
    return expected(Hi == kIntMax || Hi == kLongMax ? "an integer >= " + std::to_string(Lo)
                                                    : "an integer in " + std::to_string(Lo) + ".." + std::to_string(Hi),
                    v);
  k.config.*Field = static_cast<T>(*x);
  return {};
}
template <class T, T producer::ProducerConfig::*Field>
std::string get_num(const K& k) {
  return std::to_string(k.config.*Field);
}

std::string set_acks(K& k, const Json& v) {
  if (v == "all") {
    k.config.acks = Acks::all;
    return {};
  }
  const auto x = json_int(v);
  if (!x || (*x != 0 && *x != 1 && *x != -1)) return expected("acks 0, 1, -1 or \"all\"", v);
  k.config.acks = static_cast<Acks>(*x);
  return {};
}

std::string set_idempotence(K& k, const Json& v) {
  const auto b = json_bool(v);
  if (!b) return expected("true or false", v);
  k.config.enable_idempotence = *b;
  return {};
}
std::string get_idempotence(const K& k) {
  return k.config.enable_idempotence.value_or(true) ? "true" : "false";
}

std::string set_partitioner(K& k, const Json& v) {
  if (!v.is_string()) return expected("a partitioner name such as \"builtin\"", v);
  const std::string name = v.get<std::string>();
  if (!producer::find_partitioner(name)) return producer::unknown_partitioner_message(name);
  k.config.partitioner = name;
  return {};
}

template <bool producer::PartitionerConfig::*Field>
std::string set_pbool(K& k, const Json& v) {
  const auto b = json_bool(v);
  if (!b) return expected("true or false", v);
  k.config.partitioner_config.*Field = *b;
  return {};
}
template <bool producer::PartitionerConfig::*Field>
std::string get_pbool(const K& k) {
  return k.config.partitioner_config.*Field ? "true" : "false";
}

std::string set_availability(K& k, const Json& v) {
  const auto x = json_int(v);
  if (!x || *x < 0) return expected("an integer >= 0", v);
  k.config.partitioner_config.partitioner_availability_timeout_ms = *x;
  return {};
}

std::string set_bootstrap(K& k, const Json& v) {
  // Reuse the probe producer's parser: the same names, the same messages.
  ProducerSettings p;
  const ConfigKey<ProducerSettings>* key = find_config_key(producer_config_keys(), "bootstrap.servers");
  if (std::string e = key->set(p, v); !e.empty()) return e;
  k.bootstrap_servers = p.bootstrap_servers;
  return {};
}
std::string get_bootstrap(const K& k) {
  if (k.bootstrap_servers.empty()) return "every broker";
  std::string out;
  for (int32_t id : k.bootstrap_servers) out += (out.empty() ? "" : ",") + broker_name(id);
  return out;
}

using P = producer::ProducerConfig;
const std::array kKeys = {
    ConfigKey<K>{"acks", "0, 1, -1 or \"all\"", &set_acks, [](const K& k) { return acks_name(k.config.acks); }},
    ConfigKey<K>{"enable.idempotence", "true or false", &set_idempotence, &get_idempotence},
    ConfigKey<K>{"retries", "an integer >= 0", &set_num<int32_t, &P::retries, 0, kIntMax>, &get_num<int32_t, &P::retries>},
    ConfigKey<K>{"max.in.flight.requests.per.connection", "an integer >= 1",
                 &set_num<int32_t, &P::max_in_flight_requests_per_connection, 1, kIntMax>,
                 &get_num<int32_t, &P::max_in_flight_requests_per_connection>},
    ConfigKey<K>{"linger.ms", "an integer >= 0", &set_num<int64_t, &P::linger_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::linger_ms>},
    ConfigKey<K>{"batch.size", "an integer >= 0", &set_num<int32_t, &P::batch_size, 0, kIntMax>,
                 &get_num<int32_t, &P::batch_size>},
    ConfigKey<K>{"buffer.memory", "an integer >= 0", &set_num<int64_t, &P::buffer_memory, 0, kLongMax>,
                 &get_num<int64_t, &P::buffer_memory>},
    ConfigKey<K>{"max.block.ms", "an integer >= 0", &set_num<int64_t, &P::max_block_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::max_block_ms>},
    ConfigKey<K>{"max.request.size", "an integer >= 0", &set_num<int32_t, &P::max_request_size, 0, kIntMax>,
                 &get_num<int32_t, &P::max_request_size>},
    ConfigKey<K>{"delivery.timeout.ms", "an integer >= 0", &set_num<int32_t, &P::delivery_timeout_ms, 0, kIntMax>,
                 &get_num<int32_t, &P::delivery_timeout_ms>},
    ConfigKey<K>{"request.timeout.ms", "an integer >= 0", &set_num<int32_t, &P::request_timeout_ms, 0, kIntMax>,
                 &get_num<int32_t, &P::request_timeout_ms>},
    ConfigKey<K>{"retry.backoff.ms", "an integer >= 0", &set_num<int64_t, &P::retry_backoff_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::retry_backoff_ms>},
    ConfigKey<K>{"retry.backoff.max.ms", "an integer >= 0", &set_num<int64_t, &P::retry_backoff_max_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::retry_backoff_max_ms>},
    ConfigKey<K>{"reconnect.backoff.ms", "an integer >= 0", &set_num<int64_t, &P::reconnect_backoff_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::reconnect_backoff_ms>},
    ConfigKey<K>{"reconnect.backoff.max.ms", "an integer >= 0",
                 &set_num<int64_t, &P::reconnect_backoff_max_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::reconnect_backoff_max_ms>},
    ConfigKey<K>{"metadata.max.age.ms", "an integer >= 0", &set_num<int64_t, &P::metadata_max_age_ms, 0, kLongMax>,
                 &get_num<int64_t, &P::metadata_max_age_ms>},
    ConfigKey<K>{"partitioner.class", "a partitioner name (ksim partition --list)", &set_partitioner,
                 [](const K& k) { return k.config.partitioner; }},
    ConfigKey<K>{"partitioner.ignore.keys", "true or false",
                 &set_pbool<&producer::PartitionerConfig::partitioner_ignore_keys>,
                 &get_pbool<&producer::PartitionerConfig::partitioner_ignore_keys>},
    ConfigKey<K>{"partitioner.adaptive.partitioning.enable", "true or false",
                 &set_pbool<&producer::PartitionerConfig::partitioner_adaptive_partitioning_enable>,
                 &get_pbool<&producer::PartitionerConfig::partitioner_adaptive_partitioning_enable>},
    ConfigKey<K>{"partitioner.availability.timeout.ms", "an integer >= 0", &set_availability,
                 [](const K& k) { return std::to_string(k.config.partitioner_config.partitioner_availability_timeout_ms); }},
    ConfigKey<K>{"bootstrap.servers", "broker names, e.g. [\"broker-1\"] or \"broker-1,broker-2\"", &set_bootstrap,
                 &get_bootstrap},
};

constexpr std::array<std::string_view, 6> kUnsupported = {
    "compression.type", "transactional.id", "transaction.timeout.ms", "key.serializer", "value.serializer",
    "client.id",
};

}  // namespace

std::span<const ConfigKey<KafkaProducerSettings>> kafka_producer_config_keys() { return kKeys; }
std::span<const std::string_view> unsupported_kafka_producer_config_keys() { return kUnsupported; }

}  // namespace ksim::scenarios
