// Where sarama's balance strategies and Java's assignors agree and disagree.
// All advertise the same protocol names ("range", "roundrobin", "sticky"), so a
// group can mix Java and Go consumers; the leader's implementation then decides.
#include "core/group/assignor/sarama_legacy_member_order.h"
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {
using namespace testing;

TEST_CASE("sarama and Java assignors advertise the same protocol names", "[group][assignor][sarama]") {
  CHECK(find_assignor("sarama-range").assignor->protocol_name() == find_assignor("range").assignor->protocol_name());
  CHECK(find_assignor("sarama-range-legacy").assignor->protocol_name() == "range");
  CHECK(find_assignor("sarama-roundrobin").assignor->protocol_name() == "roundrobin");
  CHECK(find_assignor("sarama-roundrobin-legacy").assignor->protocol_name() == "roundrobin");
  CHECK(find_assignor("sarama-sticky").assignor->protocol_name() == "sticky");
}

TEST_CASE("sarama's range agrees with Java's for dynamic members", "[group][assignor][sarama]") {
  Group g;
  g.topic("t0", 3).topic("t1", 3).topic("t2", 7);
  g.member("C0", {"t0", "t1", "t2"}).member("C1", {"t0", "t1"}).member("C2", {"t2", "t1"});
  CHECK(run("sarama-range", g).assignment == run("range", g).assignment);
}

TEST_CASE("sarama's range ignores group.instance.id, so static members lose their ranges after a bounce",
          "[group][assignor][sarama][static]") {
  // RangeAssignor Javadoc: static members C0 (I0) and C1 (I1) restart as C3 and
  // C2. Java orders by instance id: I0's member keeps the bigger share. sarama
  // orders by member id: C2 < C3, so the shares swap.
  Group g;
  g.topic("t0", 3).topic("t1", 3);
  g.static_member("C3", "I0", {"t0", "t1"}).static_member("C2", "I1", {"t0", "t1"});
  const GroupAssignment java = run("range", g).assignment;
  const GroupAssignment sarama = run("sarama-range", g).assignment;
  CHECK(java.at("C3") == parts({"t0-0", "t0-1", "t1-0", "t1-1"}));
  CHECK(java.at("C2") == parts({"t0-2", "t1-2"}));
  CHECK(sarama.at("C2") == parts({"t0-0", "t0-1", "t1-0", "t1-1"}));
  CHECK(sarama.at("C3") == parts({"t0-2", "t1-2"}));
}

TEST_CASE("legacy sarama orders each topic's members by an FNV-1a hash of topic and member id",
          "[group][assignor][sarama]") {
  // Reference values computed independently (Python, FNV-1a 32 over the code
  // points of "t" then the member id).
  CHECK(sarama_legacy_member_hash("t", "a") == 0x38453866u);
  CHECK(sarama_legacy_member_hash("t", "c") == 0x36453540u);
  CHECK(sarama_legacy_member_hash("", "") == 2166136261u);  // the FNV offset basis
  CHECK(sarama_legacy_member_order("t", {"a", "b", "c", "d", "e"}) ==
        std::vector<std::string>{"c", "b", "a", "e", "d"});
  // A byte that is not UTF-8 hashes as U+FFFD, like Go's range over a string.
  CHECK(sarama_legacy_member_hash("t", "\xff") == sarama_legacy_member_hash("t", "\xef\xbf\xbd"));
}

TEST_CASE("legacy sarama range rounds the split and hashes the order: 12 over 5 is 2,3,2,3,2 not 3,3,2,2,2",
          "[group][assignor][sarama]") {
  // Seed note 001's worked example: floor(i*2.4 + 0.5) puts the longer ranges
  // in the middle; Java puts them first. The members in legacy order are
  // c, b, a, e, d (hash order above), so the blocks go to them in that order.
  Group g;
  g.topic("t", 12);
  for (const char* m : {"a", "b", "c", "d", "e"}) g.member(m, {"t"});
  const GroupAssignment legacy = run("sarama-range-legacy", g).assignment;
  CHECK(legacy.at("c") == parts({"t-0", "t-1"}));
  CHECK(legacy.at("b") == parts({"t-2", "t-3", "t-4"}));
  CHECK(legacy.at("a") == parts({"t-5", "t-6"}));
  CHECK(legacy.at("e") == parts({"t-7", "t-8", "t-9"}));
  CHECK(legacy.at("d") == parts({"t-10", "t-11"}));

  const GroupAssignment java = run("range", g).assignment;
  CHECK(java.at("a") == parts({"t-0", "t-1", "t-2"}));
  CHECK(java.at("b") == parts({"t-3", "t-4", "t-5"}));
  CHECK(java.at("e") == parts({"t-10", "t-11"}));

  // With four members both split evenly (3 each); only the order differs.
  g.remove("e");
  const GroupAssignment legacy4 = run("sarama-range-legacy", g).assignment;
  CHECK(legacy4.at("c") == parts({"t-0", "t-1", "t-2"}));
  CHECK(legacy4.at("d") == parts({"t-9", "t-10", "t-11"}));
  CHECK(run("range", g).assignment.at("a") == parts({"t-0", "t-1", "t-2"}));
}

TEST_CASE("legacy sarama range does not co-partition: each topic's extra partition lands on a different member",
          "[group][assignor][sarama]") {
  // The Javadoc's two topics of three over C0, C1. Java: C0 gets partitions 0
  // and 1 of both topics (4 vs 2). Legacy sarama: t0 orders C0, C1 but t1
  // orders C1, C0, so the counts balance (3 and 3) but C0 reads t0-0 with
  // t1-2, not with t1-0: joins on co-partitioned keys break.
  Group g;
  g.topic("t0", 3).topic("t1", 3).member("C0", {"t0", "t1"}).member("C1", {"t0", "t1"});
  const GroupAssignment legacy = run("sarama-range-legacy", g).assignment;
  CHECK(legacy.at("C0") == parts({"t0-0", "t0-1", "t1-2"}));
  CHECK(legacy.at("C1") == parts({"t0-2", "t1-0", "t1-1"}));
  CHECK(run("range", g).assignment.at("C0") == parts({"t0-0", "t0-1", "t1-0", "t1-1"}));
}

TEST_CASE("sarama's roundrobin sorts partitions as strings, so t-10 and t-11 are dealt before t-2",
          "[group][assignor][sarama]") {
  Group g;
  g.topic("t", 12);
  for (const char* m : {"c0", "c1", "c2", "c3", "c4"}) g.member(m, {"t"});
  const GroupAssignment java = run("roundrobin", g).assignment;
  const GroupAssignment sarama = run("sarama-roundrobin", g).assignment;
  // Java deals t-0..t-11 in numeric order.
  CHECK(java.at("c0") == parts({"t-0", "t-5", "t-10"}));
  CHECK(java.at("c2") == parts({"t-2", "t-7"}));
  // sarama deals t-0, t-1, t-10, t-11, t-2, ..., t-9.
  CHECK(sarama.at("c0") == parts({"t-0", "t-3", "t-8"}));
  CHECK(sarama.at("c1") == parts({"t-1", "t-4", "t-9"}));
  CHECK(sarama.at("c2") == parts({"t-10", "t-5"}));
  CHECK(sarama.at("c3") == parts({"t-11", "t-6"}));
  CHECK(sarama.at("c4") == parts({"t-2", "t-7"}));

  // Under ten partitions per topic the orders coincide.
  Group small;
  small.topic("t0", 3).topic("t1", 3).member("C0", {"t0", "t1"}).member("C1", {"t0", "t1"});
  CHECK(run("sarama-roundrobin", small).assignment == run("roundrobin", small).assignment);
}

TEST_CASE("sarama's roundrobin lets a topic named t-1 cut into topic t", "[group][assignor][sarama]") {
  // "t-1" < "t-1-0" < "t-10" as strings.
  Group g;
  g.topic("t", 11).topic("t-1", 1);
  g.member("A", {"t", "t-1"}).member("B", {"t", "t-1"});
  const GroupAssignment java = run("roundrobin", g).assignment;
  const GroupAssignment sarama = run("sarama-roundrobin", g).assignment;
  // Java: t-0..t-10 alternate A, B, ..., A; then t-1's partition 0 goes to B.
  CHECK(java.at("B") == parts({"t-1", "t-3", "t-5", "t-7", "t-9", "t-1-0"}));
  // sarama: t-0 A, t-1 B, t-1-0 A, t-10 B, t-2 A, ...
  CHECK(sarama.at("A") == parts({"t-0", "t-1-0", "t-2", "t-4", "t-6", "t-8"}));
  CHECK(sarama.at("B") == parts({"t-1", "t-10", "t-3", "t-5", "t-7", "t-9"}));
}

TEST_CASE("sarama's roundrobin ignores group.instance.id", "[group][assignor][sarama][static]") {
  Group g;
  g.topic("t", 2).static_member("m-b", "i-1", {"t"}).static_member("m-a", "i-2", {"t"});
  CHECK(run("roundrobin", g).assignment.at("m-b") == parts({"t-0"}));
  CHECK(run("sarama-roundrobin", g).assignment.at("m-a") == parts({"t-0"}));
}

TEST_CASE("legacy sarama roundrobin restarts every topic at its first member, and whether that unbalances depends on names",
          "[group][assignor][sarama]") {
  // Seed note 001: topics of 1, 2 and 3 partitions, three members subscribed to
  // all. The note draws the Go result with the same member order for every
  // topic, which gives 3, 2, 1. Legacy sarama orders each topic by hash, so:
  Group g;
  g.topic("A", 1).topic("B", 2).topic("C", 3);
  for (const char* m : {"C0", "C1", "C2"}) g.member(m, {"A", "B", "C"});
  // Orders: A: C1 C0 C2; B: C2 C0; C: C2 C1 C0 -> 2, 2, 2 by luck.
  const GroupAssignment lucky = run("sarama-roundrobin-legacy", g).assignment;
  CHECK(lucky.at("C0") == parts({"B-1", "C-2"}));
  CHECK(lucky.at("C1") == parts({"A-0", "C-1"}));
  CHECK(lucky.at("C2") == parts({"B-0", "C-0"}));

  Group h;
  h.topic("A", 1).topic("B", 2).topic("C", 3);
  for (const char* m : {"x", "y", "z"}) h.member(m, {"A", "B", "C"});
  // Orders: A: x ...; B: y x; C: z x y -> x collects 3, z gets 1.
  const GroupAssignment unlucky = run("sarama-roundrobin-legacy", h).assignment;
  CHECK(unlucky.at("x") == parts({"A-0", "B-1", "C-1"}));
  CHECK(unlucky.at("y") == parts({"B-0", "C-2"}));
  CHECK(unlucky.at("z") == parts({"C-0"}));
  // Java's one cursor across topics: 2, 2, 2 whatever the names.
  for (const auto& [member, partitions] : run("roundrobin", h).assignment) CHECK(partitions.size() == 2);
}

TEST_CASE("sarama's sticky moves the partitions it lists first while Java's trims each member to its quota",
          "[group][assignor][sarama][sticky]") {
  // sarama's own doc example: M1 [0 2 4], M2 [1 3 5]; M3 joins. Both move
  // exactly two partitions to M3, one from each. Java keeps each member's
  // lowest-numbered partitions (ownedPartitions sorted by partition), so M3 gets
  // 4 and 5. sarama lists partitions round robin from the fullest member (ties:
  // the greater member id) and moves the first it meets: M2's first, then M1's.
  // Which partition is "first" in a member's list is up to Go's map order in
  // sarama; ksim's stand-in takes the lowest, so M3 gets 1 and 0.
  Group g;
  g.topic("T", 6);
  g.member("M1", {"T"}, parts({"T-0", "T-2", "T-4"}), 1).member("M2", {"T"}, parts({"T-1", "T-3", "T-5"}), 1);
  g.member("M3", {"T"});
  const GroupAssignment java = run("sticky", g).assignment;
  CHECK(java.at("M1") == parts({"T-0", "T-2"}));
  CHECK(java.at("M2") == parts({"T-1", "T-3"}));
  CHECK(java.at("M3") == parts({"T-4", "T-5"}));
  const GroupAssignment sarama = run("sarama-sticky", g).assignment;
  CHECK(sarama.at("M1") == parts({"T-2", "T-4"}));
  CHECK(sarama.at("M2") == parts({"T-3", "T-5"}));
  CHECK(sarama.at("M3") == parts({"T-0", "T-1"}));
}

TEST_CASE("sarama's sticky agrees with Java's on the Javadoc's unequal subscriptions", "[group][assignor][sarama][sticky]") {
  Group g;
  g.topic("t0", 1).topic("t1", 2).topic("t2", 3);
  g.member("C0", {"t0"}).member("C1", {"t0", "t1"}).member("C2", {"t0", "t1", "t2"});
  const GroupAssignment first = run("sarama-sticky", g).assignment;
  CHECK(first == run("sticky", g).assignment);
  g.owning(first, 1).remove("C0");
  const GroupAssignment second = run("sarama-sticky", g).assignment;
  CHECK(second.at("C1") == parts({"t0-0", "t1-0", "t1-1"}));
  CHECK(second.at("C2") == parts({"t2-0", "t2-1", "t2-2"}));
}

TEST_CASE("sarama's sticky keeps the newer generation's claim and remembers the older owner",
          "[group][assignor][sarama][sticky]") {
  Group g;
  g.topic("t", 4);
  g.member("A", {"t"}, parts({"t-0", "t-1", "t-2"}), 7);
  g.member("B", {"t"}, parts({"t-2", "t-3"}), 6);  // t-2: A's claim is newer
  const GroupAssignment a = run("sarama-sticky", g).assignment;
  CHECK(a.at("A").size() == 2);
  CHECK(a.at("B").size() == 2);
  CHECK(std::find(a.at("B").begin(), a.at("B").end(), tp("t", 3)) != a.at("B").end());
  // Balance needs one of A's three at B; the one B owned before (t-2) goes back.
  CHECK(a.at("B") == parts({"t-2", "t-3"}));
}

}  // namespace
}  // namespace ksim::group
