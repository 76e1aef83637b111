#include <catch2/catch.hpp>

#include <set>

#include "core/controller/partition_change_builder.h"

namespace ksim {
namespace {

PartitionRecord partition(std::vector<int32_t> replicas, std::vector<int32_t> isr, int32_t leader,
                          int32_t leader_epoch = 5, int32_t partition_epoch = 9) {
  PartitionRecord p;
  p.topic = std::string("t");
  p.partition = PartitionId(0);
  p.replicas = std::move(replicas);
  p.isr = std::move(isr);
  p.leader = BrokerId(leader);
  p.leader_epoch = LeaderEpoch(leader_epoch);
  p.partition_epoch = partition_epoch;
  return p;
}

// Acceptable leaders: the given brokers.
PartitionChangeBuilder::LeaderAcceptor only(std::set<int32_t> active) {
  return [active](int32_t b) { return active.count(b) > 0; };
}

TEST_CASE("losing the leader elects the first ISR replica in assignment order and bumps both epochs",
          "[controller][election]") {
  const auto p = partition({3, 1, 2}, {1, 2, 3}, 3);
  const auto change = PartitionChangeBuilder(p, only({1, 2}), 1).set_target_isr({1, 2}).build();
  REQUIRE(change);
  CHECK(change->record.leader == BrokerId(1));
  CHECK(change->record.isr == std::vector<int32_t>{1, 2});
  CHECK(change->record.leader_epoch == LeaderEpoch(6));
  CHECK(change->record.partition_epoch == 10);
  CHECK(change->leader_changed);
  CHECK_FALSE(change->unclean);
}

TEST_CASE("an ISR-only change keeps the leader epoch and bumps the partition epoch", "[controller][election]") {
  const auto p = partition({1, 2, 3}, {1, 2, 3}, 1);
  const auto change = PartitionChangeBuilder(p, only({1, 2, 3}), 1).set_target_isr({1, 3}).build();
  REQUIRE(change);
  CHECK(change->record.leader == BrokerId(1));
  CHECK(change->record.leader_epoch == LeaderEpoch(5));
  CHECK(change->record.partition_epoch == 10);
  CHECK_FALSE(change->leader_changed);
}

TEST_CASE("nothing to change builds nothing", "[controller][election]") {
  const auto p = partition({1, 2, 3}, {1, 2, 3}, 1);
  CHECK_FALSE(PartitionChangeBuilder(p, only({1, 2, 3}), 1).build());
  CHECK_FALSE(PartitionChangeBuilder(p, only({1, 2, 3}), 1).set_target_isr({1, 2, 3}).build());
}

TEST_CASE("KRaft never empties the ISR: the last member stays and the partition goes offline",
          "[controller][election]") {
  const auto p = partition({1, 2}, {1}, 1);
  const auto change = PartitionChangeBuilder(p, only({2}), 1).set_target_isr({}).build();
  REQUIRE(change);
  CHECK(change->record.isr == std::vector<int32_t>{1});
  CHECK(change->record.leader == kNoBroker);
  CHECK(change->record.leader_epoch == LeaderEpoch(6));
}

TEST_CASE("an offline partition comes back when its last ISR member is acceptable again", "[controller][election]") {
  const auto p = partition({1, 2}, {1}, -1);
  CHECK_FALSE(PartitionChangeBuilder(p, only({2}), 1).build());  // 2 is not in the ISR
  const auto change = PartitionChangeBuilder(p, only({1, 2}), 1).build();
  REQUIRE(change);
  CHECK(change->record.leader == BrokerId(1));
  CHECK(change->record.leader_epoch == LeaderEpoch(6));
}

TEST_CASE("unclean election picks an out-of-sync replica and makes it the whole ISR", "[controller][election]") {
  const auto p = partition({1, 2, 3}, {1}, 1);
  const auto clean = PartitionChangeBuilder(p, only({3, 2}), 1).set_target_isr({}).build();
  REQUIRE(clean);
  CHECK(clean->record.leader == kNoBroker);
  const auto unclean =
      PartitionChangeBuilder(p, only({3, 2}), 1).set_target_isr({}).set_election(Election::unclean).build();
  REQUIRE(unclean);
  CHECK(unclean->record.leader == BrokerId(2));  // assignment order, not id order
  CHECK(unclean->record.isr == std::vector<int32_t>{2});
  CHECK(unclean->unclean);
}

TEST_CASE("unclean election still prefers an ISR member", "[controller][election]") {
  const auto p = partition({1, 2, 3}, {1, 3}, 1);
  const auto change =
      PartitionChangeBuilder(p, only({2, 3}), 1).set_target_isr({3}).set_election(Election::unclean).build();
  REQUIRE(change);
  CHECK(change->record.leader == BrokerId(3));
  CHECK_FALSE(change->unclean);
}

TEST_CASE("a valid current leader is kept even if an earlier replica could lead", "[controller][election]") {
  const auto p = partition({1, 2, 3}, {1, 2, 3}, 2);
  CHECK_FALSE(PartitionChangeBuilder(p, only({1, 2, 3}), 1).build());
}

TEST_CASE("preferred election moves leadership to the first replica only if it is in the ISR and acceptable",
          "[controller][election]") {
  const auto p = partition({1, 2, 3}, {1, 2, 3}, 2);
  const auto change = PartitionChangeBuilder(p, only({1, 2, 3}), 1).set_election(Election::preferred).build();
  REQUIRE(change);
  CHECK(change->record.leader == BrokerId(1));
  const auto not_in_isr = partition({1, 2, 3}, {2, 3}, 2);
  CHECK_FALSE(PartitionChangeBuilder(not_in_isr, only({1, 2, 3}), 1).set_election(Election::preferred).build());
  CHECK_FALSE(PartitionChangeBuilder(p, only({2, 3}), 1).set_election(Election::preferred).build());
}

TEST_CASE("KIP-966: replicas leaving an ISR below min ISR become eligible leaders", "[controller][election][elr]") {
  // min ISR 2. Losing 3 leaves ISR {1,2} (not below): no ELR.
  auto p = partition({1, 2, 3}, {1, 2, 3}, 1);
  auto c1 = PartitionChangeBuilder(p, only({1, 2}), 2).set_elr_enabled(true).set_target_isr({1, 2}).build();
  REQUIRE(c1);
  CHECK(c1->record.elr.empty());
  // Losing 2: ISR {1} is below min ISR, 2 joins the ELR.
  auto c2 = PartitionChangeBuilder(c1->record, only({1}), 2).set_elr_enabled(true).set_target_isr({1}).build();
  REQUIRE(c2);
  CHECK(c2->record.isr == std::vector<int32_t>{1});
  CHECK(c2->record.elr == std::vector<int32_t>{2});
  // Losing the leader 1: the ISR may now be empty, 1 joins the ELR, the
  // partition is offline and remembers 1 as its last known leader.
  auto c3 = PartitionChangeBuilder(c2->record, only({}), 2).set_elr_enabled(true).set_target_isr({}).build();
  REQUIRE(c3);
  CHECK(c3->record.isr.empty());
  CHECK(c3->record.elr == std::vector<int32_t>{1, 2});
  CHECK(c3->record.leader == kNoBroker);
  CHECK(c3->record.last_known_elr == std::vector<int32_t>{1});
  // 2 comes back: an ELR member leads and becomes the ISR.
  auto c4 = PartitionChangeBuilder(c3->record, only({2}), 2).set_elr_enabled(true).build();
  REQUIRE(c4);
  CHECK(c4->record.leader == BrokerId(2));
  CHECK(c4->record.isr == std::vector<int32_t>{2});
  CHECK(c4->record.elr == std::vector<int32_t>{1});
  CHECK(c4->record.last_known_elr.empty());
  CHECK(c4->elected_from_elr);
  CHECK_FALSE(c4->unclean);
}

TEST_CASE("KIP-966: an unclean shutdown removes the replica from the ELR but the last known leader can still lead",
          "[controller][election][elr]") {
  auto p = partition({1, 2}, {}, -1);
  p.elr = {1};
  p.last_known_elr = {1};
  auto c = PartitionChangeBuilder(p, only({}), 2).set_elr_enabled(true).set_unclean_shutdown_replica(1).build();
  REQUIRE(c);
  CHECK(c->record.elr.empty());
  CHECK(c->record.last_known_elr == std::vector<int32_t>{1});
  CHECK(c->record.leader == kNoBroker);
  // Balanced recovery: with ISR and ELR empty, the last known leader is
  // elected once acceptable (ksim requires that; see the header).
  auto back = PartitionChangeBuilder(c->record, only({1}), 2).set_elr_enabled(true).build();
  REQUIRE(back);
  CHECK(back->record.leader == BrokerId(1));
  CHECK(back->record.isr == std::vector<int32_t>{1});
  CHECK(back->unclean);
  CHECK_FALSE(PartitionChangeBuilder(c->record, only({2}), 2).set_elr_enabled(true).build());
}

}  // namespace
}  // namespace ksim
