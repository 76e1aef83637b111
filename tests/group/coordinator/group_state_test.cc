#include <catch2/catch.hpp>

#include <string>

#include "core/base/assert.h"
#include "core/group/coordinator/classic_group.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "tests/support/throw_on_assert.h"

namespace ksim {
namespace {

struct Thrown {
  std::string what;
};

}  // namespace

TEST_CASE("the classic group state table allows exactly Kafka's transitions", "[group][coordinator][state]") {
  using S = GroupState;
  const S all[] = {S::empty, S::preparing_rebalance, S::completing_rebalance, S::stable, S::dead};
  int legal = 0;
  for (S from : all)
    for (S to : all) legal += is_legal_group_transition(from, to) ? 1 : 0;
  // Empty<-PR; PR<-Stable,CR,Empty; CR<-PR; Stable<-CR; Dead<-all five.
  CHECK(legal == 1 + 3 + 1 + 1 + 5);
  CHECK(is_legal_group_transition(S::empty, S::preparing_rebalance));
  CHECK(is_legal_group_transition(S::stable, S::preparing_rebalance));
  CHECK(is_legal_group_transition(S::completing_rebalance, S::stable));
  CHECK(is_legal_group_transition(S::preparing_rebalance, S::empty));
  CHECK_FALSE(is_legal_group_transition(S::empty, S::stable));
  CHECK_FALSE(is_legal_group_transition(S::stable, S::completing_rebalance));
  CHECK_FALSE(is_legal_group_transition(S::preparing_rebalance, S::stable));
  CHECK_FALSE(is_legal_group_transition(S::dead, S::empty));
  CHECK(group_state_name(S::completing_rebalance) == "CompletingRebalance");
}

TEST_CASE("an illegal group transition is a bug and asserts", "[group][coordinator][state]") {
  const auto previous = set_assert_handler([](const AssertFailure& f) { throw Thrown{format_assert_failure(f)}; });
  ClassicGroup g("g1");
  bool threw = false;
  try {
    g.transition_to(GroupState::stable);  // Empty -> Stable skips the rebalance
  } catch (const Thrown& t) {
    threw = true;
    CHECK(t.what.find("Empty -> Stable") != std::string::npos);
  }
  set_assert_handler(previous);
  CHECK(threw);
  CHECK(g.state() == GroupState::empty);
  g.transition_to(GroupState::preparing_rebalance);
  g.transition_to(GroupState::dead);
  CHECK(g.state() == GroupState::dead);
}

TEST_CASE("the coordinator partition is Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions",
          "[group][coordinator][hash]") {
  // Java's String.hashCode: well-known values.
  CHECK(java_string_hash("") == 0);
  CHECK(java_string_hash("a") == 97);
  CHECK(java_string_hash("hello") == 99162322);
  CHECK(java_string_hash("Aa") == java_string_hash("BB"));  // the classic collision, 2112
  CHECK(java_string_hash("Aa") == 2112);
  // "polygenelubricants".hashCode() == Integer.MIN_VALUE: Math.abs would stay
  // negative, Kafka's Utils.abs gives 0.
  CHECK(java_string_hash("polygenelubricants") == INT32_MIN);
  CHECK(kafka_abs(INT32_MIN) == 0);
  CHECK(offsets_partition_for("polygenelubricants", 50) == PartitionId(0));
  // Negative hashes: abs, then modulo.
  CHECK(java_string_hash("my-group") == -1906497762);
  CHECK(offsets_partition_for("my-group", 50) == PartitionId(12));
  CHECK(offsets_partition_for("hello", 50) == PartitionId(22));
  CHECK(offsets_partition_for("a", 50) == PartitionId(47));
  // Java hashes UTF-16 code units: U+00E9 is one unit, U+1F600 a surrogate pair.
  CHECK(java_string_hash("\xc3\xa9") == 233);
  CHECK(java_string_hash("\xf0\x9f\x98\x80") == 0xd83d * 31 + 0xde00);
}

TEST_CASE("a group's invariant check finds a duplicate member id or instance id, in small and large groups",
          "[group][coordinator][invariants]") {
  // Small groups are compared pairwise, large ones sorted: both must catch it.
  for (const int size : {2, 3, 16, 17, 40}) {
    ClassicGroup g("g1");
    for (int i = 0; i < size; ++i) {
      GroupMember m;
      m.member_id = "member-" + std::to_string(i);
      m.group_instance_id = "instance-" + std::to_string(i);
      g.add(std::move(m));
    }
    auto caught = [&] { return test::assertion_failed_in([&] { g.check_invariants(); }); };
    CHECK(caught().empty());
    const auto last = static_cast<size_t>(size - 1);
    g.members()[last].group_instance_id = "instance-0";
    CHECK_THAT(caught(), Catch::Contains("two members for instance instance-0"));
    g.members()[last].group_instance_id.reset();  // a dynamic member: no instance to clash
    CHECK(caught().empty());
    g.members()[last].member_id = "member-0";
    CHECK_THAT(caught(), Catch::Contains("duplicate member member-0"));
  }
}

}  // namespace ksim
