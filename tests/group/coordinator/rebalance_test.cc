#include <catch2/catch.hpp>

#include "core/trace/group_events.h"
#include "tests/group/coordinator/coordinator_harness.h"

namespace ksim::test {

TEST_CASE("three members join, the leader assigns in SyncGroup, and the group is Stable in generation 1",
          "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  // KIP-394: the first JoinGroup without a member id gets MEMBER_ID_REQUIRED and an id.
  std::vector<std::string> ids;
  for (uint32_t i = 1; i <= 3; ++i) {
    auto r = h.take<JoinGroupResponse>(n(i), h.join(n(i), ""));
    REQUIRE(r);
    CHECK(r->error == Errc::member_id_required);
    CHECK(!r->member_id.empty());
    ids.push_back(r->member_id);
  }
  CHECK(h.state() == GroupState::empty);  // pending members are not members yet
  std::vector<int32_t> joins;
  for (uint32_t i = 1; i <= 3; ++i) joins.push_back(h.join(n(i), ids[i - 1]));
  CHECK(h.state() == GroupState::preparing_rebalance);
  // group.initial.rebalance.delay.ms (3000): the first member's join started
  // the delay; the two that arrived during it extend it by another 3000 ms
  // (InitialDelayedJoin), so nobody is answered before 6000 ms.
  h.advance(millis(3000));
  CHECK_FALSE(h.take<JoinGroupResponse>(n(1), joins[0]));
  h.advance(millis(2999));
  CHECK_FALSE(h.take<JoinGroupResponse>(n(1), joins[0]));
  h.advance(millis(1));
  std::vector<JoinGroupResponse> rs;
  for (uint32_t i = 1; i <= 3; ++i) {
    auto r = h.take<JoinGroupResponse>(n(i), joins[i - 1]);
    REQUIRE(r);
    CHECK(r->error == Errc::none);
    CHECK(r->generation_id == GenerationId(1));
    CHECK(r->protocol_name == "range");
    CHECK(r->leader == ids[0]);  // the first member to join leads
    rs.push_back(*r);
  }
  CHECK(rs[0].members.size() == 3);  // only the leader sees the subscriptions
  CHECK(rs[1].members.empty());
  CHECK(rs[0].members[1].metadata.topics == std::vector<std::string>{"orders"});
  CHECK(h.state() == GroupState::completing_rebalance);

  // Followers' SyncGroup waits for the leader's.
  const int32_t s2 = h.sync(n(2), ids[1], GenerationId(1));
  CHECK_FALSE(h.take<SyncGroupResponse>(n(2), s2));
  std::vector<SyncGroupAssignment> a;
  for (int i = 0; i < 3; ++i) a.push_back({ids[i], ConsumerAssignment{{TopicPartition{"orders", PartitionId(i)}}}});
  h.log.auto_ack = false;
  const int32_t s1 = h.sync(n(1), ids[0], GenerationId(1), a);
  CHECK(h.state() == GroupState::completing_rebalance);  // until the GroupMetadata record is replicated
  CHECK_FALSE(h.take<SyncGroupResponse>(n(1), s1));
  h.log.complete();
  CHECK(h.state() == GroupState::stable);
  auto r2 = h.take<SyncGroupResponse>(n(2), s2);
  REQUIRE(r2);
  CHECK(r2->assignment.partitions == std::vector<TopicPartition>{{"orders", PartitionId(1)}});
  // A member that syncs after the group is Stable gets its assignment at once.
  h.log.auto_ack = true;
  auto r3 = h.take<SyncGroupResponse>(n(3), h.sync(n(3), ids[2], GenerationId(1)));
  REQUIRE(r3);
  CHECK(r3->assignment.partitions == std::vector<TopicPartition>{{"orders", PartitionId(2)}});

  const auto stable = h.traced<trace::GroupStable>();
  REQUIRE(stable.size() == 1);
  CHECK(stable[0].generation == GenerationId(1));
  CHECK(stable[0].leader == ids[0]);
  CHECK(stable[0].members == ids);
  CHECK(h.traced<trace::MemberJoined>().size() == 3);
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::none);
}

