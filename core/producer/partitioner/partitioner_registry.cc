#include "core/producer/partitioner/partitioner_registry.h"

#include "core/base/suggest.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

#include "core/base/assert.h"

#include "core/producer/partitioner/builtin_partitioner.h"
#include "core/producer/partitioner/key_hash_partition.h"
#include "core/producer/partitioner/legacy_default_partitioner.h"
#include "core/producer/partitioner/librdkafka_partitioner.h"
#include "core/producer/partitioner/round_robin_partitioner.h"
#include "core/producer/partitioner/sarama_partitioner.h"
#include "core/producer/partitioner/sticky_kip480_partitioner.h"

namespace ksim::producer {
namespace {

constexpr std::array<std::string_view, 1> kBuiltinAliases{"default"};
constexpr std::array<std::string_view, 1> kKip480Aliases{"org.apache.kafka.clients.producer.internals.DefaultPartitioner"};
constexpr std::array<std::string_view, 1> kUniformStickyAliases{"org.apache.kafka.clients.producer.UniformStickyPartitioner"};
constexpr std::array<std::string_view, 1> kRoundRobinAliases{"org.apache.kafka.clients.producer.RoundRobinPartitioner"};

constexpr std::string_view kRandomReason = "it chooses partitions at random, whatever the key";
constexpr std::string_view kRoundRobinReason = "it sends each record to the next partition in turn, whatever the key";
constexpr std::string_view kStickyReason =
    "it ignores keys: every record goes to the current sticky partition, which changes with batches";
constexpr std::string_view kManualReason = "the application chooses the partition itself; the key plays no part";

const std::array<PartitionerInfo, 20>& table() {
  static const std::array<PartitionerInfo, 20> kTable{{
      {"builtin", kBuiltinAliases, "Java client 3.3+ (KIP-794, partitioner.class unset); ksim's default",
       "keyed: murmur2(key) over all partitions; null keys: sticky, switching after batch.size bytes",
       &kafka_partition_for_key, {}, false},
      {"sticky-kip480", kKip480Aliases, "Java client 2.4-3.x DefaultPartitioner (KIP-480)",
       "keyed: murmur2(key); null keys: sticky until a new batch, then a different available partition",
       &kafka_partition_for_key, {}, false},
      {"uniform-sticky", kUniformStickyAliases, "Java client 2.4-3.x UniformStickyPartitioner (KIP-480)",
       "every record, keyed or not, sticky until a new batch", nullptr, kStickyReason, false},
      {"legacy-roundrobin", {}, "Java client 0.10.2-2.3 DefaultPartitioner",
       "keyed: murmur2(key); null keys: round robin over available partitions from a random start",
       &kafka_partition_for_key, {}, false},
      {"roundrobin", kRoundRobinAliases, "Java client RoundRobinPartitioner (KIP-369), as fixed in 4.0 (KAFKA-17632)",
       "every record to the next available partition in turn", nullptr, kRoundRobinReason, false},
      {"roundrobin-kafka-16283", {}, "Java client RoundRobinPartitioner 2.4-3.8",
       "round robin that skips a partition on every new batch (KAFKA-9965/KAFKA-16283)", nullptr, kRoundRobinReason,
       false},
      {"sarama-hash", {}, "sarama HashPartitioner (sarama's default)",
       "keyed: FNV-1a, remainder as int32, negated if negative; nil keys: random", &sarama_hash_partition, {}, false},
      {"sarama-reference-hash", {}, "sarama ReferenceHashPartitioner",
       "keyed: FNV-1a with Java's toPositive; nil keys: random", &sarama_reference_hash_partition, {}, false},
      {"sarama-consistent-crc", {}, "sarama ConsistentCRCHashPartitioner",
       "keyed: CRC-32 unsigned modulo (librdkafka-compatible); nil keys: random", &crc32_partition, {}, false},
      {"sarama-murmur2", {}, "sarama Murmur2Partitioner", "keyed: Java-compatible murmur2; nil keys: random",
       &kafka_partition_for_key, {}, false},
      {"sarama-random", {}, "sarama RandomPartitioner", "every record to a random writable partition", nullptr,
       kRandomReason, false},
      {"sarama-roundrobin", {}, "sarama RoundRobinPartitioner", "every record to the next writable partition in turn",
       nullptr, kRoundRobinReason, false},
      {"sarama-manual", {}, "sarama ManualPartitioner", "the record's own partition (0 if unset)", nullptr,
       kManualReason, false},
      {"random", {}, "librdkafka partitioner=random", "random partition (null keys sticky by time)", nullptr,
       kRandomReason, false},
      {"consistent", {}, "librdkafka partitioner=consistent", "CRC-32 of the key; null and empty keys to one partition",
       &crc32_partition, {}, false},
      {"consistent_random", {}, "librdkafka partitioner=consistent_random (librdkafka's default)",
       "CRC-32 of the key; null and empty keys random (sticky by time)", &crc32_partition, {}, true},
      {"murmur2", {}, "librdkafka partitioner=murmur2", "Java-compatible murmur2; null keys to one partition",
       &kafka_partition_for_key, {}, false},
      {"murmur2_random", {}, "librdkafka partitioner=murmur2_random",
       "Java-compatible murmur2; null keys random (sticky by time)", &kafka_partition_for_key, {}, false},
      {"fnv1a", {}, "librdkafka partitioner=fnv1a", "sarama-compatible FNV-1a; null keys to one partition",
       &librdkafka_fnv1a_partition, {}, false},
      {"fnv1a_random", {}, "librdkafka partitioner=fnv1a_random",
       "sarama-compatible FNV-1a; null keys random (sticky by time)", &librdkafka_fnv1a_partition, {}, false},
  }};
  return kTable;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}


}  // namespace

std::span<const PartitionerInfo> all_partitioners() {
  const auto& t = table();
  return std::span<const PartitionerInfo>(t.data(), t.size());
}

const PartitionerInfo* find_partitioner(std::string_view name) {
  for (const PartitionerInfo& info : all_partitioners()) {
    if (info.name == name) return &info;
    for (std::string_view alias : info.aliases) {
      if (alias == name) return &info;
    }
  }
  return nullptr;
}

std::optional<std::string_view> suggest_partitioner_name(std::string_view misspelled) {
  const std::string wanted = lower(misspelled);
  std::optional<std::string_view> best;
  size_t best_distance = SIZE_MAX;
  auto consider = [&](std::string_view candidate, std::string_view compared_as) {
    const size_t d = edit_distance(wanted, lower(compared_as));
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  };
  for (const PartitionerInfo& info : all_partitioners()) {
    consider(info.name, info.name);
    for (std::string_view alias : info.aliases) {
      consider(alias, alias);
      // "RoundRobinPartitioner" alone should find the fully qualified class name.
      const size_t dot = alias.rfind('.');
      if (dot != std::string_view::npos) consider(alias, alias.substr(dot + 1));
    }
  }
  // Close enough to be a typo: a third of the name, and at least 2 edits.
  const size_t allowed = std::max<size_t>(2, wanted.size() / 3);
  if (!best || best_distance > allowed) return std::nullopt;
  return best;
}

std::string unknown_partitioner_message(std::string_view name) {
  std::string message = "unknown partitioner '" + std::string(name) + "'";
  if (auto suggestion = suggest_partitioner_name(name)) message += "; did you mean '" + std::string(*suggestion) + "'?";
  message += " Valid partitioners:";
  bool first = true;
  for (const PartitionerInfo& info : all_partitioners()) {
    message += first ? " " : ", ";
    message += info.name;
    first = false;
  }
  message += " (Java class names are accepted too, e.g. org.apache.kafka.clients.producer.RoundRobinPartitioner)";
  return message;
}

MakePartitionerResult make_partitioner(std::string_view name, const PartitionerConfig& config) {
  MakePartitionerResult result;
  const PartitionerInfo* info = find_partitioner(name);
  if (info == nullptr) {
    result.error = unknown_partitioner_message(name);
    return result;
  }
  if (config.batch_size < 1) {
    result.error = "batch.size must be at least 1, got " + std::to_string(config.batch_size);
    return result;
  }
  if (config.partitioner_availability_timeout_ms < 0) {
    result.error = "partitioner.availability.timeout.ms must be at least 0, got " +
                   std::to_string(config.partitioner_availability_timeout_ms);
    return result;
  }
  if (config.sticky_partitioning_linger_ms < 0 || config.sticky_partitioning_linger_ms > 900000) {
    result.error = "sticky.partitioning.linger.ms must be in 0..900000, got " +
                   std::to_string(config.sticky_partitioning_linger_ms);
    return result;
  }

  const std::string_view n = info->name;
  using Sarama = SaramaPartitioner::Kind;
  using Rdk = LibrdkafkaPartitioner::Kind;
  const int64_t linger_ms = config.sticky_partitioning_linger_ms;
  auto& p = result.partitioner;
  if (n == "builtin") p = std::make_unique<BuiltinPartitioner>(config);
  else if (n == "sticky-kip480") p = std::make_unique<StickyKip480Partitioner>(StickyKip480Partitioner::Keys::hashed);
  else if (n == "uniform-sticky") p = std::make_unique<StickyKip480Partitioner>(StickyKip480Partitioner::Keys::ignored);
  else if (n == "legacy-roundrobin") p = std::make_unique<LegacyDefaultPartitioner>();
  else if (n == "roundrobin") p = std::make_unique<RoundRobinPartitioner>(RoundRobinPartitioner::Variant::fixed);
  else if (n == "roundrobin-kafka-16283") p = std::make_unique<RoundRobinPartitioner>(RoundRobinPartitioner::Variant::kafka_16283);
  else if (n == "sarama-hash") p = std::make_unique<SaramaPartitioner>(Sarama::hash);
  else if (n == "sarama-reference-hash") p = std::make_unique<SaramaPartitioner>(Sarama::reference_hash);
  else if (n == "sarama-consistent-crc") p = std::make_unique<SaramaPartitioner>(Sarama::consistent_crc);
  else if (n == "sarama-murmur2") p = std::make_unique<SaramaPartitioner>(Sarama::murmur2);
  else if (n == "sarama-random") p = std::make_unique<SaramaPartitioner>(Sarama::random);
  else if (n == "sarama-roundrobin") p = std::make_unique<SaramaPartitioner>(Sarama::round_robin);
  else if (n == "sarama-manual") p = std::make_unique<SaramaPartitioner>(Sarama::manual);
  else if (n == "random") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::random, linger_ms);
  else if (n == "consistent") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::consistent, linger_ms);
  else if (n == "consistent_random") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::consistent_random, linger_ms);
  else if (n == "murmur2") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::murmur2, linger_ms);
  else if (n == "murmur2_random") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::murmur2_random, linger_ms);
  else if (n == "fnv1a") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::fnv1a, linger_ms);
  else if (n == "fnv1a_random") p = std::make_unique<LibrdkafkaPartitioner>(Rdk::fnv1a_random, linger_ms);
  KSIM_ASSERT_MSG(p != nullptr, "partitioner " << n << " is listed but has no constructor");
  KSIM_ASSERT(p->name() == n);
  return result;
}

}  // namespace ksim::producer
