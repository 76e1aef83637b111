// librdkafka (the C client): named partitioners, and null keys sticky by time.
#include <catch2/catch.hpp>

#include <set>

#include "core/producer/partitioner/key_hash_partition.h"
#include "core/producer/partitioner/librdkafka_partitioner.h"
#include "core/producer/partitioner/murmur2.h"
#include "tests/producer/toy_accumulator.h"

namespace ksim::producer {
namespace {

using testing::partition_of;
using Kind = LibrdkafkaPartitioner::Kind;

TEST_CASE("librdkafka: keyed partitioners hash as the C client does", "[producer][partitioner][librdkafka]") {
  ClusterView cluster;
  cluster.set_topic("t", 100);
  Rng rng(1);
  LibrdkafkaPartitioner murmur(Kind::murmur2_random, 10);
  LibrdkafkaPartitioner consistent(Kind::consistent_random, 10);
  LibrdkafkaPartitioner fnv(Kind::fnv1a_random, 10);
  CHECK(partition_of(murmur, cluster, rng, "t", "foo") == PartitionId(16));       // = the Java client
  CHECK(partition_of(consistent, cluster, rng, "t", "SheetJS") == PartitionId(26));  // unsigned CRC-32
  CHECK(partition_of(fnv, cluster, rng, "t", "1468509572224") == sarama_hash_partition("1468509572224", 100));
}

TEST_CASE("librdkafka: consistent, murmur2 and fnv1a send null keys to one fixed partition",
          "[producer][partitioner][librdkafka]") {
  ClusterView cluster;
  cluster.set_topic("t", 7);
  Rng rng(1);
  LibrdkafkaPartitioner consistent(Kind::consistent, 10);
  LibrdkafkaPartitioner murmur(Kind::murmur2, 10);
  LibrdkafkaPartitioner fnv(Kind::fnv1a, 10);
  for (LibrdkafkaPartitioner* p : {&consistent, &murmur, &fnv}) CHECK_FALSE(p->sticky_enabled());
  for (int i = 0; i < 20; ++i) {
    REQUIRE(partition_of(consistent, cluster, rng, "t") == PartitionId(0));  // crc32("") = 0
    REQUIRE(partition_of(murmur, cluster, rng, "t") == PartitionId(to_positive(murmur2("")) % 7));
    REQUIRE(partition_of(fnv, cluster, rng, "t") == PartitionId(0x7ee3623b % 7));
  }
}

TEST_CASE("librdkafka: null keys stick to a partition for sticky.partitioning.linger.ms",
          "[producer][partitioner][librdkafka]") {
  ClusterView cluster;
  cluster.set_topic("t", 50);
  Rng rng(8);
  LibrdkafkaPartitioner partitioner(Kind::murmur2_random, 10);
  CHECK(partitioner.sticky_enabled());
  const PartitionId first = partition_of(partitioner, cluster, rng, "t", std::nullopt, SimTime::from_ms(1000));
  // Up to and including exactly 10 ms later: the same partition.
  for (int64_t us = 0; us <= 10000; us += 500) {
    REQUIRE(partition_of(partitioner, cluster, rng, "t", std::nullopt, SimTime::from_ms(1000) + micros(us)) == first);
  }
  // Keyed records do not disturb it.
  CHECK(partition_of(partitioner, cluster, rng, "t", "foo", SimTime::from_ms(1005)) == PartitionId(16 % 50));
  // One microsecond past the linger: a fresh draw, timed from now.
  std::set<PartitionId> later;
  SimTime now = SimTime::from_ms(1010) + micros(1);
  for (int i = 0; i < 40; ++i) {
    later.insert(partition_of(partitioner, cluster, rng, "t", std::nullopt, now));
    now += millis(11);
  }
  CHECK(later.size() > 10);  // re-drawn every time, so it moves about
}

TEST_CASE("librdkafka: a sticky partition that loses its leader is replaced at once",
          "[producer][partitioner][librdkafka]") {
  ClusterView cluster;
  cluster.set_topic("t", 2);
  Rng rng(2);
  LibrdkafkaPartitioner partitioner(Kind::consistent_random, 1000);
  const PartitionId first = partition_of(partitioner, cluster, rng, "t");
  cluster.set_available("t", first, false);
  const PartitionId other(1 - first.value);
  // The redraw may land on the leaderless partition (two draws at most); then
  // the next record, still unavailable, redraws again. It ends up on `other`.
  PartitionId now_on = partition_of(partitioner, cluster, rng, "t", std::nullopt, SimTime::from_ms(1));
  for (int i = 0; i < 20 && now_on != other; ++i) now_on = partition_of(partitioner, cluster, rng, "t", std::nullopt, SimTime::from_ms(1));
  CHECK(now_on == other);
  for (int i = 0; i < 20; ++i) REQUIRE(partition_of(partitioner, cluster, rng, "t", std::nullopt, SimTime::from_ms(2)) == other);
}

TEST_CASE("librdkafka: consistent_random treats an empty key like a null key, the others hash it",
          "[producer][partitioner][librdkafka]") {
  ClusterView cluster;
  cluster.set_topic("t", 1000);
  Rng rng(4);
  LibrdkafkaPartitioner consistent(Kind::consistent_random, 0);  // sticky off: random per record
  std::set<PartitionId> seen;
  for (int i = 0; i < 20; ++i) seen.insert(partition_of(consistent, cluster, rng, "t", ""));
  CHECK(seen.size() > 10);
  LibrdkafkaPartitioner murmur(Kind::murmur2_random, 0);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(partition_of(murmur, cluster, rng, "t", "") == PartitionId(to_positive(murmur2("")) % 1000));
  }
}

TEST_CASE("librdkafka: random prefers partitions with a leader by drawing a second time",
          "[producer][partitioner][librdkafka]") {
  // One of two partitions has a leader: P(it) = 1/2 + 1/2 * 1/2 = 3/4.
  ClusterView cluster;
  cluster.set_topic("t", 2, {PartitionId(0)});
  Rng rng(10);
  LibrdkafkaPartitioner random(Kind::random, 0);
  int on_leader = 0;
  const int draws = 8000;
  for (int i = 0; i < draws; ++i) on_leader += partition_of(random, cluster, rng, "t", "k") == PartitionId(0);
  CHECK(on_leader == Approx(draws * 3 / 4).epsilon(0.03));
}

TEST_CASE("librdkafka: the same seed and times give the same sticky partitions",
          "[producer][partitioner][librdkafka][determinism]") {
  auto run = [](uint64_t seed) {
    ClusterView cluster;
    cluster.set_topic("t", 12);
    Rng rng = Rng::stream(seed, "node/p1");
    LibrdkafkaPartitioner partitioner(Kind::consistent_random, 10);
    std::vector<int32_t> placed;
    for (int i = 0; i < 200; ++i) placed.push_back(partition_of(partitioner, cluster, rng, "t", std::nullopt, SimTime::from_ms(i * 3)).value);
    return placed;
  };
  CHECK(run(7) == run(7));
  CHECK(run(7) != run(8));
}

}  // namespace
}  // namespace ksim::producer
