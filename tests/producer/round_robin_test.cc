// Round robin in the Java client: the pre-2.4 DefaultPartitioner for null keys,
// and RoundRobinPartitioner for every record (with and without KAFKA-17632).
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "core/producer/partitioner/legacy_default_partitioner.h"
#include "core/producer/partitioner/round_robin_partitioner.h"
#include "tests/producer/toy_accumulator.h"

namespace ksim::producer {
namespace {

using testing::partition_of;
using testing::ToyAccumulator;

std::vector<int32_t> next_partitions(Partitioner& partitioner, const ClusterView& cluster, Rng& rng, int count,
                                     std::optional<std::string_view> key = std::nullopt) {
  std::vector<int32_t> out;
  for (int i = 0; i < count; ++i) out.push_back(partition_of(partitioner, cluster, rng, "t", key).value);
  return out;
}

TEST_CASE("legacy DefaultPartitioner: null keys take the available partitions in turn from a random start",
          "[producer][partitioner][legacy]") {
  LegacyDefaultPartitioner partitioner;
  CHECK_FALSE(partitioner.calls_on_new_batch());  // onNewBatch did not exist before 2.4
  ClusterView cluster;
  cluster.set_topic("t", 4);
  Rng rng(1);
  partitioner.set_counter("t", 6);  // toPositive(6) % 4 = 2
  CHECK(next_partitions(partitioner, cluster, rng, 6) == std::vector<int32_t>{2, 3, 0, 1, 2, 3});

  SECTION("partitions without a leader are skipped: the counter indexes the available list") {
    cluster.set_topic("t", 4, {PartitionId(0), PartitionId(3)});
    partitioner.set_counter("t", 0);
    CHECK(next_partitions(partitioner, cluster, rng, 4) == std::vector<int32_t>{0, 3, 0, 3});
  }
  SECTION("with none available it cycles through all partitions") {
    cluster.set_topic("t", 3, {});
    partitioner.set_counter("t", 0);
    CHECK(next_partitions(partitioner, cluster, rng, 4) == std::vector<int32_t>{0, 1, 2, 0});
  }
  SECTION("keys still hash with murmur2") {
    cluster.set_topic("t", 100);
    CHECK(next_partitions(partitioner, cluster, rng, 2, "foo") == std::vector<int32_t>{16, 16});
  }
}

TEST_CASE("legacy DefaultPartitioner: when the Java int counter wraps, the cycle restarts at index 0",
          "[producer][partitioner][legacy]") {
  LegacyDefaultPartitioner partitioner;
  ClusterView cluster;
  cluster.set_topic("t", 3);
  Rng rng(1);
  partitioner.set_counter("t", INT32_MAX - 1);
  // toPositive(2147483646) % 3 = 0, toPositive(2147483647) % 3 = 1, then the
  // counter wraps to INT32_MIN: toPositive masks it to 0, so 0 again, not 2.
  CHECK(next_partitions(partitioner, cluster, rng, 4) == std::vector<int32_t>{0, 1, 0, 1});
}

TEST_CASE("legacy DefaultPartitioner: the starting point comes from the producer's random stream",
          "[producer][partitioner][legacy][determinism]") {
  ClusterView cluster;
  cluster.set_topic("t", 1000);
  auto first = [&](uint64_t seed) {
    LegacyDefaultPartitioner partitioner;
    Rng rng(seed);
    return partition_of(partitioner, cluster, rng, "t");
  };
  CHECK(first(3) == first(3));
  std::set<PartitionId> starts;
  for (uint64_t seed = 0; seed < 20; ++seed) starts.insert(first(seed));
  CHECK(starts.size() > 10);
}

TEST_CASE("RoundRobinPartitioner: every record, keyed or not, to the next available partition",
          "[producer][partitioner][roundrobin]") {
  RoundRobinPartitioner partitioner(RoundRobinPartitioner::Variant::fixed);
  ClusterView cluster;
  cluster.set_topic("t", 3);
  Rng rng(1);
  CHECK(next_partitions(partitioner, cluster, rng, 4, "same-key") == std::vector<int32_t>{0, 1, 2, 0});
  CHECK(next_partitions(partitioner, cluster, rng, 2) == std::vector<int32_t>{1, 2});
  cluster.set_available("t", PartitionId(1), false);
  // Counter 6, 7, 8 over the available list [0, 2].
  CHECK(next_partitions(partitioner, cluster, rng, 3) == std::vector<int32_t>{0, 2, 0});
}

TEST_CASE("RoundRobinPartitioner before KAFKA-17632 sends everything to half the partitions",
          "[producer][partitioner][roundrobin]") {
  // KAFKA-16283: with an even partition count and every record opening a new
  // batch, the second partition() call after onNewBatch skips a partition, so
  // the odd ones get everything.
  ClusterView cluster;
  cluster.set_topic("t", 4);
  Rng rng(1);
  RoundRobinPartitioner buggy(RoundRobinPartitioner::Variant::kafka_16283);
  ToyAccumulator old_client(buggy, cluster, rng, /*records_per_batch=*/1);
  for (int i = 0; i < 40; ++i) old_client.append("t");
  CHECK(old_client.records_sent_to == std::map<PartitionId, int>{{PartitionId(1), 20}, {PartitionId(3), 20}});

  RoundRobinPartitioner fixed(RoundRobinPartitioner::Variant::fixed);
  ToyAccumulator new_client(fixed, cluster, rng, /*records_per_batch=*/1);
  std::vector<int32_t> placed;
  for (int i = 0; i < 8; ++i) placed.push_back(new_client.append("t").value);
  CHECK(placed == std::vector<int32_t>{0, 1, 2, 3, 0, 1, 2, 3});
}

TEST_CASE("RoundRobinPartitioner (fixed): the remembered partition is for its topic only and used once",
          "[producer][partitioner][roundrobin]") {
  RoundRobinPartitioner partitioner(RoundRobinPartitioner::Variant::fixed);
  ClusterView cluster;
  cluster.set_topic("t", 5);
  cluster.set_topic("u", 5);
  Rng rng(1);
  partitioner.on_new_batch("t", PartitionId(3), cluster, rng);
  CHECK(partition_of(partitioner, cluster, rng, "t") == PartitionId(3));  // the counter did not move
  CHECK(partition_of(partitioner, cluster, rng, "t") == PartitionId(0));
  partitioner.on_new_batch("t", PartitionId(4), cluster, rng);
  CHECK(partition_of(partitioner, cluster, rng, "u") == PartitionId(0));  // another topic drops it
  CHECK(partition_of(partitioner, cluster, rng, "t") == PartitionId(1));
}

}  // namespace
}  // namespace ksim::producer
