// ISR membership over time: shrink after replica.lag.time.max.ms, expand on
// catching up, and leader failover (kafka-facts 1.2).
#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

TEST_CASE("a stalled follower leaves the ISR between 1x and 1.5x replica.lag.time.max.ms, and rejoins once it catches up",
          "[replication][isr][lecture]") {
  ReplicationFixture f({});
  const int32_t leader = f.leader_of(f.tp());
  const int32_t slow = leader == 3 ? 2 : 3;
  f.send(f.tp(), 2);
  REQUIRE(f.await_sends());
  // From now on the slow follower's fetches never reach the leader.
  const SimTime stalled_at = f.sim().now();
  const RuleId hold = f.sim().network().add_rule(
      MessageRule{MessageMatch{"Fetch", f.node(slow), f.node(leader)}, RuleAction::hold, 1, -1});
  f.sim().at(stalled_at + millis(100), [&] { f.send(f.tp(), 1); });  // it is now behind
  std::vector<int32_t> expected;
  for (int32_t b : {1, 2, 3})
    if (b != slow) expected.push_back(b);
  REQUIRE(f.cluster().run_until([&] { return f.isr(f.tp()) == expected; }, seconds(60)));
  const Duration took = f.sim().now() - stalled_at;
  INFO("left the ISR after " << took.ms() << " ms");
  CHECK(took >= millis(30000));
  CHECK(took <= millis(45000 + 100));  // checked every 15 s, plus the AlterPartition round trip
  // The leader's reason names the lag.
  bool explained = false;
  for (const auto& e : f.sim().trace().events())
    if (auto* p = std::get_if<trace::IsrChangeProposed>(&e.payload))
      explained |= p->reason.find("not caught up") != std::string::npos;
  CHECK(explained);
  // Let it fetch again: it catches up and is added back.
  f.sim().network().remove_rule(hold);
  f.sim().network().release_held(hold);
  REQUIRE(f.cluster().run_until([&] { return f.isr(f.tp()) == std::vector<int32_t>{1, 2, 3}; }, seconds(10)));
  CHECK(f.leo(f.tp(), slow) == f.leo(f.tp(), leader));
}

TEST_CASE("a follower with nothing to catch up stays in the ISR however long the leader is idle",
          "[replication][isr]") {
  ReplicationFixture f({});
  f.send(f.tp(), 1);
  REQUIRE(f.await_sends());
  f.run_for(seconds(120));
  CHECK(f.isr(f.tp()) == std::vector<int32_t>{1, 2, 3});
}

TEST_CASE("a dead leader is fenced after broker.session.timeout.ms and a follower from the ISR takes over with a new epoch",
          "[replication][election][lecture]") {
  ReplicationFixture f({});
  auto ids = f.send(f.tp(), 5);
  REQUIRE(f.await_sends());
  const int32_t old_leader = f.leader_of(f.tp());
  const LeaderEpoch old_epoch = f.leader_epoch(f.tp());
  const SimTime crashed_at = f.sim().now();
  f.crash(old_leader);
  REQUIRE(f.await_leader(f.tp(), old_leader));
  const Duration took = f.sim().now() - crashed_at;
  CHECK(took >= millis(7000));   // the last heartbeat was up to 2 s before the crash
  CHECK(took <= millis(10000));
  CHECK(f.leader_epoch(f.tp()) > old_epoch);
  const auto isr = f.isr(f.tp());
  CHECK(std::find(isr.begin(), isr.end(), old_leader) == isr.end());
  // Everything acknowledged is on the new leader.
  for (RecordId id : ids) CHECK(f.has_record(f.tp(), f.leader_of(f.tp()), id));
  // The old leader comes back as a follower and rejoins the ISR.
  f.restart(old_leader);
  REQUIRE(f.cluster().run_until([&] { return f.isr(f.tp()).size() == 3; }, seconds(30)));
}

}  // namespace
}  // namespace ksim::test
