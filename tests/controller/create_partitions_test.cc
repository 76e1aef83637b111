// CreatePartitions at the controller (ReplicationControlManager.createPartitions):
// a topic only grows, the new partitions keep its replication factor, the
// classic placement carries on from partition 0's leader, and every error is
// the one Kafka returns, with nothing written.
#include <catch2/catch.hpp>

#include "core/controller/replica_placer.h"
#include "tests/controller/controller_cluster.h"

namespace ksim::test {
namespace {

TEST_CASE("added partitions keep the replication factor and carry leadership on round robin",
          "[controller][create_partitions]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("orders", 2, 3).error == Errc::none);
  const int32_t first_leader = c.partition("orders", 0).replicas[0];

  const auto resp = c.create_partitions("orders", 5);
  REQUIRE(resp.error == Errc::none);
  CHECK(c.image().topic("orders")->partitions == 5);

  // Kafka's fixedStartIndex: both the start and the shift are partition 0's
  // first replica's index among the brokers sorted by id.
  PlacementStart start;
  start.start_index = start.replica_shift = first_leader - 1;
  start.first_partition = 2;
  const auto expected = place_replicas({{1, ""}, {2, ""}, {3, ""}}, 3, 3, start);
  REQUIRE(expected.error == Errc::none);
  for (int32_t p = 2; p < 5; ++p) {
    const auto& part = c.partition("orders", p);
    CHECK(part.replicas == expected.assignment[static_cast<size_t>(p - 2)]);
    CHECK(part.replicas.size() == 3);
    CHECK(part.isr == part.replicas);
    CHECK(part.leader.value == part.replicas[0]);
    CHECK(part.leader_epoch == LeaderEpoch(0));
    // Leadership goes on round robin from partition 0's: p leads on broker
    // (first_leader - 1 + p) % 3 + 1.
    CHECK(part.leader.value == (first_leader - 1 + p) % 3 + 1);
    CHECK(c.partition_changes("orders", p).front().reason == "created");
  }
  // The old partitions are untouched.
  CHECK(c.partition_changes("orders", 0).size() == 1);

  const auto added = c.events<trace::PartitionsAdded>();
  REQUIRE(added.size() == 1);
  CHECK(added[0].topic == "orders");
  CHECK(added[0].first_new == 2);
  CHECK(added[0].partitions == 5);
  CHECK(added[0].assignment == expected.assignment);
}

TEST_CASE("an explicit assignment for the new partitions is used as given", "[controller][create_partitions]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("orders", 1, 2).error == Errc::none);
  REQUIRE(c.create_partitions("orders", 3, {{3, 1}, {2, 3}}).error == Errc::none);
  CHECK(c.partition("orders", 1).replicas == std::vector<int32_t>{3, 1});
  CHECK(c.partition("orders", 1).leader == BrokerId(3));
  CHECK(c.partition("orders", 2).replicas == std::vector<int32_t>{2, 3});
}

TEST_CASE("CreatePartitions errors are Kafka's, and an error adds nothing", "[controller][create_partitions]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("orders", 3, 2).error == Errc::none);

  auto same = c.create_partitions("orders", 3);
  CHECK(same.error == Errc::invalid_partitions);
  CHECK(same.message == "Topic already has 3 partition(s).");
  auto fewer = c.create_partitions("orders", 2);
  CHECK(fewer.error == Errc::invalid_partitions);
  CHECK(fewer.message == "The topic orders currently has 3 partition(s); 2 would not be an increase.");
  CHECK(c.create_partitions("nope", 4).error == Errc::unknown_topic_or_partition);

  auto count_mismatch = c.create_partitions("orders", 5, {{1, 2}});
  CHECK(count_mismatch.error == Errc::invalid_replica_assignment);
  CHECK(count_mismatch.message == "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.");
  // The new partitions must have the topic's replication factor (2).
  auto wrong_rf = c.create_partitions("orders", 4, {{1, 2, 3}});
  CHECK(wrong_rf.error == Errc::invalid_replica_assignment);
  CHECK(wrong_rf.message.find("which have 2 replica(s)") != std::string::npos);
  CHECK(c.create_partitions("orders", 4, {{1, 9}}).error == Errc::invalid_replica_assignment);
  CHECK(c.create_partitions("orders", 4, {{1, 1}}).error == Errc::invalid_replica_assignment);

  CHECK(c.image().topic("orders")->partitions == 3);
  CHECK_FALSE(c.image().partition({"orders", PartitionId(3)}));
  CHECK(c.events<trace::PartitionsAdded>().empty());
}

TEST_CASE("with a broker fenced, new partitions go only to live brokers, or fail if too few are left",
          "[controller][create_partitions]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("wide", 1, 3).error == Errc::none);
  REQUIRE(c.create_topic("narrow", 1, 2, {{3, 1}}).error == Errc::none);
  c.act(3, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  REQUIRE(c.broker_info(3).fenced);

  CHECK(c.create_partitions("wide", 2).error == Errc::invalid_replication_factor);
  REQUIRE(c.create_partitions("narrow", 4).error == Errc::none);
  for (int32_t p = 1; p < 4; ++p)
    for (int32_t b : c.partition("narrow", p).replicas) CHECK(b != 3);
  // Partition 0's leader (3) is gone: the walk starts at the first active
  // broker with an id at least 3, and there is none, so at the first (1):
  // partition p leads on active broker (p mod 2).
  CHECK(c.partition("narrow", 1).leader == BrokerId(2));
  CHECK(c.partition("narrow", 2).leader == BrokerId(1));
  CHECK(c.partition("narrow", 3).leader == BrokerId(2));
}

}  // namespace
}  // namespace ksim::test
