// The hash functions and key -> partition formulas, checked against the numbers
// the clients' own test suites publish.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <string>

#include "core/producer/partitioner/crc32.h"
#include "core/producer/partitioner/fnv1a32.h"
#include "core/producer/partitioner/key_hash_partition.h"
#include "core/producer/partitioner/murmur2.h"

namespace ksim::producer {
namespace {

TEST_CASE("murmur2 reproduces Kafka's own published test vectors bit for bit", "[producer][partitioner][hash]") {
  // apache/kafka clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java,
  // testMurmur2 (expected values are Java ints).
  CHECK(murmur2("21") == -973932308);
  CHECK(murmur2("foobar") == -790332482);
  CHECK(murmur2("a-little-bit-long-string") == -985981536);
  CHECK(murmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(murmur2(std::string{'a', 'b', 'c'}) == 479470107);
}

TEST_CASE("murmur2 agrees with the Java values librdkafka and sarama test against", "[producer][partitioner][hash]") {
  // confluentinc/librdkafka src/rdmurmur2.c unittest_murmur2 (java_murmur2_results):
  // every tail length 0-3 and unaligned starts.
  CHECK(static_cast<uint32_t>(murmur2("kafka")) == 0xd067cf64U);
  CHECK(static_cast<uint32_t>(murmur2("giberish123456789")) == 0x8f552b0cU);
  CHECK(static_cast<uint32_t>(murmur2("1234")) == 0x9fc97b14U);
  CHECK(static_cast<uint32_t>(murmur2("234")) == 0xe7c009caU);
  CHECK(static_cast<uint32_t>(murmur2("34")) == 0x873930daU);
  CHECK(static_cast<uint32_t>(murmur2("4")) == 0x5a4b5ca1U);
  CHECK(static_cast<uint32_t>(murmur2("PreAmbleWillBeRemoved,ThePrePartThatIs")) == 0x78424f1cU);
  CHECK(static_cast<uint32_t>(murmur2("reAmbleWillBeRemoved,ThePrePartThatIs")) == 0x4a62b377U);
  CHECK(static_cast<uint32_t>(murmur2("eAmbleWillBeRemoved,ThePrePartThatIs")) == 0xe0e4e09eU);
  CHECK(static_cast<uint32_t>(murmur2("AmbleWillBeRemoved,ThePrePartThatIs")) == 0x62b8b43fU);
  CHECK(static_cast<uint32_t>(murmur2("")) == 0x106e08d9U);
  // IBM/sarama partitioner_test.go TestMurmur2 (uint32 values).
  CHECK(static_cast<uint32_t>(murmur2("foo")) == 597841616U);
  CHECK(static_cast<uint32_t>(murmur2("bar")) == 988958145U);
  CHECK(static_cast<uint32_t>(murmur2("baz")) == 1973573280U);
  CHECK(static_cast<uint32_t>(murmur2("sarama")) == 770765511U);
  CHECK(static_cast<uint32_t>(murmur2("")) == 275646681U);
}

TEST_CASE("murmur2 hashes bytes, not characters: high bytes are unsigned", "[producer][partitioner][hash]") {
  // Java masks each byte with & 0xff; a signed-char bug would change these.
  const std::string high{'\xff', '\x80', '\x00', '\x7f', '\xc3'};
  const std::string low{'\x7f', '\x00', '\x00', '\x7f', '\x43'};
  CHECK(murmur2(high) != murmur2(low));
  CHECK(murmur2(std::string(1, '\0')) != murmur2(""));
}

TEST_CASE("toPositive masks the sign bit, which is not the absolute value", "[producer][partitioner][hash]") {
  CHECK(to_positive(5) == 5);
  CHECK(to_positive(-1) == 0x7fffffff);
  CHECK(to_positive(INT32_MIN) == 0);
  CHECK(to_positive(-973932308) == 1173551340);
}

TEST_CASE("Kafka sends a key to toPositive(murmur2) modulo the partition count", "[producer][partitioner][hash]") {
  // IBM/sarama partitioner_test.go TestMurmur2Partitioner, "known Java-compatible
  // partition assignments ... verified against the Apache Kafka Java client's
  // DefaultPartitioner with 100 partitions".
  CHECK(kafka_partition_for_key("foo", 100) == PartitionId(16));
  CHECK(kafka_partition_for_key("bar", 100) == PartitionId(45));
  CHECK(kafka_partition_for_key("baz", 100) == PartitionId(80));
  CHECK(kafka_partition_for_key("kafka", 100) == PartitionId(80));
  CHECK(kafka_partition_for_key("sarama", 100) == PartitionId(11));
  // From Kafka's vectors: toPositive(-973932308) = 1173551340.
  CHECK(kafka_partition_for_key("21", 100) == PartitionId(40));
  CHECK(kafka_partition_for_key("21", 1) == PartitionId(0));
}

TEST_CASE("FNV-1a 32 matches the FNV reference vectors", "[producer][partitioner][hash]") {
  // Landon Curt Noll's FNV test suite (test_fnv.c, FNV-1a 32-bit column).
  CHECK(fnv1a32("") == 0x811c9dc5U);
  CHECK(fnv1a32("a") == 0xe40c292cU);
  CHECK(fnv1a32("foobar") == 0xbf9cf968U);
}

TEST_CASE("librdkafka's fnv1a is the absolute value of Go's FNV-1a as int32", "[producer][partitioner][hash]") {
  // confluentinc/librdkafka src/rdfnv1a.c unittest_fnv1a (golang_hashfnv_results,
  // "acquired via play.golang.org"), values after librdkafka's abs(); n = 2^31 + 1
  // is too big for int32, so compare through a partition count that keeps the hash:
  // h % n == h whenever h < n.
  const int32_t big = 0x7fffffff;
  CHECK(librdkafka_fnv1a_partition("kafka", big) == PartitionId(0xd33c4e1));
  CHECK(librdkafka_fnv1a_partition("giberish123456789", big) == PartitionId(0x77a58295));
  CHECK(librdkafka_fnv1a_partition("1234", big) == PartitionId(0x23bdd03));
  CHECK(librdkafka_fnv1a_partition("234", big) == PartitionId(0x2dea3cd2));
  CHECK(librdkafka_fnv1a_partition("34", big) == PartitionId(0x740fa83e));
  CHECK(librdkafka_fnv1a_partition("4", big) == PartitionId(0x310ca263));
  CHECK(librdkafka_fnv1a_partition("PreAmbleWillBeRemoved,ThePrePartThatIs", big) == PartitionId(0x65cbd69c));
  CHECK(librdkafka_fnv1a_partition("", big) == PartitionId(0x7ee3623b));
}

TEST_CASE("CRC-32 matches the standard check value and sarama's librdkafka-compatible vectors",
          "[producer][partitioner][hash]") {
  CHECK(crc32_ieee("123456789") == 0xcbf43926U);  // the CRC-32/ISO-HDLC check value
  CHECK(crc32_ieee("") == 0U);
  // IBM/sarama partitioner_test.go TestConsistentCRCHashPartitioner: "SheetJS has a
  // crc32 hash value of 2647669026 (which is -1647298270 as a signed int32).
  // Modding the signed value will give a partition of 70. Modding the unsigned
  // value will give 26"; and the other expected partitions of 100.
  CHECK(crc32_ieee("SheetJS") == 2647669026U);
  CHECK(crc32_partition("SheetJS", 100) == PartitionId(26));
  CHECK(crc32_partition("abc123def456", 100) == PartitionId(57));
  CHECK(crc32_partition("9e8c7f4cf45857cfff7645d6", 100) == PartitionId(24));
  CHECK(crc32_partition("3900446192ff85a5f67da10c", 100) == PartitionId(75));
  CHECK(crc32_partition("0f4407b7a67d6d27de372198", 100) == PartitionId(50));
}

TEST_CASE("sarama's HashPartitioner and ReferenceHashPartitioner disagree on negative hashes",
          "[producer][partitioner][hash]") {
  // IBM/sarama partitioner_test.go TestHashPartitionerMinInt32: "1468509572224"
  // hashes to 2147483648 (uint32), INT32_MIN as int32. HashPartitioner takes the
  // remainder first: INT32_MIN % 50 = -48, negated: 48. ReferenceHashPartitioner
  // masks the sign bit first, as Java's toPositive: 0 % 50 = 0.
  REQUIRE(fnv1a32("1468509572224") == 0x80000000U);
  CHECK(sarama_hash_partition("1468509572224", 50) == PartitionId(48));
  CHECK(sarama_reference_hash_partition("1468509572224", 50) == PartitionId(0));
  // An everyday key: fnv1a32("key-10") is negative as int32 (-873294398).
  // |-873294398 % 6| = 2, while (-873294398 & 0x7fffffff) % 6 = 0.
  CHECK(sarama_hash_partition("key-10", 6) == PartitionId(2));
  CHECK(sarama_reference_hash_partition("key-10", 6) == PartitionId(0));
  // For a non-negative hash the two agree: fnv1a32("key-0") = 1491088857.
  CHECK(sarama_hash_partition("key-0", 6) == sarama_reference_hash_partition("key-0", 6));
}

TEST_CASE("every formula stays below the partition count, and librdkafka fnv1a equals sarama's hash",
          "[producer][partitioner][hash][property]") {
  rc::prop("key -> partition formulas", [](const std::string& key, uint16_t raw_count) {
    const int32_t n = 1 + raw_count % 2000;
    for (PartitionId p : {kafka_partition_for_key(key, n), sarama_hash_partition(key, n),
                          sarama_reference_hash_partition(key, n), crc32_partition(key, n),
                          librdkafka_fnv1a_partition(key, n)}) {
      RC_ASSERT(p.value >= 0);
      RC_ASSERT(p.value < n);
    }
    // librdkafka's rdfnv1a.c says it matches sarama's NewHashPartitioner.
    RC_ASSERT(librdkafka_fnv1a_partition(key, n) == sarama_hash_partition(key, n));
  });
}

}  // namespace
}  // namespace ksim::producer
