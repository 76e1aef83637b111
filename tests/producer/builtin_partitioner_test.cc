// KIP-794: Kafka 3.3+'s built-in partitioner, ksim's default.
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "core/producer/partitioner/builtin_partitioner.h"
#include "core/producer/partitioner/key_hash_partition.h"
#include "tests/producer/toy_accumulator.h"

namespace ksim::producer {
namespace {

using testing::partition_of;
using testing::ToyAccumulator;

PartitionerConfig batch_of(int32_t batch_size) {
  PartitionerConfig config;
  config.batch_size = batch_size;
  return config;
}

TEST_CASE("builtin: a keyed record goes to murmur2 over all partitions, even ones without a leader",
          "[producer][partitioner][builtin]") {
  BuiltinPartitioner partitioner(PartitionerConfig{});
  ClusterView cluster;
  cluster.set_topic("orders", 100, {PartitionId(0)});  // only partition 0 has a leader
  Rng rng(1);
  CHECK(partition_of(partitioner, cluster, rng, "orders", "foo") == PartitionId(16));
  CHECK(partition_of(partitioner, cluster, rng, "orders", "kafka") == PartitionId(80));
  const PartitionResult r = partitioner.partition({"orders", "foo", std::nullopt}, cluster, SimTime::zero(), rng);
  CHECK_FALSE(r.choice().sticky);
}

TEST_CASE("builtin: an explicit partition wins over key and stickiness, and one outside the topic is an error",
          "[producer][partitioner][builtin]") {
  BuiltinPartitioner partitioner(PartitionerConfig{});
  ClusterView cluster;
  cluster.set_topic("orders", 6);
  Rng rng(1);
  const PartitionResult keyed = partitioner.partition({"orders", "foo", PartitionId(5)}, cluster, SimTime::zero(), rng);
  REQUIRE(keyed.ok());
  CHECK(keyed.choice().partition == PartitionId(5));
  CHECK_FALSE(keyed.choice().sticky);
  const PartitionResult bad = partitioner.partition({"orders", std::nullopt, PartitionId(6)}, cluster, SimTime::zero(), rng);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error() == PartitionError::invalid_partition);
  CHECK(partitioner.partition({"orders", std::nullopt, PartitionId(-1)}, cluster, SimTime::zero(), rng).error() ==
        PartitionError::invalid_partition);
}

TEST_CASE("builtin: null keys stick to one partition until batch.size bytes went to it",
          "[producer][partitioner][builtin]") {
  BuiltinPartitioner partitioner(batch_of(1000));
  ClusterView cluster;
  cluster.set_topic("t", 8);
  Rng rng(42);
  const PartitionResult first = partitioner.partition({"t", std::nullopt, std::nullopt}, cluster, SimTime::zero(), rng);
  REQUIRE(first.ok());
  const PartitionChoice sticky = first.choice();
  CHECK(sticky.sticky);

  SECTION("999 bytes: no switch") {
    for (int i = 0; i < 9; ++i) CHECK_FALSE(partitioner.on_bytes_appended("t", sticky, 111, true, cluster, rng));
    CHECK(partitioner.produced_bytes("t") == 999);
    CHECK(partition_of(partitioner, cluster, rng, "t") == sticky.partition);
  }
  SECTION("exactly 1000 bytes: the append that reaches batch.size switches") {
    CHECK_FALSE(partitioner.on_bytes_appended("t", sticky, 999, true, cluster, rng));
    CHECK(partitioner.on_bytes_appended("t", sticky, 1, true, cluster, rng));
    CHECK(partitioner.produced_bytes("t") == 0);  // the count restarts for the new partition
  }
  SECTION("a record that crosses the limit stays where it was put, and the next record may go elsewhere") {
    CHECK_FALSE(partitioner.on_bytes_appended("t", sticky, 900, true, cluster, rng));
    CHECK(partitioner.on_bytes_appended("t", sticky, 300, true, cluster, rng));  // 1200 >= 1000
    CHECK(partitioner.produced_bytes("t") == 0);
    REQUIRE(partitioner.sticky_partition("t").has_value());
  }
  SECTION("an incomplete batch holds the switch back until 2 x batch.size") {
    CHECK_FALSE(partitioner.on_bytes_appended("t", sticky, 1500, false, cluster, rng));
    CHECK(partitioner.sticky_partition("t") == sticky.partition);
    CHECK_FALSE(partitioner.on_bytes_appended("t", sticky, 499, false, cluster, rng));  // 1999
    CHECK(partitioner.on_bytes_appended("t", sticky, 1, false, cluster, rng));          // 2000 = 2 x batch.size
    partitioner.check_invariants();
  }
  SECTION("a held-back switch completes as soon as the batch is full (zero-byte update)") {
    CHECK_FALSE(partitioner.on_bytes_appended("t", sticky, 1200, false, cluster, rng));
    CHECK(partitioner.complete_deferred_switch("t", sticky, cluster, rng));
    CHECK(partitioner.produced_bytes("t") == 0);
  }
  SECTION("below batch.size a full batch does not switch either") {
    CHECK_FALSE(partitioner.complete_deferred_switch("t", sticky, cluster, rng));
    CHECK(partitioner.sticky_partition("t") == sticky.partition);
  }
}

TEST_CASE("builtin: bytes of keyed or explicit records do not count toward the sticky switch",
          "[producer][partitioner][builtin]") {
  BuiltinPartitioner partitioner(batch_of(100));
  ClusterView cluster;
  cluster.set_topic("t", 4);
  Rng rng(3);
  const PartitionId sticky = partition_of(partitioner, cluster, rng, "t");
  // A keyed record that happens to hash to the sticky partition is still not sticky.
  CHECK_FALSE(partitioner.on_bytes_appended("t", PartitionChoice{sticky, false}, 10000, true, cluster, rng));
  CHECK(partitioner.produced_bytes("t") == 0);
  CHECK(partitioner.sticky_partition("t") == sticky);
}

TEST_CASE("builtin: the next sticky partition is uniform among available partitions and may repeat",
          "[producer][partitioner][builtin]") {
  BuiltinPartitioner partitioner(batch_of(1));
  ClusterView cluster;
  cluster.set_topic("t", 6, {PartitionId(1), PartitionId(4)});
  Rng rng(9);
  std::map<PartitionId, int> seen;
  int repeats = 0;
  PartitionId previous = partition_of(partitioner, cluster, rng, "t");
  for (int i = 0; i < 2000; ++i) {
    REQUIRE(partitioner.on_bytes_appended("t", PartitionChoice{previous, true}, 1, true, cluster, rng));
    const PartitionId next = *partitioner.sticky_partition("t");
    ++seen[next];
    repeats += next == previous;
    previous = next;
  }
  CHECK(seen.size() == 2);  // never a partition without a leader
  CHECK(seen[PartitionId(1)] > 850);
  CHECK(seen[PartitionId(4)] > 850);
  CHECK(repeats > 800);  // unlike KIP-480, KIP-794 does not avoid the partition it leaves
}

TEST_CASE("builtin: with no partition available the sticky partition is drawn among all of them",
          "[producer][partitioner][builtin]") {
  BuiltinPartitioner partitioner(batch_of(1));
  ClusterView cluster;
  cluster.set_topic("t", 3, {});
  Rng rng(5);
  std::set<PartitionId> seen;
  PartitionId current = partition_of(partitioner, cluster, rng, "t");
  seen.insert(current);
  for (int i = 0; i < 200; ++i) {
    partitioner.on_bytes_appended("t", PartitionChoice{current, true}, 1, true, cluster, rng);
    current = *partitioner.sticky_partition("t");
    seen.insert(current);
  }
  CHECK(seen == std::set<PartitionId>{PartitionId(0), PartitionId(1), PartitionId(2)});
}

TEST_CASE("builtin: partitioner.ignore.keys sends keyed records down the sticky path too",
          "[producer][partitioner][builtin]") {
  PartitionerConfig config = batch_of(1000);
  config.partitioner_ignore_keys = true;
  BuiltinPartitioner partitioner(config);
  ClusterView cluster;
  cluster.set_topic("t", 100);
  Rng rng(11);
  const PartitionResult a = partitioner.partition({"t", "foo", std::nullopt}, cluster, SimTime::zero(), rng);
  const PartitionResult b = partitioner.partition({"t", "bar", std::nullopt}, cluster, SimTime::zero(), rng);
  REQUIRE(a.ok());
  CHECK(a.choice().sticky);
  CHECK(b.choice().partition == a.choice().partition);  // foo and bar hash to 16 and 45, but stick together
}

TEST_CASE("builtin: through an accumulator, a null-key stream fills batch.size then moves on",
          "[producer][partitioner][builtin]") {
  // batch.size 1000, records of 100 bytes, 10 records per batch: every 10
  // records the sticky partition is re-drawn.
  BuiltinPartitioner partitioner(batch_of(1000));
  ClusterView cluster;
  cluster.set_topic("t", 4);
  Rng rng(21);
  ToyAccumulator accumulator(partitioner, cluster, rng, /*records_per_batch=*/10, /*record_bytes=*/100);
  std::vector<PartitionId> placed;
  for (int i = 0; i < 100; ++i) {
    placed.push_back(accumulator.append("t"));
    partitioner.check_invariants();
  }
  for (size_t run = 0; run < 10; ++run) {
    for (size_t i = 1; i < 10; ++i) CHECK(placed[run * 10 + i] == placed[run * 10]);
  }
  CHECK(accumulator.new_batch_aborts == 0);  // the built-in partitioner is not a Partitioner class
}

TEST_CASE("builtin: adaptive partitioning favours shorter queues by KIP-794's frequency table",
          "[producer][partitioner][builtin][adaptive]") {
  BuiltinPartitioner partitioner(batch_of(1));
  ClusterView cluster;
  cluster.set_topic("t", 3);
  Rng rng(77);
  // BuiltInPartitioner's own example: queue sizes 0 3 1 -> weights 4 1 3 -> table 4 5 8.
  partitioner.update_partition_load_stats(
      "t", PartitionLoadInput{{{PartitionId(0), 0}, {PartitionId(1), 3}, {PartitionId(2), 1}}, 3});
  REQUIRE(partitioner.has_load_stats("t"));
  partitioner.check_invariants();
  std::map<PartitionId, int> seen;
  PartitionId current = partition_of(partitioner, cluster, rng, "t");
  const int draws = 8000;
  for (int i = 0; i < draws; ++i) {
    partitioner.on_bytes_appended("t", PartitionChoice{current, true}, 1, true, cluster, rng);
    current = *partitioner.sticky_partition("t");
    ++seen[current];
  }
  CHECK(seen[PartitionId(0)] == Approx(draws * 4 / 8).epsilon(0.06));
  CHECK(seen[PartitionId(1)] == Approx(draws * 1 / 8).epsilon(0.12));
  CHECK(seen[PartitionId(2)] == Approx(draws * 3 / 8).epsilon(0.06));
}

TEST_CASE("builtin: a partition left out of the load stats (availability timeout) is never chosen",
          "[producer][partitioner][builtin][adaptive]") {
  PartitionerConfig config = batch_of(1);
  config.partitioner_availability_timeout_ms = 100;
  BuiltinPartitioner partitioner(config);
  CHECK(partitioner.adaptive_partitioning());
  CHECK(partitioner.availability_timeout_ms() == 100);
  ClusterView cluster;
  cluster.set_topic("t", 3);
  Rng rng(8);
  // The accumulator excluded partition 1 (its leader has not drained for > 100 ms):
  // equal queues, but fewer included than considered, so stats apply.
  partitioner.update_partition_load_stats("t", PartitionLoadInput{{{PartitionId(0), 2}, {PartitionId(2), 2}}, 3});
  REQUIRE(partitioner.has_load_stats("t"));
  PartitionId current = partition_of(partitioner, cluster, rng, "t");
  for (int i = 0; i < 500; ++i) {
    partitioner.on_bytes_appended("t", PartitionChoice{current, true}, 1, true, cluster, rng);
    current = *partitioner.sticky_partition("t");
    REQUIRE(current != PartitionId(1));
  }
}

TEST_CASE("builtin: load stats are dropped when they cannot matter or adaptive partitioning is off",
          "[producer][partitioner][builtin][adaptive]") {
  BuiltinPartitioner partitioner(batch_of(10));
  const std::vector<PartitionQueueSize> equal{{PartitionId(0), 2}, {PartitionId(1), 2}};
  partitioner.update_partition_load_stats("t", PartitionLoadInput{equal, 2});
  CHECK_FALSE(partitioner.has_load_stats("t"));  // all equal, none excluded
  partitioner.update_partition_load_stats("t", PartitionLoadInput{{{PartitionId(0), 5}}, 1});
  CHECK_FALSE(partitioner.has_load_stats("t"));  // fewer than 2 partitions
  partitioner.update_partition_load_stats("t", PartitionLoadInput{{}, 4});
  CHECK_FALSE(partitioner.has_load_stats("t"));  // everything excluded
  partitioner.update_partition_load_stats("t", PartitionLoadInput{{{PartitionId(0), 0}, {PartitionId(1), 9}}, 2});
  CHECK(partitioner.has_load_stats("t"));
  partitioner.update_partition_load_stats("t", std::nullopt);
  CHECK_FALSE(partitioner.has_load_stats("t"));

  PartitionerConfig off = batch_of(10);
  off.partitioner_adaptive_partitioning_enable = false;
  BuiltinPartitioner uniform(off);
  CHECK_FALSE(uniform.adaptive_partitioning());
  uniform.update_partition_load_stats("t", PartitionLoadInput{{{PartitionId(0), 0}, {PartitionId(1), 9}}, 2});
  CHECK_FALSE(uniform.has_load_stats("t"));
}

TEST_CASE("builtin: the same seed gives the same sticky partitions", "[producer][partitioner][builtin][determinism]") {
  auto run = [](uint64_t seed) {
    BuiltinPartitioner partitioner(batch_of(300));
    ClusterView cluster;
    cluster.set_topic("a", 7);
    cluster.set_topic("b", 5);
    Rng rng = Rng::stream(seed, "node/p1");
    ToyAccumulator accumulator(partitioner, cluster, rng, 3, 100);
    std::vector<int32_t> placed;
    for (int i = 0; i < 300; ++i) placed.push_back(accumulator.append(i % 3 == 0 ? "b" : "a").value);
    return placed;
  };
  CHECK(run(5) == run(5));
  CHECK(run(5) != run(6));
}

}  // namespace
}  // namespace ksim::producer
