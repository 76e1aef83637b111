#include "scenario_lib/format/config_keys.h"

#include <array>
#include <limits>
#include <type_traits>

namespace ksim::scenarios {
namespace {

std::string int_range_text(int64_t lo, int64_t hi) {
  if (hi == std::numeric_limits<int64_t>::max() || hi == std::numeric_limits<int32_t>::max())
    return "an integer >= " + std::to_string(lo);
  return "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
}

std::string expected(const std::string& what, const Json& v) { return "expected " + what + ", got " + json_brief(v); }

// Integer member M of C, within [Lo, Hi].
template <class C, auto M, int64_t Lo, int64_t Hi>
std::string set_int(C& c, const Json& v) {
  const auto x = json_int(v);
  if (!x || *x < Lo || *x > Hi) return expected(int_range_text(Lo, Hi), v);
  c.*M = static_cast<std::remove_reference_t<decltype(c.*M)>>(*x);
  return {};
}
template <class C, auto M>
std::string get_int(const C& c) {
  return std::to_string(c.*M);
}

template <class C, auto M>
std::string set_bool(C& c, const Json& v) {
  const auto b = json_bool(v);
  if (!b) return expected("true or false", v);
  c.*M = *b;
  return {};
}
template <class C, auto M>
std::string get_bool(const C& c) {
  return c.*M ? "true" : "false";
}

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
// ksim's limit on a topic's partitions (scenarios/README.md, Limits): Kafka
// accepts up to 2^31-1, but each partition is built in memory at once.
constexpr int64_t kMaxTopicPartitions = 10000;
constexpr int64_t kLongMax = std::numeric_limits<int64_t>::max();

// --- broker -------------------------------------------------------------------

std::string set_truncation(BrokerConfig& c, const Json& v) {
  if (v.is_string()) {
    for (TruncationMode m : {TruncationMode::high_watermark, TruncationMode::leader_epoch_v0, TruncationMode::leader_epoch})
      if (v.get<std::string>() == truncation_mode_name(m)) {
        c.replication_truncation = m;
        return {};
      }
  }
  return expected("\"high-watermark\" (before KIP-101), \"leader-epoch-v0\" (KIP-101, before KIP-279) or "
                  "\"leader-epoch\" (KIP-279, Kafka 2.0+)",
                  v);
}
std::string get_truncation(const BrokerConfig& c) { return std::string(truncation_mode_name(c.replication_truncation)); }

using B = BrokerConfig;
const std::array kBrokerKeys = {
    ConfigKey<B>{"replica.lag.time.max.ms", "an integer >= 1", &set_int<B, &B::replica_lag_time_max_ms, 1, kLongMax>,
                 &get_int<B, &B::replica_lag_time_max_ms>},
    ConfigKey<B>{"replica.fetch.wait.max.ms", "an integer >= 0",
                 &set_int<B, &B::replica_fetch_wait_max_ms, 0, kIntMax>, &get_int<B, &B::replica_fetch_wait_max_ms>},
    ConfigKey<B>{"max.incremental.fetch.session.cache.slots", "an integer >= 0",
                 &set_int<B, &B::max_incremental_fetch_session_cache_slots, 0, kIntMax>,
                 &get_int<B, &B::max_incremental_fetch_session_cache_slots>},
    ConfigKey<B>{"replica.fetch.min.bytes", "an integer >= 1", &set_int<B, &B::replica_fetch_min_bytes, 1, kIntMax>,
                 &get_int<B, &B::replica_fetch_min_bytes>},
    ConfigKey<B>{"replica.fetch.max.bytes", "an integer >= 0", &set_int<B, &B::replica_fetch_max_bytes, 0, kIntMax>,
                 &get_int<B, &B::replica_fetch_max_bytes>},
    ConfigKey<B>{"replica.fetch.response.max.bytes", "an integer >= 0",
                 &set_int<B, &B::replica_fetch_response_max_bytes, 0, kIntMax>,
                 &get_int<B, &B::replica_fetch_response_max_bytes>},
    ConfigKey<B>{"replica.fetch.backoff.ms", "an integer >= 0", &set_int<B, &B::replica_fetch_backoff_ms, 0, kIntMax>,
                 &get_int<B, &B::replica_fetch_backoff_ms>},
    ConfigKey<B>{"replica.high.watermark.checkpoint.interval.ms", "an integer >= 1",
                 &set_int<B, &B::replica_high_watermark_checkpoint_interval_ms, 1, kLongMax>,
                 &get_int<B, &B::replica_high_watermark_checkpoint_interval_ms>},
    ConfigKey<B>{"min.insync.replicas", "an integer >= 1", &set_int<B, &B::min_insync_replicas, 1, kIntMax>,
                 &get_int<B, &B::min_insync_replicas>},
    ConfigKey<B>{"unclean.leader.election.enable", "true or false", &set_bool<B, &B::unclean_leader_election_enable>,
                 &get_bool<B, &B::unclean_leader_election_enable>},
    ConfigKey<B>{"log.segment.bytes", "an integer >= 14",
                 [](B& c, const Json& v) {
                   const auto x = json_int(v);
                   if (!x || *x < 14 || *x > kIntMax) return expected("an integer from 14 to 2147483647", v);
                   c.log.segment_bytes = *x;
                   return std::string();
                 },
                 [](const B& c) { return std::to_string(c.log.segment_bytes); }},
    ConfigKey<B>{"log.index.interval.bytes", "an integer >= 0",
                 [](B& c, const Json& v) {
                   const auto x = json_int(v);
                   if (!x || *x < 0 || *x > kIntMax) return expected("an integer >= 0", v);
                   c.log.index_interval_bytes = *x;
                   return std::string();
                 },
                 [](const B& c) { return std::to_string(c.log.index_interval_bytes); }},
    ConfigKey<B>{"log.flush.interval.messages", "an integer >= 1",
                 &set_int<B, &B::log_flush_interval_messages, 1, kLongMax>,
                 &get_int<B, &B::log_flush_interval_messages>},
    ConfigKey<B>{"broker.heartbeat.interval.ms", "an integer >= 1",
                 &set_int<B, &B::broker_heartbeat_interval_ms, 1, kLongMax>,
                 &get_int<B, &B::broker_heartbeat_interval_ms>},
    ConfigKey<B>{"request.timeout.ms", "an integer >= 1", &set_int<B, &B::request_timeout_ms, 1, kLongMax>,
                 &get_int<B, &B::request_timeout_ms>},
    ConfigKey<B>{"group.initial.rebalance.delay.ms", "an integer >= 0",
                 &set_int<B, &B::group_initial_rebalance_delay_ms, 0, kIntMax>,
                 &get_int<B, &B::group_initial_rebalance_delay_ms>},
    ConfigKey<B>{"group.min.session.timeout.ms", "an integer >= 0",
                 &set_int<B, &B::group_min_session_timeout_ms, 0, kIntMax>,
                 &get_int<B, &B::group_min_session_timeout_ms>},
    ConfigKey<B>{"group.max.session.timeout.ms", "an integer >= 0",
                 &set_int<B, &B::group_max_session_timeout_ms, 0, kIntMax>,
                 &get_int<B, &B::group_max_session_timeout_ms>},
    ConfigKey<B>{"offsets.topic.num.partitions", "an integer from 1 to 10000 (ksim's limit)",
                 &set_int<B, &B::offsets_topic_num_partitions, 1, kMaxTopicPartitions>,
                 &get_int<B, &B::offsets_topic_num_partitions>},
    ConfigKey<B>{"offsets.topic.replication.factor", "an integer from 1 to 32767",
                 &set_int<B, &B::offsets_topic_replication_factor, 1, 32767>,
                 &get_int<B, &B::offsets_topic_replication_factor>},
    ConfigKey<B>{"offsets.topic.segment.bytes", "an integer >= 1",
                 &set_int<B, &B::offsets_topic_segment_bytes, 1, kIntMax>,
                 &get_int<B, &B::offsets_topic_segment_bytes>},
    ConfigKey<B>{"offsets.commit.timeout.ms", "an integer >= 1",
                 &set_int<B, &B::offsets_commit_timeout_ms, 1, kIntMax>,
                 &get_int<B, &B::offsets_commit_timeout_ms>},
    ConfigKey<B>{"group.max.size", "an integer >= 1", &set_int<B, &B::group_max_size, 1, kIntMax>,
                 &get_int<B, &B::group_max_size>},
    ConfigKey<B>{"offsets.retention.minutes", "an integer >= 1",
                 &set_int<B, &B::offsets_retention_minutes, 1, kIntMax>,
                 &get_int<B, &B::offsets_retention_minutes>},
    ConfigKey<B>{"offsets.retention.check.interval.ms", "an integer >= 1",
                 &set_int<B, &B::offsets_retention_check_interval_ms, 1, kLongMax>,
                 &get_int<B, &B::offsets_retention_check_interval_ms>},
    ConfigKey<B>{"group.coordinator.load.bytes.per.ms", "an integer >= 1",
                 &set_int<B, &B::group_coordinator_load_bytes_per_ms, 1, kLongMax>,
                 &get_int<B, &B::group_coordinator_load_bytes_per_ms>, {}, true},
    ConfigKey<B>{"replication.truncation", "\"high-watermark\", \"leader-epoch-v0\" or \"leader-epoch\"",
                 &set_truncation, &get_truncation, {}, true},
    ConfigKey<B>{"replication.strict.min.isr", "true or false", &set_bool<B, &B::strict_min_isr>,
                 &get_bool<B, &B::strict_min_isr>, {}, true},
};

// --- controller ---------------------------------------------------------------

std::string set_balance(ControllerConfig& c, const Json& v) {
  if (v == "kraft") {
    c.leader_balance_policy = LeaderBalancePolicy::kraft;
    return {};
  }
  if (v == "zk-imbalance-ratio") {
    c.leader_balance_policy = LeaderBalancePolicy::zk_imbalance_ratio;
    return {};
  }
  return expected("\"kraft\" (Kafka 4.x) or \"zk-imbalance-ratio\" (the ZooKeeper-era controller)", v);
}
std::string get_balance(const ControllerConfig& c) {
  return c.leader_balance_policy == LeaderBalancePolicy::kraft ? "kraft" : "zk-imbalance-ratio";
}

using K = ControllerConfig;
const std::array kControllerKeys = {
    ConfigKey<K>{"broker.session.timeout.ms", "an integer >= 1", &set_int<K, &K::broker_session_timeout_ms, 1, kLongMax>,
                 &get_int<K, &K::broker_session_timeout_ms>},
    ConfigKey<K>{"unclean.leader.election.enable", "true or false", &set_bool<K, &K::unclean_leader_election_enable>,
                 &get_bool<K, &K::unclean_leader_election_enable>},
    ConfigKey<K>{"min.insync.replicas", "an integer >= 1", &set_int<K, &K::min_insync_replicas, 1, kIntMax>,
                 &get_int<K, &K::min_insync_replicas>},
    ConfigKey<K>{"auto.leader.rebalance.enable", "true or false", &set_bool<K, &K::auto_leader_rebalance_enable>,
                 &get_bool<K, &K::auto_leader_rebalance_enable>},
    ConfigKey<K>{"leader.imbalance.check.interval.seconds", "an integer >= 1",
                 &set_int<K, &K::leader_imbalance_check_interval_seconds, 1, kLongMax>,
                 &get_int<K, &K::leader_imbalance_check_interval_seconds>},
    ConfigKey<K>{"leader.imbalance.per.broker.percentage", "an integer from 0 to 100",
                 &set_int<K, &K::leader_imbalance_per_broker_percentage, 0, 100>,
                 &get_int<K, &K::leader_imbalance_per_broker_percentage>},
    ConfigKey<K>{"default.replication.factor", "an integer from 1 to 32767",
                 &set_int<K, &K::default_replication_factor, 1, 32767>, &get_int<K, &K::default_replication_factor>},
    ConfigKey<K>{"num.partitions", "an integer from 1 to 10000 (ksim's limit)",
                 &set_int<K, &K::num_partitions, 1, kMaxTopicPartitions>,
                 &get_int<K, &K::num_partitions>},
    ConfigKey<K>{"eligible.leader.replicas.version", "0 (off, Kafka 4.0's default) or 1 (KIP-966 on)",
                 &set_int<K, &K::eligible_leader_replicas_version, 0, 1>,
                 &get_int<K, &K::eligible_leader_replicas_version>},
    ConfigKey<K>{"leader.balance.policy", "\"kraft\" or \"zk-imbalance-ratio\"", &set_balance, &get_balance, {}, true},
};

// --- topic ----------------------------------------------------------------------

template <int64_t Lo, const char* Name>
std::string set_topic_int(InitialTopic& t, const Json& v) {
  const auto x = json_int(v);
  if (!x || *x < Lo || *x > kIntMax) return expected(int_range_text(Lo, kIntMax), v);
  t.configs[Name] = std::to_string(*x);
  return {};
}
template <const char* Name>
std::string set_topic_bool(InitialTopic& t, const Json& v) {
  const auto b = json_bool(v);
  if (!b) return expected("true or false", v);
  t.configs[Name] = *b ? "true" : "false";
  return {};
}
template <const char* Name>
std::string get_topic(const InitialTopic& t) {
  const auto it = t.configs.find(Name);
  return it == t.configs.end() ? std::string() : it->second;
}

constexpr char kMinIsr[] = "min.insync.replicas";
constexpr char kUnclean[] = "unclean.leader.election.enable";
constexpr char kFlush[] = "flush.messages";
constexpr char kSegment[] = "segment.bytes";
constexpr char kIndex[] = "index.interval.bytes";
constexpr char kMaxMessage[] = "max.message.bytes";

using T = InitialTopic;
const std::array kTopicKeys = {
    ConfigKey<T>{kMinIsr, "an integer >= 1", &set_topic_int<1, kMinIsr>, &get_topic<kMinIsr>},
    ConfigKey<T>{kUnclean, "true or false", &set_topic_bool<kUnclean>, &get_topic<kUnclean>},
    ConfigKey<T>{kFlush, "an integer >= 1", &set_topic_int<1, kFlush>, &get_topic<kFlush>},
    ConfigKey<T>{kSegment, "an integer >= 14", &set_topic_int<14, kSegment>, &get_topic<kSegment>},
    ConfigKey<T>{kIndex, "an integer >= 0", &set_topic_int<0, kIndex>, &get_topic<kIndex>},
    ConfigKey<T>{kMaxMessage, "an integer >= 0", &set_topic_int<0, kMaxMessage>, &get_topic<kMaxMessage>},
};

// --- producer ---------------------------------------------------------------------

std::string set_acks(ProducerSettings& p, const Json& v) {
  if (v == "all") {
    p.acks = Acks::all;
    return {};
  }
  const auto x = json_int(v);
  if (!x || (*x != 0 && *x != 1 && *x != -1)) return expected("acks 0, 1, -1 or \"all\"", v);
  p.acks = static_cast<Acks>(*x);
  return {};
}

std::string set_bootstrap(ProducerSettings& p, const Json& v) {
  // A list of broker names, or Kafka's comma-separated string of them.
  std::vector<std::string> names;
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    size_t start = 0;
    while (start <= s.size()) {
      const size_t comma = s.find(',', start);
      const size_t end = comma == std::string::npos ? s.size() : comma;
      std::string item = s.substr(start, end - start);
      while (!item.empty() && item.front() == ' ') item.erase(item.begin());
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (!item.empty()) names.push_back(item);
      start = end + 1;
    }
  } else if (v.is_array()) {
    for (const auto& x : v) {
      if (!x.is_string()) return expected("broker names such as [\"broker-1\", \"broker-2\"]", v);
      names.push_back(x.get<std::string>());
    }
  } else {
    return expected("broker names such as [\"broker-1\", \"broker-2\"]", v);
  }
  if (names.empty()) return expected("at least one broker name", v);
  p.bootstrap_servers.clear();
  for (const auto& n : names) {
    int32_t id = 0;
    if (n.rfind("broker-", 0) != 0 || n.size() == 7) return "expected broker names such as \"broker-1\", got \"" + n + "\"";
    for (size_t i = 7; i < n.size(); ++i) {
      if (n[i] < '0' || n[i] > '9' || id > 100000) return "expected broker names such as \"broker-1\", got \"" + n + "\"";
      id = id * 10 + (n[i] - '0');
    }
    p.bootstrap_servers.push_back(id);
  }
  return {};
}
std::string get_bootstrap(const ProducerSettings& p) {
  if (p.bootstrap_servers.empty()) return "every broker";
  std::string out;
  for (int32_t id : p.bootstrap_servers) out += (out.empty() ? "" : ",") + broker_name(id);
  return out;
}

using P = ProducerSettings;
const std::array kProducerKeys = {
    ConfigKey<P>{"acks", "0, 1, -1 or \"all\"", &set_acks, [](const P& p) { return acks_name(p.acks); }},
    ConfigKey<P>{"retries", "an integer >= 0", &set_int<P, &P::retries, 0, kIntMax>, &get_int<P, &P::retries>,
                 "2147483647"},
    ConfigKey<P>{"request.timeout.ms", "an integer >= 1", &set_int<P, &P::request_timeout_ms, 1, kIntMax>,
                 &get_int<P, &P::request_timeout_ms>},
    ConfigKey<P>{"retry.backoff.ms", "an integer >= 0", &set_int<P, &P::retry_backoff_ms, 0, kIntMax>,
                 &get_int<P, &P::retry_backoff_ms>},
    ConfigKey<P>{"bootstrap.servers", "broker names, e.g. [\"broker-1\"] or \"broker-1,broker-2\"", &set_bootstrap,
                 &get_bootstrap},
};

constexpr std::array<std::string_view, 16> kUnsupportedProducerKeys = {
    "enable.idempotence", "linger.ms", "batch.size", "max.in.flight.requests.per.connection",
    "delivery.timeout.ms", "compression.type", "partitioner.class", "partitioner.ignore.keys",
    "partitioner.adaptive.partitioning.enable", "buffer.memory", "max.block.ms", "transactional.id",
    "transaction.timeout.ms", "max.request.size", "key.serializer", "value.serializer",
};

}  // namespace

std::span<const ConfigKey<BrokerConfig>> broker_config_keys() { return kBrokerKeys; }
std::span<const ConfigKey<ControllerConfig>> controller_config_keys() { return kControllerKeys; }
std::span<const ConfigKey<InitialTopic>> topic_config_keys() { return kTopicKeys; }
std::span<const ConfigKey<ProducerSettings>> producer_config_keys() { return kProducerKeys; }
std::span<const std::string_view> unsupported_producer_config_keys() { return kUnsupportedProducerKeys; }


}  // namespace ksim::scenarios
