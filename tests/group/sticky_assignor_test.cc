// StickyAssignor (eager) against Kafka's Javadoc, AbstractStickyAssignorTest and
// seed note 001.
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {
using namespace testing;

TEST_CASE("sticky starting fresh deals like roundrobin when all subscriptions are equal", "[group][assignor][sticky]") {
  // StickyAssignor Javadoc, example 1: four topics of two partitions, three members.
  Group g;
  g.topic("t0", 2).topic("t1", 2).topic("t2", 2).topic("t3", 2);
  for (const char* m : {"C0", "C1", "C2"}) g.member(m, {"t0", "t1", "t2", "t3"});
  const GroupAssignment sticky = run("sticky", g).assignment;
  CHECK(sticky.at("C0") == parts({"t0-0", "t1-1", "t3-0"}));
  CHECK(sticky.at("C1") == parts({"t0-1", "t2-0", "t3-1"}));
  CHECK(sticky.at("C2") == parts({"t1-0", "t2-1"}));
  CHECK(run("roundrobin", g).assignment == sticky);
}

TEST_CASE("sticky: when a member leaves, the others keep everything and only its partitions move",
          "[group][assignor][sticky]") {
  // Javadoc example 1 continued: C1 leaves. RoundRobin reshuffles; Sticky keeps
  // C0's and C2's partitions and splits C1's three between them. (The Javadoc,
  // written for the pre-2.6 algorithm, gives t2-0 to C0 and t0-1, t3-1 to C2;
  // today's quota filling deals C1's partitions in (topic, partition) order to
  // the members under quota, sorted by id: t0-1 to C0, then t2-0 and t3-1 to C2.)
  Group g;
  g.topic("t0", 2).topic("t1", 2).topic("t2", 2).topic("t3", 2);
  for (const char* m : {"C0", "C1", "C2"}) g.member(m, {"t0", "t1", "t2", "t3"});
  const GroupAssignment first = run("sticky", g).assignment;
  g.owning(first, 1).remove("C1");

  const GroupAssignment sticky = run("sticky", g).assignment;
  CHECK(sticky.at("C0") == parts({"t0-0", "t1-1", "t3-0", "t0-1"}));
  CHECK(sticky.at("C2") == parts({"t1-0", "t2-1", "t2-0", "t3-1"}));
  CHECK(count_moved(first, sticky) == 0);

  const GroupAssignment round_robin = run("roundrobin", g).assignment;
  CHECK(round_robin.at("C0") == parts({"t0-0", "t1-0", "t2-0", "t3-0"}));
  CHECK(round_robin.at("C2") == parts({"t0-1", "t1-1", "t2-1", "t3-1"}));
  CHECK(count_moved(first, round_robin) == 2);  // t1-1 and t1-0: RoundRobin keeps 3 of their 5
}

TEST_CASE("sticky balances unequal subscriptions that roundrobin leaves lopsided, and keeps 5 of 6 when one leaves",
          "[group][assignor][sticky]") {
  // StickyAssignor Javadoc, example 2, which is also seed note 001's
  // RoundRobin-vs-Sticky table: t0, t1, t2 with 1, 2, 3 partitions; C0
  // subscribes t0; C1 t0, t1; C2 t0, t1, t2.
  Group g;
  g.topic("t0", 1).topic("t1", 2).topic("t2", 3);
  g.member("C0", {"t0"}).member("C1", {"t0", "t1"}).member("C2", {"t0", "t1", "t2"});

  const GroupAssignment round_robin = run("roundrobin", g).assignment;
  CHECK(round_robin.at("C2").size() == 4);
  const GroupAssignment sticky = run("sticky", g).assignment;
  CHECK(sticky.at("C0") == parts({"t0-0"}));
  CHECK(sticky.at("C1") == parts({"t1-0", "t1-1"}));
  CHECK(sticky.at("C2") == parts({"t2-0", "t2-1", "t2-2"}));

  // C0 leaves. RoundRobin keeps 3 of the 5 assignments of C1 and C2; Sticky
  // keeps all 5 and gives C0's t0-0 to C1, the less loaded member that can take it.
  // (Seed note 001 shows the RoundRobin row as C1: t0-0, t1-0; RoundRobinAssignor
  // gives t1-1 rather than t1-0 to C1 - same counts.)
  Group rr_after = g, sticky_after = g;
  rr_after.owning(round_robin, 1).remove("C0");
  sticky_after.owning(sticky, 1).remove("C0");
  const GroupAssignment round_robin2 = run("roundrobin", rr_after).assignment;
  CHECK(round_robin2.at("C1") == parts({"t0-0", "t1-1"}));
  CHECK(round_robin2.at("C2") == parts({"t1-0", "t2-0", "t2-1", "t2-2"}));
  CHECK(count_moved(round_robin, round_robin2) == 2);  // t1-0 and t1-1 swap owners

  const GroupAssignment sticky2 = run("sticky", sticky_after).assignment;
  CHECK(sticky2.at("C1") == parts({"t0-0", "t1-0", "t1-1"}));
  CHECK(sticky2.at("C2") == parts({"t2-0", "t2-1", "t2-2"}));
  CHECK(count_moved(sticky, sticky2) == 0);
}

TEST_CASE("sticky with unequal subscriptions fills the member with the fewest partitions first",
          "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions.
  Group g;
  g.topic("topic1", 3).topic("topic2", 2);
  g.member("consumer1", {"topic1"}).member("consumer2", {"topic1", "topic2"}).member("consumer3", {"topic1"});
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic1-0", "topic1-2"}));
  CHECK(a.at("consumer2") == parts({"topic2-0", "topic2-1"}));
  CHECK(a.at("consumer3") == parts({"topic1-1"}));
}

TEST_CASE("sticky: two members join two, the old ones keep the lowest-numbered partitions up to the quota",
          "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testAddRemoveTwoConsumersTwoTopics (eager flavour).
  Group g;
  g.topic("topic1", 3).topic("topic2", 4);
  g.member("consumer1", {"topic1", "topic2"}).member("consumer2", {"topic1", "topic2"});
  const GroupAssignment first = run("sticky", g).assignment;
  CHECK(first.at("consumer1") == parts({"topic1-0", "topic1-2", "topic2-1", "topic2-3"}));
  CHECK(first.at("consumer2") == parts({"topic1-1", "topic2-0", "topic2-2"}));

  g.owning(first, 1).member("consumer3", {"topic1", "topic2"}, {}, 1).member("consumer4", {"topic1", "topic2"}, {}, 1);
  const GroupAssignment second = run("sticky", g).assignment;
  CHECK(second.at("consumer1") == parts({"topic1-0", "topic2-1"}));
  CHECK(second.at("consumer2") == parts({"topic2-0", "topic1-1"}));
  CHECK(second.at("consumer3") == parts({"topic1-2", "topic2-3"}));
  CHECK(second.at("consumer4") == parts({"topic2-2"}));

  g.owning(second, 2).remove("consumer1").remove("consumer2");
  const GroupAssignment third = run("sticky", g).assignment;
  CHECK(third.at("consumer3") == parts({"topic1-2", "topic2-3", "topic1-0", "topic2-1"}));
  CHECK(third.at("consumer4") == parts({"topic2-2", "topic1-1", "topic2-0"}));
}

TEST_CASE("sticky gives a partition claimed twice to the member of the newer generation", "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testEnsurePartitionsAssignedToHighestGeneration:
  // consumer2 (generation 9) and consumer3 (generation 8) both claim topic2-1.
  Group g;
  g.topic("topic", 3).topic("topic2", 3).topic("topic3", 3);
  const std::vector<std::string> all = {"topic", "topic2", "topic3"};
  g.member("consumer1", all, parts({"topic-0", "topic2-0", "topic3-0"}), 10);
  g.member("consumer2", all, parts({"topic-1", "topic2-1", "topic3-1"}), 9);
  g.member("consumer3", all, parts({"topic2-1", "topic3-0", "topic3-2"}), 8);
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic-0", "topic2-0", "topic3-0"}));
  CHECK(a.at("consumer2") == parts({"topic-1", "topic2-1", "topic3-1"}));
  CHECK(a.at("consumer3") == parts({"topic-2", "topic2-2", "topic3-2"}));
}

TEST_CASE("sticky ignores the claims of a member one generation behind", "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration:
  // both claim the same three partitions; consumer2's claim (generation 9) loses.
  Group g;
  g.topic("topic", 3).topic("topic2", 3);
  g.member("consumer1", {"topic", "topic2"}, parts({"topic-0", "topic-2", "topic2-1"}), 10);
  g.member("consumer2", {"topic", "topic2"}, parts({"topic-0", "topic-2", "topic2-1"}), 9);
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic-0", "topic-2", "topic2-1"}));
  CHECK(a.at("consumer2") == parts({"topic-1", "topic2-0", "topic2-2"}));
}

TEST_CASE("sticky: a partition claimed by two members of the same generation belongs to neither",
          "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration.
  Group g;
  g.topic("topic", 3);
  g.member("consumer1", {"topic"}, parts({"topic-0", "topic-1"}), 1);
  g.member("consumer2", {"topic"}, parts({"topic-0", "topic-2"}), 1);
  g.member("consumer3", {"topic"}, {}, 1);
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic-1"}));
  CHECK(a.at("consumer2") == parts({"topic-2"}));
  CHECK(a.at("consumer3") == parts({"topic-0"}));
}

TEST_CASE("sticky keeps the assignment of members of older generations when nobody else claims it",
          "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testNoReassignmentOnCurrentMembers.
  Group g;
  g.topic("topic", 3).topic("topic1", 3).topic("topic2", 3).topic("topic3", 3);
  const std::vector<std::string> all = {"topic", "topic2", "topic3", "topic1"};
  g.member("consumer1", all);
  g.member("consumer2", all, parts({"topic-0", "topic2-0", "topic1-0"}), 9);
  g.member("consumer3", all, parts({"topic3-2", "topic2-2", "topic1-1"}), 8);
  g.member("consumer4", all, parts({"topic3-1", "topic-1", "topic-2"}), 7);
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic1-2", "topic2-1", "topic3-0"}));
  CHECK(a.at("consumer2") == parts({"topic-0", "topic2-0", "topic1-0"}));
  CHECK(a.at("consumer3") == parts({"topic3-2", "topic2-2", "topic1-1"}));
  CHECK(a.at("consumer4") == parts({"topic3-1", "topic-1", "topic-2"}));
}

TEST_CASE("sticky: a member that unsubscribes from a topic loses its partitions, and balance comes before stickiness",
          "[group][assignor][sticky]") {
  // C0 drops topic b. Its b partitions can only go to C1, which then has 3
  // against C0's 1, so C1's a-1 moves to C0 even though C1 owned it.
  Group g;
  g.topic("a", 2).topic("b", 2);
  g.member("C0", {"a"}, parts({"a-0", "b-0", "b-1"}), 3);
  g.member("C1", {"a", "b"}, parts({"a-1"}), 3);
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("C0") == parts({"a-0", "a-1"}));
  CHECK(a.at("C1") == parts({"b-0", "b-1"}));
}

