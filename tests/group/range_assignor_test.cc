// RangeAssignor against Kafka's Javadoc and RangeAssignorTest, and seed note 001.
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {
using namespace testing;

TEST_CASE("range gives the first members the extra partition of every topic: 4 and 2 out of 6",
          "[group][assignor][range]") {
  // RangeAssignor Javadoc; also seed note 001 ("C1: tAp0,tAp1,tBp0,tBp1; C2: tAp2,tBp2").
  Group g;
  g.topic("t0", 3).topic("t1", 3).member("C0", {"t0", "t1"}).member("C1", {"t0", "t1"});
  const AssignmentResult r = run("range", g);
  CHECK(r.assignment.at("C0") == parts({"t0-0", "t0-1", "t1-0", "t1-1"}));
  CHECK(r.assignment.at("C1") == parts({"t0-2", "t1-2"}));
  CHECK(r.withheld.empty());
}

TEST_CASE("range splits one topic into consecutive blocks, the first P % M members one longer",
          "[group][assignor][range]") {
  // Seed note 001's worked example: 12 partitions over 4 and over 5 members.
  Group four;
  four.topic("t", 12);
  for (const char* m : {"a", "b", "c", "d"}) four.member(m, {"t"});
  const GroupAssignment r4 = run("range", four).assignment;
  CHECK(r4.at("a") == parts({"t-0", "t-1", "t-2"}));
  CHECK(r4.at("b") == parts({"t-3", "t-4", "t-5"}));
  CHECK(r4.at("c") == parts({"t-6", "t-7", "t-8"}));
  CHECK(r4.at("d") == parts({"t-9", "t-10", "t-11"}));

  Group five = four;
  five.member("e", {"t"});
  const GroupAssignment r5 = run("range", five).assignment;
  CHECK(r5.at("a") == parts({"t-0", "t-1", "t-2"}));
  CHECK(r5.at("b") == parts({"t-3", "t-4", "t-5"}));
  CHECK(r5.at("c") == parts({"t-6", "t-7"}));
  CHECK(r5.at("d") == parts({"t-8", "t-9"}));
  CHECK(r5.at("e") == parts({"t-10", "t-11"}));
}

TEST_CASE("range only counts the members subscribed to a topic and leaves the others empty",
          "[group][assignor][range]") {
  // RangeAssignorTest.testMultipleConsumersMixedTopics.
  Group g;
  g.topic("topic1", 3).topic("topic2", 2);
  g.member("consumer1", {"topic1"}).member("consumer2", {"topic1", "topic2"}).member("consumer3", {"topic1"});
  g.member("idle", {});
  const GroupAssignment a = run("range", g).assignment;
  CHECK(a.at("consumer1") == parts({"topic1-0"}));
  CHECK(a.at("consumer2") == parts({"topic1-1", "topic2-0", "topic2-1"}));
  CHECK(a.at("consumer3") == parts({"topic1-2"}));
  CHECK(a.at("idle").empty());
}

TEST_CASE("range orders static members by group.instance.id, ahead of dynamic members",
          "[group][assignor][range][static]") {
  // RangeAssignorTest.testTwoStaticConsumersTwoTopicsSixPartitions: member id
  // "consumer-b" sorts after "consumer-a", but its instance id "instance1"
  // sorts first, and Java compares instance ids.
  Group g;
  g.topic("topic1", 3).topic("topic2", 3);
  g.static_member("consumer-b", "instance1", {"topic1", "topic2"});
  g.static_member("consumer-a", "instance2", {"topic1", "topic2"});
  GroupAssignment a = run("range", g).assignment;
  CHECK(a.at("consumer-b") == parts({"topic1-0", "topic1-1", "topic2-0", "topic2-1"}));
  CHECK(a.at("consumer-a") == parts({"topic1-2", "topic2-2"}));

  // testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions: a static
  // member sorts before any dynamic one, whatever the member ids.
  Group mixed;
  mixed.topic("topic1", 3).topic("topic2", 3);
  mixed.static_member("consumer-b", "instance1", {"topic1", "topic2"});
  mixed.member("consumer-a", {"topic1", "topic2"});
  a = run("range", mixed).assignment;
  CHECK(a.at("consumer-b") == parts({"topic1-0", "topic1-1", "topic2-0", "topic2-1"}));
  CHECK(a.at("consumer-a") == parts({"topic1-2", "topic2-2"}));
}

TEST_CASE("range with static members survives a rolling bounce that renames every member",
          "[group][assignor][range][static]") {
  // The Javadoc's static-membership example: C0 and C1 come back as C3 and C2.
  // By member id C2 < C3 would swap the ranges; by instance id they stay put.
  Group before;
  before.topic("t0", 3).topic("t1", 3);
  before.static_member("C0", "I0", {"t0", "t1"}).static_member("C1", "I1", {"t0", "t1"});
  Group after;
  after.topic("t0", 3).topic("t1", 3);
  after.static_member("C3", "I0", {"t0", "t1"}).static_member("C2", "I1", {"t0", "t1"});
  const GroupAssignment a = run("range", before).assignment;
  const GroupAssignment b = run("range", after).assignment;
  CHECK(a.at("C0") == b.at("C3"));
  CHECK(a.at("C1") == b.at("C2"));
  CHECK(b.at("C3") == parts({"t0-0", "t0-1", "t1-0", "t1-1"}));

  // Without instance ids the same renaming reshuffles the ranges.
  Group dynamic_after;
  dynamic_after.topic("t0", 3).topic("t1", 3).member("C3", {"t0", "t1"}).member("C2", {"t0", "t1"});
  CHECK(run("range", dynamic_after).assignment.at("C3") == parts({"t0-2", "t1-2"}));
}

TEST_CASE("range ignores topics missing from the metadata and partitions of unsubscribed topics",
          "[group][assignor][range]") {
  Group g;
  g.topic("t0", 2).topic("unused", 5).member("C0", {"t0", "ghost"});
  const GroupAssignment a = run("range", g).assignment;
  CHECK(a.at("C0") == parts({"t0-0", "t0-1"}));
}

}  // namespace
}  // namespace ksim::group
