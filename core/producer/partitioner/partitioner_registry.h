#pragma once
// The partitioners ksim can run, by name: the one place that maps a name from a
// scenario, the CLI or a test to an implementation, and says which of them map
// a key to a partition by hashing alone (what `ksim partition` can compute).
//
// Names. Each partitioner has one canonical ksim name and may have aliases:
// the Java client's `partitioner.class` values, and librdkafka's `partitioner`
// values verbatim. Matching is exact (Java class names are case-sensitive);
// for anything else, unknown_partitioner_message suggests the closest name.
//
//   builtin (alias default)       Java 3.3+ KIP-794 (partitioner.class unset) - ksim's default
//   sticky-kip480                 Java 2.4-3.x ...producer.internals.DefaultPartitioner
//   uniform-sticky                Java 2.4-3.x ...producer.UniformStickyPartitioner
//   legacy-roundrobin             Java 0.10.2-2.3 DefaultPartitioner
//   roundrobin                    Java ...producer.RoundRobinPartitioner (4.x, fixed)
//   roundrobin-kafka-16283        the same class in 2.4-3.8, skipping on new batches
//   sarama-hash, sarama-reference-hash, sarama-consistent-crc, sarama-murmur2,
//   sarama-random, sarama-roundrobin, sarama-manual
//   random, consistent, consistent_random, murmur2, murmur2_random, fnv1a, fnv1a_random
//                                 librdkafka
//
// The Java class name ...internals.DefaultPartitioner names the 2.4-3.x
// behaviour (the class's last one before 4.0 removed it); the pre-2.4 behaviour
// of that class is only reachable as legacy-roundrobin.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/producer/partitioner/partitioner.h"
#include "core/producer/partitioner/partitioner_config.h"

namespace ksim::producer {

// A pure key -> partition function (key_hash_partition.h); partition_count >= 1.
using KeyToPartition = PartitionId (*)(std::string_view key, int32_t partition_count);

struct PartitionerInfo {
  std::string_view name;                       // canonical ksim name
  std::span<const std::string_view> aliases;   // other accepted names
  std::string_view client;                     // whose behaviour, which versions
  std::string_view summary;                    // one line: what it does
  // With the default config: how a non-null key is mapped, if purely by its
  // hash; nullptr if the answer depends on state or chance.
  KeyToPartition key_to_partition = nullptr;
  // When key_to_partition is null: why a key alone does not decide.
  std::string_view not_keyed_reason;
  // librdkafka consistent_random: an empty key is partitioned like a null one.
  bool empty_key_is_unkeyed = false;
};

// Every partitioner, in the order they are listed to users.
std::span<const PartitionerInfo> all_partitioners();

// By canonical name or alias; nullptr if unknown.
const PartitionerInfo* find_partitioner(std::string_view name);

// The closest known name or alias to a misspelled one, if any is close enough.
std::optional<std::string_view> suggest_partitioner_name(std::string_view misspelled);

// "unknown partitioner 'x'; did you mean 'y'? Valid partitioners: a, b, ...".
std::string unknown_partitioner_message(std::string_view name);

struct MakePartitionerResult {
  std::unique_ptr<Partitioner> partitioner;  // set on success
  std::string error;                         // set on failure: unknown name or bad config

  bool ok() const { return partitioner != nullptr; }
};

// Builds the partitioner `name` (canonical or alias) with `config`. Bad input
// (an unknown name, batch.size < 1, a negative
// partitioner.availability.timeout.ms, sticky.partitioning.linger.ms outside
// 0..900000) is an error value, not an assertion.
MakePartitionerResult make_partitioner(std::string_view name, const PartitionerConfig& config = {});

}  // namespace ksim::producer
