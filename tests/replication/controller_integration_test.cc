// The controller's part in replication, end to end: no elections while it is
// down, controlled shutdown, and preferred leader election.
#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

TEST_CASE("while the controller is down no leader is elected, and the election follows its return",
          "[replication][controller]") {
  ReplicationFixture f({});
  const int32_t leader = f.leader_of(f.tp());
  f.sim().crash(f.cluster().controller_node());
  f.crash(leader);
  f.run_for(seconds(30));
  CHECK(f.leader_of(f.tp()) == -1);  // the followers still follow a dead leader
  f.sim().restart(f.cluster().controller_node());
  REQUIRE(f.await_leader(f.tp(), leader, seconds(30)));
  CHECK(f.leader_epoch(f.tp()) == LeaderEpoch(1));
}

TEST_CASE("a controlled shutdown moves leadership away before the broker stops, losing nothing",
          "[replication][controller][shutdown]") {
  ReplicationFixture f({.retries = 5});  // the producer finds the new leader through metadata
  const int32_t leader = f.leader_of(f.tp());
  auto ids = f.send(f.tp(), 20);
  REQUIRE(f.await_sends());
  f.sim().invoke(f.node(leader), [](Node& n) { static_cast<BrokerNode&>(n).begin_controlled_shutdown(); });
  REQUIRE(f.cluster().run_until([&] { return f.cluster().broker(leader)->shutdown_complete(); }, seconds(30)));
  // Leadership moved while the broker was still up, so nobody waited for a session timeout.
  const int32_t successor = f.leader_of(f.tp());
  CHECK(successor > 0);
  CHECK(successor != leader);
  f.crash(leader);  // the process exits
  auto more = f.send(f.tp(), 5);
  REQUIRE(f.await_sends());
  for (RecordId id : more) CHECK(f.outcome(id).error == Errc::none);
  for (RecordId id : ids) CHECK(f.has_record(f.tp(), successor, id));
}

TEST_CASE("preferred leader election gives leadership back to the first replica once it is in sync",
          "[replication][controller][preferred]") {
  ReplicationFixture f({.assignment = {{1, 2, 3}},
                        .customize = [](ClusterSpec& spec) {
                          spec.controller.leader_imbalance_check_interval_seconds = 10;
                        }});
  REQUIRE(f.leader_of(f.tp()) == 1);
  f.crash(1);
  REQUIRE(f.await_leader(f.tp(), 1));
  f.restart(1);
  REQUIRE(f.cluster().run_until([&] { return f.isr(f.tp()).size() == 3; }, seconds(30)));
  REQUIRE(f.cluster().run_until([&] { return f.leader_of(f.tp()) == 1; }, seconds(30)));
  bool preferred = false;
  for (const auto& e : f.sim().trace().events())
    if (auto* p = std::get_if<trace::PartitionChanged>(&e.payload)) preferred |= p->reason == "preferred_election";
  CHECK(preferred);
}

}  // namespace
}  // namespace ksim::test
