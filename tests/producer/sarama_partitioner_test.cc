// sarama (the Go client): hash partitioners index all partitions, the others
// index the writable ones.
#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "core/producer/partitioner/key_hash_partition.h"
#include "core/producer/partitioner/sarama_partitioner.h"
#include "tests/producer/toy_accumulator.h"

namespace ksim::producer {
namespace {

using testing::partition_of;
using SaramaKind = SaramaPartitioner::Kind;

TEST_CASE("sarama round robin walks the writable partitions from 0 and wraps", "[producer][partitioner][sarama]") {
  // IBM/sarama partitioner_test.go TestRoundRobinPartitioner: 0 with one
  // partition, then i % 7 for i = 1..49 with seven.
  SaramaPartitioner partitioner(SaramaKind::round_robin);
  CHECK_FALSE(partitioner.calls_on_new_batch());
  ClusterView cluster;
  cluster.set_topic("t", 1);
  Rng rng(1);
  CHECK(partition_of(partitioner, cluster, rng, "t") == PartitionId(0));
  cluster.set_topic("t", 7);
  for (int i = 1; i < 50; ++i) REQUIRE(partition_of(partitioner, cluster, rng, "t", "any key") == PartitionId(i % 7));
}

TEST_CASE("sarama round robin and random only use partitions with a leader", "[producer][partitioner][sarama]") {
  ClusterView cluster;
  cluster.set_topic("t", 6, {PartitionId(2), PartitionId(5)});
  Rng rng(3);
  SaramaPartitioner round_robin(SaramaKind::round_robin);
  std::vector<int32_t> placed;
  for (int i = 0; i < 4; ++i) placed.push_back(partition_of(round_robin, cluster, rng, "t").value);
  CHECK(placed == std::vector<int32_t>{2, 5, 2, 5});

  SaramaPartitioner random(SaramaKind::random);
  std::set<PartitionId> seen;
  for (int i = 0; i < 200; ++i) seen.insert(partition_of(random, cluster, rng, "t", "key"));
  CHECK(seen == std::set<PartitionId>{PartitionId(2), PartitionId(5)});
}

TEST_CASE("sarama: with no writable partition, a non-consistent choice fails with LeaderNotAvailable",
          "[producer][partitioner][sarama]") {
  ClusterView cluster;
  cluster.set_topic("t", 4, {});
  Rng rng(1);
  for (SaramaKind kind : {SaramaKind::random, SaramaKind::round_robin, SaramaKind::hash}) {
    SaramaPartitioner partitioner(kind);
    const PartitionResult r = partitioner.partition({"t", std::nullopt, std::nullopt}, cluster, SimTime::zero(), rng);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == PartitionError::leader_not_available);
  }
  // A keyed record needs consistency: it goes to its hash partition regardless.
  SaramaPartitioner hash(SaramaKind::hash);
  CHECK(partition_of(hash, cluster, rng, "t", "foo") == sarama_hash_partition("foo", 4));
}

TEST_CASE("sarama hash partitioners: keys by their hash over all partitions, nil keys at random among writable",
          "[producer][partitioner][sarama]") {
  ClusterView cluster;
  cluster.set_topic("t", 50, {PartitionId(7)});
  Rng rng(1);
  SaramaPartitioner hash(SaramaKind::hash);
  SaramaPartitioner reference(SaramaKind::reference_hash);
  SaramaPartitioner crc(SaramaKind::consistent_crc);
  SaramaPartitioner murmur(SaramaKind::murmur2);
  // sarama's TestHashPartitionerMinInt32 key: the two FNV variants differ.
  CHECK(partition_of(hash, cluster, rng, "t", "1468509572224") == PartitionId(48));
  CHECK(partition_of(reference, cluster, rng, "t", "1468509572224") == PartitionId(0));
  cluster.set_topic("t", 100, {PartitionId(7)});
  CHECK(partition_of(crc, cluster, rng, "t", "SheetJS") == PartitionId(26));
  CHECK(partition_of(murmur, cluster, rng, "t", "foo") == PartitionId(16));
  for (SaramaPartitioner* p : {&hash, &reference, &crc, &murmur}) {
    CHECK(partition_of(*p, cluster, rng, "t") == PartitionId(7));  // the only writable partition
    CHECK(partition_of(*p, cluster, rng, "t", "") == partition_of(*p, cluster, rng, "t", ""));  // empty key: hashed
  }
}

TEST_CASE("sarama manual: the record's own partition, or partition 0 when it names none",
          "[producer][partitioner][sarama]") {
  SaramaPartitioner manual(SaramaKind::manual);
  ClusterView cluster;
  cluster.set_topic("t", 50, {});
  Rng rng(1);
  CHECK(partition_of(manual, cluster, rng, "t", "key") == PartitionId(0));
  for (int32_t i = 1; i < 50; ++i) {
    const PartitionResult r = manual.partition({"t", std::nullopt, PartitionId(i)}, cluster, SimTime::zero(), rng);
    REQUIRE(r.ok());
    REQUIRE(r.choice().partition == PartitionId(i));
  }
  CHECK(manual.partition({"t", std::nullopt, PartitionId(50)}, cluster, SimTime::zero(), rng).error() ==
        PartitionError::invalid_partition);
}

}  // namespace
}  // namespace ksim::producer
