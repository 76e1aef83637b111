#pragma once
// Key -> partition formulas: how each client turns a key's hash into a partition
// number. They are pure functions of (key bytes, partition count) and never look
// at availability: a key must map to the same partition whether or not its
// leader is up, or per-key ordering breaks. (Every client below takes the
// modulus over *all* partitions of the topic for keyed records.)
//
// The clients disagree, so the same key can land on different partitions
// depending on who produced it; that is a real interoperability trap, and the
// reason `ksim partition` can answer for each client.
//
//   formula                     client and source
//   kafka_partition_for_key     Java: Utils.toPositive(Utils.murmur2(key)) % n
//                               (BuiltInPartitioner.partitionForKey; DefaultPartitioner
//                               before 3.3); librdkafka murmur2/murmur2_random and
//                               sarama's Murmur2Partitioner compute the same.
//   sarama_hash_partition       sarama HashPartitioner (its default):
//                               r = int32(fnv1a32(key)) % n, then r = -r if r < 0
//                               (Go's % truncates toward zero, as C++'s does).
//   sarama_reference_hash_...   sarama ReferenceHashPartitioner:
//                               (int32(fnv1a32(key)) & 0x7fffffff) % n, i.e. Java's
//                               toPositive applied to FNV-1a.
//   crc32_partition             librdkafka consistent/consistent_random and sarama
//                               ConsistentCRCHashPartitioner: crc32(key) % n in
//                               unsigned 32-bit arithmetic.
//   librdkafka_fnv1a_partition  librdkafka fnv1a/fnv1a_random: h = int32(fnv1a32(key)),
//                               h = -h if negative, then uint32(h) % n. This equals
//                               sarama_hash_partition for every key (|h| % n == |h % n|
//                               under truncating division, INT32_MIN included), which
//                               is what librdkafka intended (rdfnv1a.c).
//
// Precondition of every function: partition_count >= 1.
#include <cstdint>
#include <string_view>

#include "core/base/ids.h"

namespace ksim::producer {

PartitionId kafka_partition_for_key(std::string_view key, int32_t partition_count);
PartitionId sarama_hash_partition(std::string_view key, int32_t partition_count);
PartitionId sarama_reference_hash_partition(std::string_view key, int32_t partition_count);
PartitionId crc32_partition(std::string_view key, int32_t partition_count);
PartitionId librdkafka_fnv1a_partition(std::string_view key, int32_t partition_count);

}  // namespace ksim::producer
