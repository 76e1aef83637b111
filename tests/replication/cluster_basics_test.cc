#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

TEST_CASE("a new cluster elects a leader with every replica in the ISR", "[replication]") {
  ReplicationFixture f({});
  CHECK(f.leader_of(f.tp()) > 0);
  CHECK(f.isr(f.tp()) == std::vector<int32_t>{1, 2, 3});
  CHECK(f.leader_epoch(f.tp()) == LeaderEpoch(0));
}

TEST_CASE("acks=all: records are acknowledged once every ISR member has them, and the HW covers them",
          "[replication][acks]") {
  ReplicationFixture f({});
  auto ids = f.send(f.tp(), 10);
  REQUIRE(f.await_sends());
  for (RecordId id : ids) CHECK(f.outcome(id).error == Errc::none);
  CHECK(f.outcome(ids.back()).offset == Offset(9));
  // Followers learn the HW from their next fetch response; with nothing new to
  // fetch the leader holds that fetch for replica.fetch.wait.max.ms (500 ms).
  f.run_for(millis(600));
  for (int32_t b = 1; b <= 3; ++b) {
    CHECK(f.leo(f.tp(), b) == Offset(10));
    CHECK(f.hw(f.tp(), b) == Offset(10));
  }
}

}  // namespace
}  // namespace ksim::test
