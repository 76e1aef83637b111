#pragma once
// Kafka's key hash: MurmurHash2 (32-bit) with Kafka's fixed seed, bit for bit the
// value org.apache.kafka.common.utils.Utils.murmur2(byte[]) returns in Java.
//
// Why it must be exact: a keyed record goes to toPositive(murmur2(key)) %
// numPartitions (BuiltInPartitioner.partitionForKey, and DefaultPartitioner
// before it). A simulator whose keys land on different partitions than the real
// client's would teach the wrong thing about ordering, skew and hot keys.
//
// Java computes in signed 32-bit ints whose multiplication wraps and whose `>>>`
// is a logical shift; here the same arithmetic is done on uint32_t, where
// wrap-around is defined, and only the result is reinterpreted as int32_t.
// librdkafka (rd_murmur2) and sarama (murmur2) compute the same function.
#include <cstdint>
#include <string_view>

namespace ksim::producer {

// The seed Kafka passes to MurmurHash2 (Utils.murmur2).
inline constexpr uint32_t kKafkaMurmur2Seed = 0x9747b28cU;

// MurmurHash2 of `bytes` (the serialized key) with Kafka's seed, as Java's
// signed int. Any byte values are allowed; the length is the string_view's.
int32_t murmur2(std::string_view bytes);

// Kafka's Utils.toPositive: clears the sign bit (x & 0x7fffffff). This is not
// the absolute value: toPositive(-1) == 0x7fffffff and toPositive(INT32_MIN) == 0.
constexpr int32_t to_positive(int32_t x) { return x & 0x7fffffff; }

}  // namespace ksim::producer
