// Two limits of the classic coordinator:
//   group.max.size (GroupMetadataManager.acceptJoiningMember): a JoinGroup
//     beyond it gets GROUP_MAX_SIZE_REACHED; while rebalancing the members
//     awaiting a JoinGroup response are counted, so the last to rejoin are
//     the ones turned away; an Empty group accepts anyone;
//   offsets.retention.minutes / offsets.retention.check.interval.ms (KIP-211,
//     ClassicGroup.offsetExpirationCondition, OffsetMetadataManager
//     .cleanupExpiredOffsets): an Empty group's committed offsets expire that
//     long after it became Empty, a simple group's that long after the commit,
//     a group with members keeps them; expiry writes tombstones, so a new
//     coordinator reading the log does not resurrect them.
#include <catch2/catch.hpp>

#include "core/trace/group_events.h"
#include "tests/group/coordinator/coordinator_harness.h"

namespace ksim::test {

TEST_CASE("group.max.size turns a new member away from a full Stable group with GROUP_MAX_SIZE_REACHED",
          "[group][coordinator][max-size]") {
  CoordinatorHarness h;
  h.config.group_max_size = 2;
  const auto ids = h.form_group(2);
  auto r = h.take<JoinGroupResponse>(n(3), h.join(n(3), ""));
  REQUIRE(r);
  CHECK(r->error == Errc::group_max_size_reached);
  CHECK(r->member_id.empty());
  CHECK(h.state() == GroupState::stable);
  CHECK(h.member_ids() == ids);
  // Members already in the group are still welcome.
  CHECK(h.heartbeat(n(1), ids[0], h.generation()) == Errc::none);
}

TEST_CASE("group.max.size while rebalancing counts members awaiting a JoinGroup response: the last to rejoin is removed",
          "[group][coordinator][max-size]") {
  CoordinatorHarness h;
  h.config.group_max_size = 2;
  const auto ids = h.form_group(2);
  // Member 1 rejoins: PreparingRebalance, one member awaiting.
  const int32_t j1 = h.join(n(1), ids[0]);
  REQUIRE(h.state() == GroupState::preparing_rebalance);
  // A newcomer is accepted (1 awaiting < 2): MEMBER_ID_REQUIRED, then it joins with its id.
  auto first = h.take<JoinGroupResponse>(n(3), h.join(n(3), ""));
  REQUIRE(first);
  REQUIRE(first->error == Errc::member_id_required);
  const int32_t j3 = h.join(n(3), first->member_id);
  // Member 2 comes back last: two are awaiting already, so it is the one turned away.
  auto late = h.take<JoinGroupResponse>(n(2), h.join(n(2), ids[1]));
  REQUIRE(late);
  CHECK(late->error == Errc::group_max_size_reached);
  bool removed = false;
  for (const auto& m : h.traced<trace::MemberRemoved>())
    removed |= m.member == ids[1] && m.reason == "group_max_size_reached";
  CHECK(removed);
  // The join phase completes with the two that fit.
  auto r1 = h.take<JoinGroupResponse>(n(1), j1);
  auto r3 = h.take<JoinGroupResponse>(n(3), j3);
  REQUIRE(r1);
  REQUIRE(r3);
  CHECK(r1->error == Errc::none);
  CHECK(r3->error == Errc::none);
  CHECK(h.state() == GroupState::completing_rebalance);
  CHECK(h.member_ids() == std::vector<std::string>{ids[0], first->member_id});
}

TEST_CASE("an Empty group accepts any JoinGroup whatever group.max.size says", "[group][coordinator][max-size]") {
  CoordinatorHarness h;
  h.config.group_max_size = 1;
  for (uint32_t i = 1; i <= 3; ++i) {
    auto r = h.take<JoinGroupResponse>(n(i), h.join(n(i), ""));
    REQUIRE(r);
    CHECK(r->error == Errc::member_id_required);
  }
  CHECK(h.state() == GroupState::empty);
}

TEST_CASE("an Empty group's offsets expire offsets.retention.minutes after it became Empty, and tombstones keep them "
          "expired across a coordinator failover",
          "[group][coordinator][retention]") {
  CoordinatorHarness h;
  h.config.offsets_retention_minutes = 1;
  h.config.offsets_retention_check_interval_ms = 10000;
  h.resign();
  h.load();  // the check timer is armed when the partition is loaded
  const auto ids = h.form_group(1);
  REQUIRE(h.commit_now(n(1), ids[0], h.generation(), 10) == Errc::none);
  // Members keep a group's offsets however old they are.
  for (int i = 0; i < 30; ++i) {
    h.advance(seconds(5));
    REQUIRE(h.heartbeat(n(1), ids[0], h.generation()) == Errc::none);
  }
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{10}});
  CHECK(h.traced<trace::OffsetsExpired>().empty());
  // The last member leaves: the group is Empty from now on.
  h.leave(n(1), ids[0]);
  REQUIRE(h.state() == GroupState::empty);
  h.advance(seconds(50));
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{10}});
  h.advance(seconds(20));  // past one minute Empty, and a check ran
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{-1}});
  const auto expired = h.traced<trace::OffsetsExpired>();
  REQUIRE(expired.size() == 1);
  CHECK(expired[0].partitions == std::vector<std::string>{"orders-0"});
  CHECK(expired[0].group_deleted);
  CHECK(h.gc.group("g1") == nullptr);
  // A new coordinator reads the log: the tombstones win over the commit.
  h.resign();
  h.load(LeaderEpoch(3));
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{-1}});
  CHECK(h.gc.group("g1") == nullptr);
}

TEST_CASE("a simple group's standalone commit expires offsets.retention.minutes after the commit itself",
          "[group][coordinator][retention]") {
  CoordinatorHarness h;
  h.config.offsets_retention_minutes = 2;
  h.config.offsets_retention_check_interval_ms = 30000;
  h.resign();
  h.load();
  REQUIRE(h.commit_now(n(1), "", GenerationId(-1), 7) == Errc::none);
  h.advance(seconds(60));
  REQUIRE(h.commit_now(n(1), "", GenerationId(-1), 8) == Errc::none);  // a newer commit restarts the clock
  h.advance(seconds(100));
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{8}});
  h.advance(seconds(60));
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{-1}});
}

TEST_CASE("without expiry a failover brings committed offsets back: the default retention is a week",
          "[group][coordinator][retention]") {
  CoordinatorHarness h;
  REQUIRE(h.config.offsets_retention_minutes == 10080);
  REQUIRE(h.config.offsets_retention_check_interval_ms == 600000);
  REQUIRE(h.config.group_max_size == INT32_MAX);
  const auto ids = h.form_group(1);
  REQUIRE(h.commit_now(n(1), ids[0], h.generation(), 10) == Errc::none);
  h.leave(n(1), ids[0]);
  h.advance(seconds(24 * 3600));  // a day Empty: still there
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{10}});
  h.resign();
  h.load(LeaderEpoch(3));
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{10}});
}

}  // namespace ksim::test
