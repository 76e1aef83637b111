// RoundRobinAssignor against Kafka's Javadoc and seed note 001.
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {
using namespace testing;

TEST_CASE("roundrobin deals two topics of three over two members 3 and 3", "[group][assignor][roundrobin]") {
  // RoundRobinAssignor Javadoc; seed note 001 contrasts it with range's 4 and 2.
  Group g;
  g.topic("t0", 3).topic("t1", 3).member("C0", {"t0", "t1"}).member("C1", {"t0", "t1"});
  const GroupAssignment a = run("roundrobin", g).assignment;
  CHECK(a.at("C0") == parts({"t0-0", "t0-2", "t1-1"}));
  CHECK(a.at("C1") == parts({"t0-1", "t1-0", "t1-2"}));
}

TEST_CASE("roundrobin skips members not subscribed to a topic, which can leave the group unbalanced",
          "[group][assignor][roundrobin]") {
  // RoundRobinAssignor Javadoc (and seed note 001's "Java" column, which is this
  // example: C0 subscribes t0; C1 t0, t1; C2 t0, t1, t2).
  Group g;
  g.topic("t0", 1).topic("t1", 2).topic("t2", 3);
  g.member("C0", {"t0"}).member("C1", {"t0", "t1"}).member("C2", {"t0", "t1", "t2"});
  const GroupAssignment a = run("roundrobin", g).assignment;
  CHECK(a.at("C0") == parts({"t0-0"}));
  CHECK(a.at("C1") == parts({"t1-0"}));
  CHECK(a.at("C2") == parts({"t1-1", "t2-0", "t2-1", "t2-2"}));
}

TEST_CASE("roundrobin keeps one cursor across topics, so equal subscriptions balance to within one",
          "[group][assignor][roundrobin]") {
  // Seed note 001's RoundRobin case with all three members subscribed to all
  // three topics (1, 2 and 3 partitions): Java's single cursor gives 2, 2, 2.
  Group g;
  g.topic("A", 1).topic("B", 2).topic("C", 3);
  for (const char* m : {"C0", "C1", "C2"}) g.member(m, {"A", "B", "C"});
  const GroupAssignment a = run("roundrobin", g).assignment;
  CHECK(a.at("C0") == parts({"A-0", "C-0"}));
  CHECK(a.at("C1") == parts({"B-0", "C-1"}));
  CHECK(a.at("C2") == parts({"B-1", "C-2"}));
}

TEST_CASE("roundrobin orders static members by instance id, so a rolling bounce does not reshuffle",
          "[group][assignor][roundrobin][static]") {
  // RoundRobinAssignor Javadoc: C0, C1, C2 come back as C5, C3, C4.
  Group dynamic_before, dynamic_after;
  for (Group* g : {&dynamic_before, &dynamic_after}) g->topic("t0", 3).topic("t1", 3);
  for (const char* m : {"C0", "C1", "C2"}) dynamic_before.member(m, {"t0", "t1"});
  for (const char* m : {"C5", "C3", "C4"}) dynamic_after.member(m, {"t0", "t1"});
  const GroupAssignment db = run("roundrobin", dynamic_before).assignment;
  const GroupAssignment da = run("roundrobin", dynamic_after).assignment;
  CHECK(db.at("C0") == parts({"t0-0", "t1-0"}));
  CHECK(da.at("C3") == parts({"t0-0", "t1-0"}));  // C3 was C1, which had t0-1 and t1-1
  CHECK(da.at("C5") == parts({"t0-2", "t1-2"}));  // C5 was C0

  Group static_before, static_after;
  for (Group* g : {&static_before, &static_after}) g->topic("t0", 3).topic("t1", 3);
  static_before.static_member("C0", "I0", {"t0", "t1"}).static_member("C1", "I1", {"t0", "t1"});
  static_before.static_member("C2", "I2", {"t0", "t1"});
  static_after.static_member("C5", "I0", {"t0", "t1"}).static_member("C3", "I1", {"t0", "t1"});
  static_after.static_member("C4", "I2", {"t0", "t1"});
  const GroupAssignment sb = run("roundrobin", static_before).assignment;
  const GroupAssignment sa = run("roundrobin", static_after).assignment;
  CHECK(sb.at("C0") == sa.at("C5"));
  CHECK(sb.at("C1") == sa.at("C3"));
  CHECK(sb.at("C2") == sa.at("C4"));
  CHECK(sa.at("C5") == parts({"t0-0", "t1-0"}));
}

}  // namespace
}  // namespace ksim::group