TEST_CASE("a pending member that never rejoins with its id is forgotten after its session timeout",
          "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  auto r = h.take<JoinGroupResponse>(n(1), h.join(n(1), ""));
  REQUIRE(r->error == Errc::member_id_required);
  REQUIRE(h.gc.group("g1")->is_pending_member(r->member_id));
  h.advance(millis(10000));
  CHECK_FALSE(h.gc.group("g1")->is_pending_member(r->member_id));
  // Its id is now unknown: joining with it is rejected.
  auto again = h.take<JoinGroupResponse>(n(1), h.join(n(1), r->member_id));
  REQUIRE(again);
  CHECK(again->error == Errc::unknown_member_id);
}

TEST_CASE("the initial rebalance delay is extended while new members keep arriving", "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  auto a = h.take<JoinGroupResponse>(n(1), h.join(n(1), ""))->member_id;
  const int32_t ja = h.join(n(1), a);
  h.advance(millis(2000));
  auto b = h.take<JoinGroupResponse>(n(2), h.join(n(2), ""))->member_id;
  const int32_t jb = h.join(n(2), b);
  // At 3000 ms a new member had arrived: wait another delay (up to 6000 ms).
  h.advance(millis(3999));
  CHECK_FALSE(h.take<JoinGroupResponse>(n(1), ja));
  h.advance(millis(1));
  auto ra = h.take<JoinGroupResponse>(n(1), ja);
  auto rb = h.take<JoinGroupResponse>(n(2), jb);
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(ra->generation_id == GenerationId(1));
  CHECK(ra->members.size() == 2);
}

TEST_CASE("a member is removed after session.timeout.ms without heartbeats, and not a moment before",
          "[group][coordinator][session]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(2);
  const SimTime synced = h.env.now();
  // Member 2 heartbeats every 3 s; member 1 has gone silent since the sync.
  for (int i = 0; i < 3; ++i) {
    h.advance(millis(3000));
    REQUIRE(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::none);
  }
  h.advance(SimTime::from_ms(synced.ms() + 9999) - h.env.now());
  CHECK(h.member_ids().size() == 2);
  CHECK(h.state() == GroupState::stable);
  h.advance(millis(1));
  CHECK(h.member_ids() == std::vector<std::string>{ids[1]});
  CHECK(h.state() == GroupState::preparing_rebalance);
  const auto removed = h.traced<trace::MemberRemoved>();
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].member == ids[0]);
  CHECK(removed[0].reason == "session_timeout");
  // The survivor learns of the rebalance from its heartbeat and rejoins.
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::rebalance_in_progress);
  auto r = h.take<JoinGroupResponse>(n(2), h.join(n(2), ids[1]));
  REQUIRE(r);  // it was the only member left: the join phase completes at once
  CHECK(r->generation_id == GenerationId(2));
  CHECK(r->leader == ids[1]);
  // The dead member's heartbeat is now refused.
  CHECK(h.heartbeat(n(1), ids[0], GenerationId(1)) == Errc::unknown_member_id);
}

TEST_CASE("a member that does not rejoin within the rebalance timeout is removed", "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(2);
  // A third consumer arrives: rebalance.
  auto c = h.take<JoinGroupResponse>(n(3), h.join(n(3), ""))->member_id;
  const int32_t jc = h.join(n(3), c);
  CHECK(h.state() == GroupState::preparing_rebalance);
  const int32_t j1 = h.join(n(1), ids[0]);
  // Member 2 keeps heartbeating (so its session lives) but never rejoins:
  // its poll loop is stuck longer than max.poll.interval.ms.
  for (int i = 0; i < 19; ++i) {
    h.advance(millis(3000));
    REQUIRE(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::rebalance_in_progress);
  }
  CHECK_FALSE(h.take<JoinGroupResponse>(n(1), j1));
  h.advance(millis(3000));  // 60 s: the rebalance timeout
  auto r1 = h.take<JoinGroupResponse>(n(1), j1);
  auto r3 = h.take<JoinGroupResponse>(n(3), jc);
  REQUIRE(r1);
  REQUIRE(r3);
  CHECK(r1->generation_id == GenerationId(2));
  CHECK(r1->members.size() == 2);
  CHECK(h.member_ids() == std::vector<std::string>{ids[0], c});
  const auto removed = h.traced<trace::MemberRemoved>();
  REQUIRE(removed.size() == 1);
  CHECK(removed[0].member == ids[1]);
  CHECK(removed[0].reason == "rebalance_timeout");
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::unknown_member_id);
}

