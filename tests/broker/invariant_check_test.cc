// After every event a broker re-checks the invariants of only the partitions
// that event touched (core/broker/partition.h). These tests plant a broken
// state from inside a broker's handler and see it caught right after that
// event, with the same message a full check would give, and see that a
// partition the event did not touch is not checked again.
#include <catch2/catch.hpp>
#include <string>

#include "tests/support/replication_fixture.h"
#include "tests/support/throw_on_assert.h"

namespace ksim::test {

TEST_CASE("a partition broken inside a broker's handler is caught right after that event",
          "[broker][invariants]") {
  ReplicationFixture f({.brokers = 3, .partitions = 3, .rf = 3});
  f.send(f.tp(1), 10);
  REQUIRE(f.await_sends());
  f.run_for(seconds(1));
  const int32_t leader = f.leader_of(f.tp(1));
  REQUIRE(f.leo(f.tp(1), leader) == Offset(10));

  ThrowOnAssert guard;
  std::string caught;
  try {
    // The producer state now claims the log ends at 3 while the log ends at 10.
    f.sim().invoke(f.node(leader), [&](Node& n) {
      static_cast<BrokerNode&>(n).partition(f.tp(1))->log().producer_state().clear(Offset(3));
    });
  } catch (const PlantedViolation& e) {
    caught = e.what();
  }
  CHECK_THAT(caught, Catch::Contains("orders-1: producer state ends at 3, LEO 10"));
  // Simulation::invoke reports like a step: the node the violation was found in.
  CHECK_THAT(caught, Catch::Contains("in node broker-" + std::to_string(leader)));
}

TEST_CASE("an event that touches no partition checks none, and the next touch checks again",
          "[broker][invariants]") {
  ReplicationFixture f({.brokers = 3, .partitions = 2, .rf = 3});
  f.send(f.tp(0), 5);
  REQUIRE(f.await_sends());
  f.run_for(seconds(1));
  const int32_t leader = f.leader_of(f.tp(0));

  ThrowOnAssert guard;
  // Broken through the read-only view (a const_cast no handler would do): the
  // partition is not marked touched, so the checks after later events skip it.
  auto* broker = f.cluster().broker(leader);
  const Partition* p = static_cast<const BrokerNode*>(broker)->partition(f.tp(0));
  const_cast<PartitionLog&>(p->log()).producer_state().clear(Offset(2));
  CHECK(!p->touched());
  CHECK_NOTHROW(f.sim().invoke(f.node(leader), [](Node&) {}));

  // The first change made through the partition's own API touches it, and
  // the check after that event finds the broken state.
  std::string caught;
  try {
    f.sim().invoke(f.node(leader), [&](Node& n) {
      Partition* mine = static_cast<BrokerNode&>(n).partition(f.tp(0));
      mine->log();  // changing access
      CHECK(mine->touched());
    });
  } catch (const PlantedViolation& e) {
    caught = e.what();
  }
  CHECK_THAT(caught, Catch::Contains("orders-0: producer state ends at 2, LEO 5"));
  // Checked: untouched again until the next change.
  CHECK(!p->touched());
}

}  // namespace ksim::test
