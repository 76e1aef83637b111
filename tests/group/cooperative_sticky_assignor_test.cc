// CooperativeStickyAssignor (KIP-429): a partition that changes owner is revoked
// in one rebalance and assigned in the follow-up.
#include "core/group/assignor/cooperative_sticky_assignor.h"
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {
using namespace testing;

TEST_CASE("cooperative: a member that joins gets its partitions only in the follow-up rebalance",
          "[group][assignor][cooperative]") {
  Group g;
  g.topic("t", 3).member("C0", {"t"}, parts({"t-0", "t-1", "t-2"}), 1).member("C1", {"t"});

  // Rebalance 1: the sticky target is C0 [t-0, t-1], C1 [t-2], but t-2 is still
  // C0's, so nobody gets it yet: C0 sees it revoked, C1 gets nothing.
  const AssignmentResult first = run("cooperative-sticky", g);
  CHECK(first.assignment.at("C0") == parts({"t-0", "t-1"}));
  CHECK(first.assignment.at("C1").empty());
  CHECK(first.withheld == std::map<TopicPartition, std::string>{{tp("t", 2), "C1"}});
  // The eager sticky assignor hands it over at once.
  CHECK(run("sticky", g).assignment.at("C1") == parts({"t-2"}));

  // Rebalance 2: C0 rejoins owning [t-0, t-1]; t-2 is unowned and goes to C1.
  const AssignmentResult second = run("cooperative-sticky", Group{follow_up_subscription(g.subscription, first.assignment)});
  CHECK(second.assignment.at("C0") == parts({"t-0", "t-1"}));
  CHECK(second.assignment.at("C1") == parts({"t-2"}));
  CHECK(second.withheld.empty());
}

TEST_CASE("cooperative: partitions that keep their owner are never revoked, in either rebalance",
          "[group][assignor][cooperative]") {
  // AbstractStickyAssignorTest.testAddRemoveTwoConsumersTwoTopics, cooperative
  // flavour: two members join two; three partitions change owner.
  Group g;
  g.topic("topic1", 3).topic("topic2", 4);
  g.member("consumer1", {"topic1", "topic2"}, parts({"topic1-0", "topic1-2", "topic2-1", "topic2-3"}), 1);
  g.member("consumer2", {"topic1", "topic2"}, parts({"topic1-1", "topic2-0", "topic2-2"}), 1);
  g.member("consumer3", {"topic1", "topic2"}, {}, 1).member("consumer4", {"topic1", "topic2"}, {}, 1);

  const AssignmentResult first = run("cooperative-sticky", g);
  const std::map<TopicPartition, std::string> moving = {
      {tp("topic1", 2), "consumer3"}, {tp("topic2", 3), "consumer3"}, {tp("topic2", 2), "consumer4"}};
  CHECK(first.withheld == moving);
  CHECK(first.assignment.at("consumer1") == parts({"topic1-0", "topic2-1"}));
  CHECK(first.assignment.at("consumer2") == parts({"topic1-1", "topic2-0"}));
  CHECK(first.assignment.at("consumer3").empty());
  CHECK(first.assignment.at("consumer4").empty());

  const AssignmentResult second = run("cooperative-sticky", Group{follow_up_subscription(g.subscription, first.assignment)});
  CHECK(second.withheld.empty());
  CHECK(second.assignment.at("consumer1") == parts({"topic1-0", "topic2-1"}));
  CHECK(second.assignment.at("consumer2") == parts({"topic1-1", "topic2-0"}));
  CHECK(second.assignment.at("consumer3") == parts({"topic1-2", "topic2-3"}));
  CHECK(second.assignment.at("consumer4") == parts({"topic2-2"}));
  // ...which is the eager sticky assignor's one-step answer.
  CHECK(second.assignment == run("sticky", g).assignment);
}

TEST_CASE("cooperative: the partitions of a member that left go out in the first rebalance",
          "[group][assignor][cooperative]") {
  // Nobody owns them any more, so there is nothing to revoke first.
  Group g;
  g.topic("t", 4).member("C0", {"t"}, parts({"t-0", "t-1"}), 5);
  const AssignmentResult r = run("cooperative-sticky", g);
  CHECK(r.assignment.at("C0") == parts({"t-0", "t-1", "t-2", "t-3"}));
  CHECK(r.withheld.empty());
}

TEST_CASE("cooperative: a partition claimed by two members of one generation waits a round",
          "[group][assignor][cooperative]") {
  // CooperativeStickyAssignorTest.testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer:
  // topic-0 "has to be considered owned", so it cannot be assigned until both
  // claimants have revoked it.
  Group g;
  g.topic("topic", 3);
  g.member("consumer1", {"topic"}, parts({"topic-0", "topic-1"}), 1);
  g.member("consumer2", {"topic"}, parts({"topic-0", "topic-2"}), 1);
  g.member("consumer3", {"topic"}, {}, 1);
  const AssignmentResult r = run("cooperative-sticky", g);
  CHECK(r.assignment.at("consumer1") == parts({"topic-1"}));
  CHECK(r.assignment.at("consumer2") == parts({"topic-2"}));
  CHECK(r.assignment.at("consumer3").empty());
  CHECK(r.withheld == std::map<TopicPartition, std::string>{{tp("topic", 0), "consumer3"}});
}

TEST_CASE("cooperative: of two members owning the max quota, the one Java's HashMap visits first keeps it",
          "[group][assignor][cooperative]") {
  // AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers
  // under CooperativeStickyAssignor: partitionsTransferringOwnership is
  // {topic2-0 -> consumer3}, so topic2-0 is only revoked from consumer1 now.
  Group g;
  g.topic("topic1", 2).topic("topic2", 2);
  const std::vector<std::string> both = {"topic1", "topic2"};
  g.member("consumer1", both, parts({"topic1-0", "topic2-0"}), 1);
  g.member("consumer2", both, parts({"topic1-1", "topic2-1"}), 1);
  g.member("consumer3", both, {}, 1);
  const AssignmentResult first = run("cooperative-sticky", g);
  CHECK(first.withheld == std::map<TopicPartition, std::string>{{tp("topic2", 0), "consumer3"}});
  CHECK(first.assignment.at("consumer1") == parts({"topic1-0"}));
  CHECK(first.assignment.at("consumer2") == parts({"topic1-1", "topic2-1"}));
  CHECK(first.assignment.at("consumer3").empty());

  const AssignmentResult second = run("cooperative-sticky", Group{follow_up_subscription(g.subscription, first.assignment)});
  CHECK(second.withheld.empty());
  CHECK(second.assignment.at("consumer3") == parts({"topic2-0"}));
  CHECK(second.assignment.at("consumer2") == parts({"topic1-1", "topic2-1"}));
}

TEST_CASE("cooperative with unequal subscriptions withholds what some member gains and another loses",
          "[group][assignor][cooperative]") {
  // The sticky Javadoc's example 2 in reverse: C0 (subscribed to t0 only)
  // joins; C1 holds t0-0. The sticky target moves t0-0 to C0, so it is revoked
  // from C1 in round 1 and reaches C0 in round 2.
  Group g;
  g.topic("t0", 1).topic("t1", 2).topic("t2", 3);
  g.member("C0", {"t0"});
  g.member("C1", {"t0", "t1"}, parts({"t0-0", "t1-0", "t1-1"}), 1);
  g.member("C2", {"t0", "t1", "t2"}, parts({"t2-0", "t2-1", "t2-2"}), 1);
  const AssignmentResult first = run("cooperative-sticky", g);
  CHECK(first.withheld == std::map<TopicPartition, std::string>{{tp("t0", 0), "C0"}});
  CHECK(first.assignment.at("C0").empty());
  CHECK(first.assignment.at("C1") == parts({"t1-0", "t1-1"}));
  CHECK(first.assignment.at("C2") == parts({"t2-0", "t2-1", "t2-2"}));

  const AssignmentResult second = run("cooperative-sticky", Group{follow_up_subscription(g.subscription, first.assignment)});
  CHECK(second.withheld.empty());
  CHECK(second.assignment.at("C0") == parts({"t0-0"}));
}

TEST_CASE("only cooperative-sticky speaks the COOPERATIVE protocol", "[group][assignor][cooperative]") {
  for (const Assignor* a : all_assignors()) {
    INFO(a->name());
    CHECK((a->protocol() == RebalanceProtocol::kCooperative) == (a->name() == "cooperative-sticky"));
  }
  CHECK(to_string(RebalanceProtocol::kEager) == "EAGER");
  CHECK(to_string(RebalanceProtocol::kCooperative) == "COOPERATIVE");
}

TEST_CASE("the follow-up subscription owns the first round's assignment in the next generation",
          "[group][assignor][cooperative]") {
  Group g;
  g.topic("t", 2).member("C0", {"t"}, parts({"t-0", "t-1"}), 4).member("C1", {"t"});
  GroupAssignment first_round = {{"C0", parts({"t-0"})}, {"C1", {}}};
  const GroupSubscription next = follow_up_subscription(g.subscription, first_round);
  REQUIRE(next.members.size() == 2);
  CHECK(next.members[0].owned == parts({"t-0"}));
  CHECK(next.members[0].generation == GenerationId(5));
  CHECK(next.members[1].owned.empty());
  CHECK(next.members[1].generation == GenerationId(5));
  CHECK(next.partitions_per_topic == g.subscription.partitions_per_topic);
}

}  // namespace
}  // namespace ksim::group