TEST_CASE("LeaveGroup removes the member and the others rebalance without it", "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(3);
  const auto resp = h.leave(n(3), ids[2]);
  REQUIRE(resp.members.size() == 1);
  CHECK(resp.members[0].error == Errc::none);
  CHECK(h.state() == GroupState::preparing_rebalance);
  CHECK(h.traced<trace::MemberRemoved>().back().reason == "leave");
  const int32_t j1 = h.join(n(1), ids[0]);
  CHECK_FALSE(h.take<JoinGroupResponse>(n(1), j1));
  const int32_t j2 = h.join(n(2), ids[1]);
  auto r1 = h.take<JoinGroupResponse>(n(1), j1);  // all known members rejoined: no waiting
  REQUIRE(r1);
  REQUIRE(h.take<JoinGroupResponse>(n(2), j2));
  CHECK(r1->generation_id == GenerationId(2));
  CHECK(r1->members.size() == 2);
  // Leaving twice: the member is unknown now.
  CHECK(h.leave(n(3), ids[2]).members[0].error == Errc::unknown_member_id);
}

TEST_CASE("the last member leaving empties the group and bumps the generation", "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(1);
  const int appends = h.log.appends;
  h.leave(n(1), ids[0]);
  CHECK(h.state() == GroupState::empty);
  CHECK(h.generation() == GenerationId(2));
  CHECK(h.log.appends == appends + 1);  // the empty generation is persisted
  const auto changes = h.traced<trace::GroupStateChanged>();
  CHECK(changes[changes.size() - 2].to == "PreparingRebalance");
  CHECK(changes.back().to == "Empty");
}

TEST_CASE("heartbeats answer REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID as Kafka does",
          "[group][coordinator][heartbeat]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(2);
  CHECK(h.heartbeat(n(1), ids[0], GenerationId(1)) == Errc::none);
  CHECK(h.heartbeat(n(1), ids[0], GenerationId(7)) == Errc::illegal_generation);
  CHECK(h.heartbeat(n(9), "consumer-nobody", GenerationId(1)) == Errc::unknown_member_id);
  h.join(n(1), ids[0]);  // the leader rejoins: a rebalance
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::rebalance_in_progress);
}

TEST_CASE("a rejoin with changed metadata during CompletingRebalance aborts the pending syncs",
          "[group][coordinator][rebalance]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(2);
  h.join(n(1), ids[0]);
  const int32_t j2 = h.join(n(2), ids[1]);
  REQUIRE(h.take<JoinGroupResponse>(n(2), j2));
  REQUIRE(h.state() == GroupState::completing_rebalance);
  const int32_t s2 = h.sync(n(2), ids[1], GenerationId(2));
  CHECK_FALSE(h.take<SyncGroupResponse>(n(2), s2));
  // Member 1 now subscribes to another topic.
  h.join(n(1), ids[0], std::nullopt, {CoordinatorHarness::protocol("range", {"orders", "payments"})});
  auto r = h.take<SyncGroupResponse>(n(2), s2);
  REQUIRE(r);
  CHECK(r->error == Errc::rebalance_in_progress);
  CHECK(h.state() == GroupState::preparing_rebalance);
}

