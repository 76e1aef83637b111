#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <map>
#include <set>

#include "core/controller/replica_placer.h"

namespace ksim {
namespace {

std::vector<PlacementBroker> brokers(std::initializer_list<int32_t> ids) {
  std::vector<PlacementBroker> out;
  for (int32_t id : ids) out.push_back({id, ""});
  return out;
}

using Assignment = std::vector<std::vector<int32_t>>;

TEST_CASE("classic placement reproduces Kafka's own test vector for 5 brokers, 10 partitions, RF 3",
          "[controller][placer]") {
  // AdminRackAwareTest.testReplicaAssignment (apache/kafka, core/src/test/scala/
  // unit/kafka/admin), fixedStartIndex 0: leaders go round robin, and after the
  // first round the followers shift by one so partition 5 is not a copy of 0.
  const auto placed = place_replicas(brokers({0, 1, 2, 3, 4}), 10, 3, PlacementStart{0, 0});
  REQUIRE(placed.error == Errc::none);
  CHECK(placed.assignment == Assignment{{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 0}, {4, 0, 1},
                                        {0, 2, 3}, {1, 3, 4}, {2, 4, 0}, {3, 0, 1}, {4, 1, 2}});
}

TEST_CASE("rack-aware placement alternates racks as Kafka's test expects", "[controller][placer]") {
  // AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers.
  std::vector<PlacementBroker> racked{{0, "rack1"}, {1, "rack3"}, {2, "rack3"},
                                      {3, "rack2"}, {4, "rack2"}, {5, "rack1"}};
  CHECK(rack_alternated_broker_list(racked) == std::vector<int32_t>{0, 3, 1, 5, 4, 2});
  auto without5 = racked;
  without5.pop_back();
  CHECK(rack_alternated_broker_list(without5) == std::vector<int32_t>{0, 3, 1, 4, 2});
  const auto placed = place_replicas(racked, 7, 3, PlacementStart{0, 0});
  REQUIRE(placed.error == Errc::none);
  CHECK(placed.assignment ==
        Assignment{{0, 3, 1}, {3, 1, 5}, {1, 5, 4}, {5, 4, 2}, {4, 2, 0}, {2, 0, 3}, {0, 4, 2}});
}

TEST_CASE("brokers are taken in id order whatever order they are given in", "[controller][placer]") {
  const auto a = place_replicas(brokers({3, 1, 2}), 6, 2, PlacementStart{1, 2});
  const auto b = place_replicas(brokers({1, 2, 3}), 6, 2, PlacementStart{1, 2});
  CHECK(a.assignment == b.assignment);
  CHECK(a.assignment[0][0] == 2);  // start index 1 of [1,2,3]
}

TEST_CASE("placement rejects what Kafka rejects, with Kafka's error codes", "[controller][placer]") {
  Rng rng(1);
  CHECK(place_replicas(brokers({1, 2, 3}), 0, 1, rng).error == Errc::invalid_partitions);
  CHECK(place_replicas(brokers({1, 2, 3}), 3, 0, rng).error == Errc::invalid_replication_factor);
  const auto too_many = place_replicas(brokers({1, 2, 3}), 3, 4, rng);
  CHECK(too_many.error == Errc::invalid_replication_factor);
  CHECK_THAT(too_many.message, Catch::Contains("larger than available brokers: 3"));
  // A rejected request draws nothing, so it does not perturb later placements.
  Rng fresh(1);
  CHECK(rng.next_u64() == fresh.next_u64());
}

TEST_CASE("the random start comes from the given stream: two draws, start then shift", "[controller][placer]") {
  Rng rng(42);
  Rng copy = rng;
  const auto placed = place_replicas(brokers({1, 2, 3, 4}), 8, 3, rng);
  const auto start = static_cast<int32_t>(copy.below(4));
  const auto shift = static_cast<int32_t>(copy.below(4));
  CHECK(placed.assignment == place_replicas(brokers({1, 2, 3, 4}), 8, 3, PlacementStart{start, shift}).assignment);
  CHECK(rng.next_u64() == copy.next_u64());
}

TEST_CASE("classic placement: distinct replicas, leaders balanced within one, full rounds balance every broker",
          "[controller][placer][property]") {
  rc::prop("any broker count, partition count and replication factor", [] {
    const int32_t n = *rc::gen::inRange(1, 10);
    const int32_t rf = *rc::gen::inRange(1, n + 1);
    const int32_t partitions = *rc::gen::inRange(1, 60);
    const PlacementStart start{*rc::gen::inRange(0, n), *rc::gen::inRange(0, n)};
    std::vector<PlacementBroker> bs;
    for (int32_t i = 1; i <= n; ++i) bs.push_back({i * 10, ""});
    const auto placed = place_replicas(bs, partitions, rf, start);
    RC_ASSERT(placed.error == Errc::none);
    RC_ASSERT(static_cast<int32_t>(placed.assignment.size()) == partitions);
    std::map<int32_t, int> leaders, replicas;
    for (const auto& r : placed.assignment) {
      RC_ASSERT(static_cast<int32_t>(r.size()) == rf);
      RC_ASSERT(std::set<int32_t>(r.begin(), r.end()).size() == r.size());
      for (int32_t b : r) RC_ASSERT(b % 10 == 0 && b >= 10 && b <= n * 10);
      ++leaders[r[0]];
      for (int32_t b : r) ++replicas[b];
    }
    int lo = partitions, hi = 0;
    for (int32_t i = 1; i <= n; ++i) {
      lo = std::min(lo, leaders[i * 10]);
      hi = std::max(hi, leaders[i * 10]);
    }
    RC_ASSERT(hi - lo <= 1);
    if (partitions % n == 0)
      for (int32_t i = 1; i <= n; ++i) RC_ASSERT(replicas[i * 10] == partitions * rf / n);
  });
}

TEST_CASE("rack-aware placement puts a partition's replicas on distinct racks while racks last",
          "[controller][placer][property]") {
  rc::prop("brokers spread over racks", [] {
    const int32_t n = *rc::gen::inRange(2, 10);
    const int32_t num_racks = *rc::gen::inRange(2, n + 1);
    std::vector<PlacementBroker> bs;
    for (int32_t i = 1; i <= n; ++i) bs.push_back({i, "rack" + std::to_string(*rc::gen::inRange(0, num_racks))});
    std::set<std::string> racks;
    for (const auto& b : bs) racks.insert(b.rack);
    const int32_t rf = *rc::gen::inRange(1, n + 1);
    const int32_t partitions = *rc::gen::inRange(1, 30);
    const PlacementStart start{*rc::gen::inRange(0, n), *rc::gen::inRange(0, n)};
    const auto placed = place_replicas(bs, partitions, rf, start);
    RC_ASSERT(placed.error == Errc::none);
    for (const auto& r : placed.assignment) {
      RC_ASSERT(static_cast<int32_t>(r.size()) == rf);
      RC_ASSERT(std::set<int32_t>(r.begin(), r.end()).size() == r.size());
      std::set<std::string> used;
      for (int32_t b : r) used.insert(bs[static_cast<size_t>(b - 1)].rack);
      RC_ASSERT(used.size() == std::min(static_cast<size_t>(rf), racks.size()));
    }
  });
}

}  // namespace
}  // namespace ksim
