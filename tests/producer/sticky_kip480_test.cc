// KIP-480: the sticky partitioner of Kafka 2.4-3.x (DefaultPartitioner,
// UniformStickyPartitioner) switches only when the producer opens a new batch.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <vector>

#include "core/producer/partitioner/sticky_kip480_partitioner.h"
#include "tests/producer/toy_accumulator.h"

namespace ksim::producer {
namespace {

using testing::partition_of;
using testing::ToyAccumulator;
using Keys = StickyKip480Partitioner::Keys;

TEST_CASE("KIP-480: null keys stick to one partition however many records, until a new batch",
          "[producer][partitioner][kip480]") {
  StickyKip480Partitioner partitioner(Keys::hashed);
  CHECK(partitioner.calls_on_new_batch());
  ClusterView cluster;
  cluster.set_topic("t", 8);
  Rng rng(4);
  const PartitionId sticky = partition_of(partitioner, cluster, rng, "t");
  for (int i = 0; i < 1000; ++i) REQUIRE(partition_of(partitioner, cluster, rng, "t") == sticky);

  SECTION("a new batch on the sticky partition moves it to a different partition") {
    partitioner.on_new_batch("t", sticky, cluster, rng);
    const PartitionId next = partition_of(partitioner, cluster, rng, "t");
    CHECK(next != sticky);
    for (int i = 0; i < 100; ++i) REQUIRE(partition_of(partitioner, cluster, rng, "t") == next);
  }
  SECTION("a new batch on another partition (say a keyed record's) leaves it alone") {
    const PartitionId other((sticky.value + 1) % 8);
    partitioner.on_new_batch("t", other, cluster, rng);
    CHECK(partition_of(partitioner, cluster, rng, "t") == sticky);
  }
}

TEST_CASE("KIP-480: the sticky partition never switches to itself while another partition is available",
          "[producer][partitioner][kip480][property]") {
  rc::prop("switch goes elsewhere", [](uint64_t seed, uint8_t raw_count, uint8_t switches) {
    const int32_t n = 2 + raw_count % 30;
    StickyKip480Partitioner partitioner(Keys::hashed);
    ClusterView cluster;
    cluster.set_topic("t", n);
    Rng rng(seed);
    PartitionId current = partition_of(partitioner, cluster, rng, "t");
    for (int i = 0; i < 1 + switches % 50; ++i) {
      partitioner.on_new_batch("t", current, cluster, rng);
      const PartitionId next = partition_of(partitioner, cluster, rng, "t");
      RC_ASSERT(next != current);
      current = next;
    }
  });
}

TEST_CASE("KIP-480: switching considers only available partitions, and with one left it stays there",
          "[producer][partitioner][kip480]") {
  StickyKip480Partitioner partitioner(Keys::hashed);
  ClusterView cluster;
  cluster.set_topic("t", 5, {PartitionId(1), PartitionId(3)});
  Rng rng(12);
  PartitionId current = partition_of(partitioner, cluster, rng, "t");
  for (int i = 0; i < 50; ++i) {
    REQUIRE((current == PartitionId(1) || current == PartitionId(3)));
    partitioner.on_new_batch("t", current, cluster, rng);
    const PartitionId next = partition_of(partitioner, cluster, rng, "t");
    REQUIRE(next != current);  // two available: it alternates
    current = next;
  }
  cluster.set_available("t", PartitionId(1), false);
  cluster.set_available("t", PartitionId(3), false);
  cluster.set_available("t", PartitionId(4), true);
  partitioner.on_new_batch("t", current, cluster, rng);
  CHECK(partition_of(partitioner, cluster, rng, "t") == PartitionId(4));
  partitioner.on_new_batch("t", PartitionId(4), cluster, rng);
  CHECK(partition_of(partitioner, cluster, rng, "t") == PartitionId(4));  // the only one: no choice
}

TEST_CASE("KIP-480: the very first record's partition is replaced before anything is appended",
          "[producer][partitioner][kip480]") {
  // The first record finds no batch, so KafkaProducer aborts, calls onNewBatch
  // with the partition it just got, and asks again: a different partition.
  StickyKip480Partitioner partitioner(Keys::hashed);
  ClusterView cluster;
  cluster.set_topic("t", 4);
  Rng rng(30);
  ToyAccumulator accumulator(partitioner, cluster, rng, /*records_per_batch=*/5);
  const PartitionId first_choice = partition_of(partitioner, cluster, rng, "t");
  const PartitionId placed = accumulator.append("t");
  CHECK(placed != first_choice);
  CHECK(accumulator.new_batch_aborts == 1);
  // Then the stream sticks until that batch of 5 is full.
  for (int i = 0; i < 4; ++i) CHECK(accumulator.append("t") == placed);
  CHECK(accumulator.append("t") != placed);
}

TEST_CASE("KIP-480: DefaultPartitioner hashes keys, UniformStickyPartitioner ignores them",
          "[producer][partitioner][kip480]") {
  ClusterView cluster;
  cluster.set_topic("t", 100);
  Rng rng(2);
  StickyKip480Partitioner hashed(Keys::hashed);
  CHECK(partition_of(hashed, cluster, rng, "t", "foo") == PartitionId(16));
  CHECK(partition_of(hashed, cluster, rng, "t", "bar") == PartitionId(45));
  CHECK(hashed.name() == "sticky-kip480");

  StickyKip480Partitioner uniform(Keys::ignored);
  const PartitionId sticky = partition_of(uniform, cluster, rng, "t", "foo");
  CHECK(partition_of(uniform, cluster, rng, "t", "bar") == sticky);
  CHECK(partition_of(uniform, cluster, rng, "t") == sticky);
  CHECK(uniform.name() == "uniform-sticky");
}

TEST_CASE("KIP-480: each topic has its own sticky partition", "[producer][partitioner][kip480]") {
  StickyKip480Partitioner partitioner(Keys::hashed);
  ClusterView cluster;
  cluster.set_topic("a", 50);
  cluster.set_topic("b", 50);
  Rng rng(6);
  const PartitionId a = partition_of(partitioner, cluster, rng, "a");
  const PartitionId b = partition_of(partitioner, cluster, rng, "b");
  partitioner.on_new_batch("b", b, cluster, rng);
  CHECK(partition_of(partitioner, cluster, rng, "a") == a);
  CHECK(partition_of(partitioner, cluster, rng, "b") != b);
}

TEST_CASE("KIP-480: the same seed gives the same switches", "[producer][partitioner][kip480][determinism]") {
  auto run = [](uint64_t seed) {
    StickyKip480Partitioner partitioner(Keys::hashed);
    ClusterView cluster;
    cluster.set_topic("t", 9);
    Rng rng = Rng::stream(seed, "node/p1");
    ToyAccumulator accumulator(partitioner, cluster, rng, 4);
    std::vector<int32_t> placed;
    for (int i = 0; i < 200; ++i) placed.push_back(accumulator.append("t").value);
    return placed;
  };
  CHECK(run(1) == run(1));
  CHECK(run(1) != run(2));
}

}  // namespace
}  // namespace ksim::producer