TEST_CASE("a static member restarts within its session without a rebalance", "[group][coordinator][static]") {
  CoordinatorHarness h;
  // Two static members join straight away (no MEMBER_ID_REQUIRED for them).
  const int32_t j1 = h.join(n(1), "", std::string("i1"));
  const int32_t j2 = h.join(n(2), "", std::string("i2"));
  h.advance(millis(6000));  // the initial delay, extended once for the second member
  auto r1 = h.take<JoinGroupResponse>(n(1), j1);
  auto r2 = h.take<JoinGroupResponse>(n(2), j2);
  REQUIRE(r1);
  REQUIRE(r2);
  CHECK(r1->error == Errc::none);
  const std::string m1 = r1->member_id, m2 = r2->member_id;
  CHECK(m1.rfind("i1-", 0) == 0);  // group.instance.id + "-" + a unique suffix
  std::vector<SyncGroupAssignment> a{{m1, ConsumerAssignment{{TopicPartition{"orders", PartitionId(0)}}}},
                                     {m2, ConsumerAssignment{{TopicPartition{"orders", PartitionId(1)}}}}};
  h.sync(n(1), m1, GenerationId(1), a, std::string("i1"));
  h.sync(n(2), m2, GenerationId(1), {}, std::string("i2"));
  REQUIRE(h.state() == GroupState::stable);
  const size_t changes = h.traced<trace::GroupStateChanged>().size();

  // Instance i2's process restarts (a new node, no member id) before its session expires.
  h.advance(millis(5000));
  auto back = h.take<JoinGroupResponse>(n(12), h.join(n(12), "", std::string("i2")));
  REQUIRE(back);
  CHECK(back->error == Errc::none);
  CHECK(back->member_id != m2);
  CHECK(back->generation_id == GenerationId(1));  // same generation: no rebalance
  CHECK(h.state() == GroupState::stable);
  CHECK(h.traced<trace::GroupStateChanged>().size() == changes);
  auto s = h.take<SyncGroupResponse>(n(12), h.sync(n(12), back->member_id, GenerationId(1), {}, std::string("i2")));
  REQUIRE(s);
  CHECK(s->assignment.partitions == std::vector<TopicPartition>{{"orders", PartitionId(1)}});  // kept
  // The old incarnation is fenced (KIP-345).
  CHECK(h.heartbeat(n(2), m2, GenerationId(1), std::string("i2")) == Errc::fenced_instance_id);
  CHECK(h.traced<trace::MemberRemoved>().back().reason == "fenced_static_instance");
  CHECK(h.heartbeat(n(1), m1, GenerationId(1), std::string("i1")) == Errc::none);
}

TEST_CASE("a second process with the same group.instance.id fences the first", "[group][coordinator][static]") {
  CoordinatorHarness h;
  const int32_t j1 = h.join(n(1), "", std::string("i1"));
  h.advance(millis(3000));
  auto r1 = h.take<JoinGroupResponse>(n(1), j1);
  REQUIRE(r1);
  h.sync(n(1), r1->member_id, GenerationId(1), {{r1->member_id, {}}}, std::string("i1"));
  REQUIRE(h.state() == GroupState::stable);
  auto dup = h.take<JoinGroupResponse>(n(2), h.join(n(2), "", std::string("i1")));
  REQUIRE(dup);
  CHECK(dup->error == Errc::none);
  // Every call of the first process is refused from now on.
  CHECK(h.heartbeat(n(1), r1->member_id, GenerationId(1), std::string("i1")) == Errc::fenced_instance_id);
  auto s = h.take<SyncGroupResponse>(n(1), h.sync(n(1), r1->member_id, GenerationId(1), {}, std::string("i1")));
  REQUIRE(s);
  CHECK(s->error == Errc::fenced_instance_id);
  auto c = h.commit(n(1), r1->member_id, GenerationId(1), 5);
  auto ce = h.commit_result(n(1), c);
  REQUIRE(ce);
  CHECK(*ce == Errc::unknown_member_id);  // no instance id sent: the member id is simply unknown
}

TEST_CASE("a static member that does not rejoin stays through the join phase until its session expires",
          "[group][coordinator][static]") {
  CoordinatorHarness h;
  const int32_t j1 = h.join(n(1), "", std::string("i1"));
  const int32_t j2 = h.join(n(2), "", std::string("i2"));
  h.advance(millis(6000));  // the initial delay, extended once for the second member
  auto r1 = h.take<JoinGroupResponse>(n(1), j1);
  auto r2 = h.take<JoinGroupResponse>(n(2), j2);
  h.sync(n(1), r1->member_id, GenerationId(1), {}, std::string("i1"));
  h.sync(n(2), r2->member_id, GenerationId(1), {}, std::string("i2"));
  REQUIRE(h.state() == GroupState::stable);
  // i1 rejoins as leader (forcing a rebalance); i2 is silent.
  const int32_t again = h.join(n(1), r1->member_id, std::string("i1"));
  h.advance(millis(9999));
  CHECK(h.member_ids().size() == 2);
  h.advance(millis(1));  // i2's session (10 s since its sync) expires
  CHECK(h.member_ids() == std::vector<std::string>{r1->member_id});
  auto r = h.take<JoinGroupResponse>(n(1), again);
  REQUIRE(r);
  CHECK(r->generation_id == GenerationId(2));
}

}  // namespace ksim::test