TEST_CASE("sticky: of two members owning the max quota, the one Java's HashMap visits first keeps it",
          "[group][assignor][sticky]") {
  // AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers:
  // 4 partitions, 3 members, so one member may keep 2. consumer1 and consumer2
  // own 2 each; ConstrainedAssignmentBuilder.assignOwnedPartitions visits
  // consumerToOwnedPartitions (a HashMap) as consumer3, consumer2, consumer1, so
  // consumer2 keeps both and consumer1 gives up topic2-0 to consumer3.
  Group g;
  g.topic("topic1", 2).topic("topic2", 2);
  const std::vector<std::string> both = {"topic1", "topic2"};
  g.member("consumer1", both, parts({"topic1-0", "topic2-0"}), 1);
  g.member("consumer2", both, parts({"topic1-1", "topic2-1"}), 1);
  g.member("consumer3", both, {}, 1);
  const GroupAssignment a = run("sticky", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic1-0"}));
  CHECK(a.at("consumer2") == parts({"topic1-1", "topic2-1"}));
  CHECK(a.at("consumer3") == parts({"topic2-0"}));
  // The order of the members in the JoinGroup response does not change that.
  Group reversed;
  reversed.topic("topic1", 2).topic("topic2", 2);
  reversed.member("consumer3", both, {}, 1);
  reversed.member("consumer2", both, parts({"topic1-1", "topic2-1"}), 1);
  reversed.member("consumer1", both, parts({"topic1-0", "topic2-0"}), 1);
  CHECK(run("sticky", reversed).assignment == a);
}

TEST_CASE("sticky: of two max-quota owners in one HashMap bucket, the one the leader received first keeps it",
          "[group][assignor][sticky]") {
  // "consumer-0" and "consumer-15" share bucket 14 of Java's 16, so
  // HashMap iteration meets them in insertion order: the order of the
  // JoinGroup response, which is the order of GroupSubscription.members.
  auto group_in = [](const std::vector<std::string>& order) {
    const std::map<std::string, std::vector<TopicPartition>> owned = {
        {"consumer-0", parts({"t1-0", "t2-0"})}, {"consumer-15", parts({"t1-1", "t2-1"})}, {"consumer-3", {}}};
    Group g;
    g.topic("t1", 2).topic("t2", 2);
    for (const std::string& id : order) g.member(id, {"t1", "t2"}, owned.at(id), 1);
    return g;
  };
  const GroupAssignment zero_first = run("sticky", group_in({"consumer-0", "consumer-15", "consumer-3"})).assignment;
  CHECK(zero_first.at("consumer-0") == parts({"t1-0", "t2-0"}));
  CHECK(zero_first.at("consumer-15") == parts({"t1-1"}));
  CHECK(zero_first.at("consumer-3") == parts({"t2-1"}));
  const GroupAssignment fifteen_first = run("sticky", group_in({"consumer-15", "consumer-3", "consumer-0"})).assignment;
  CHECK(fifteen_first.at("consumer-15") == parts({"t1-1", "t2-1"}));
  CHECK(fifteen_first.at("consumer-0") == parts({"t1-0"}));
  CHECK(fifteen_first.at("consumer-3") == parts({"t2-0"}));
}

TEST_CASE("sticky fills members to their quotas as Kafka's tests assert", "[group][assignor][sticky]") {
  const std::vector<std::string> both = {"topic1", "topic2"};
  // AbstractStickyAssignorTest.testConsumerOwningMinQuotaExpectedMaxQuota: both
  // own the min quota of 2; the one extra partition goes to the first member
  // (by id) at min.
  Group min_quota;
  min_quota.topic("topic1", 2).topic("topic2", 3);
  min_quota.member("consumer1", both, parts({"topic1-0", "topic2-1"}), 1);
  min_quota.member("consumer2", both, parts({"topic1-1", "topic2-2"}), 1);
  const GroupAssignment a = run("sticky", min_quota).assignment;
  CHECK(a.at("consumer1") == parts({"topic1-0", "topic2-1", "topic2-0"}));
  CHECK(a.at("consumer2") == parts({"topic1-1", "topic2-2"}));

  // AbstractStickyAssignorTest.testAllConsumersAreUnderMinQuota.
  Group under;
  under.topic("topic1", 2).topic("topic2", 3);
  under.member("consumer1", both, parts({"topic1-0"}), 1);
  under.member("consumer2", both, parts({"topic1-1"}), 1);
  under.member("consumer3", both, {}, 1);
  const GroupAssignment b = run("sticky", under).assignment;
  CHECK(b.at("consumer1") == parts({"topic1-0", "topic2-1"}));
  CHECK(b.at("consumer2") == parts({"topic1-1", "topic2-2"}));
  CHECK(b.at("consumer3") == parts({"topic2-0"}));
}

TEST_CASE("sticky is EAGER and never withholds partitions", "[group][assignor][sticky]") {
  Group g;
  g.topic("t", 3).member("C0", {"t"}, parts({"t-0", "t-1", "t-2"}), 1).member("C1", {"t"}, {}, 1);
  const AssignmentResult r = run("sticky", g);
  CHECK(find_assignor("sticky").assignor->protocol() == RebalanceProtocol::kEager);
  CHECK(r.withheld.empty());
  CHECK(r.assignment.at("C0") == parts({"t-0", "t-1"}));
  CHECK(r.assignment.at("C1") == parts({"t-2"}));
}

}  // namespace
}  // namespace ksim::group
