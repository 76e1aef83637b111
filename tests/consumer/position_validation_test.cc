// KIP-320 in the consumer against a real cluster: after a leader change the
// consumer validates its position with OffsetsForLeaderEpoch before fetching
// again (core/consumer/position_validator.h).
//   - a clean leader change (the new leader has everything): "valid", and
//     consumption goes on with nothing skipped or repeated;
//   - an unclean election that truncates the log below the position: the
//     consumer moves back to the first diverging offset and reads the new
//     leader's records there, instead of fetching past the log end and
//     falling back to auto.offset.reset.
#include <catch2/catch.hpp>

#include "core/trace/client_events.h"
#include "tests/consumer/consumer_fixture.h"

namespace ksim::test {
namespace {

ConsumerConfig standalone() {
  ConsumerConfig c;
  c.auto_offset_reset = OffsetResetStrategy::earliest;
  c.enable_auto_commit = false;
  return c;
}

ConsumerWorkload reading_partition_0() {
  ConsumerWorkload w;
  w.partitions = {TopicPartition{"orders", PartitionId(0)}};
  w.processing.fixed = millis(1);
  return w;
}

std::vector<trace::PositionValidated> validations(ConsumerFixture& f) {
  std::vector<trace::PositionValidated> out;
  for (const auto& [e, x] : f.events_of<trace::PositionValidated>("c1")) out.push_back(x);
  return out;
}

}  // namespace

TEST_CASE("after a clean leader change the consumer validates its position, finds it valid, and reads on",
          "[consumer][kip320]") {
  ConsumerFixtureOptions o;
  o.brokers = 3;
  ConsumerFixture f(o);
  f.add_consumer("c1", standalone(), reading_partition_0());
  f.start();
  f.produce(f.tp(0), 5);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 5; }));
  const int32_t old_leader = f.leader_of(f.tp(0));
  f.sim().crash(f.cluster().broker_node(old_leader));
  REQUIRE(f.await([&] { return f.leader_of(f.tp(0)) >= 0 && f.leader_of(f.tp(0)) != old_leader; }));
  f.produce(f.tp(0), 5);
  // Everything the new leader has (a send the dead leader never answered may be missing).
  REQUIRE(f.await([&] { return f.hw(f.tp(0)) > Offset(5) && f.consumer("c1").processed() == f.hw(f.tp(0)).value; }));
  const auto v = validations(f);
  REQUIRE(v.size() == 1);
  CHECK(v[0].outcome == "valid");
  CHECK(v[0].position == Offset(5));
  CHECK(v[0].end_offset >= Offset(5));
  CHECK(v[0].leader_epoch > v[0].position_epoch);
  std::vector<int64_t> expected;
  for (int64_t i = 0; i < f.hw(f.tp(0)).value; ++i) expected.push_back(i);
  CHECK(f.processed("c1", f.tp(0)) == expected);
}

TEST_CASE("after an unclean election truncated the log below its position the consumer moves back to the diverging "
          "offset and reads the new leader's records there",
          "[consumer][kip320]") {
  ConsumerFixtureOptions o;
  o.brokers = 2;
  o.rf = 2;
  o.customize = [](ClusterSpec& s) {
    s.controller.unclean_leader_election_enable = true;
    s.controller.initial_topics[0].assignment = {{1, 2}};
  };
  ConsumerFixture f(o);
  f.add_consumer("c1", standalone(), reading_partition_0());
  f.start();
  REQUIRE(f.leader_of(f.tp(0)) == 1);
  f.produce(f.tp(0), 5);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 5; }));
  // broker-2 stops replicating; after replica.lag.time.max.ms broker-1 alone is the ISR.
  f.sim().network().set_link(f.cluster().broker_node(1), f.cluster().broker_node(2), false, false);
  const std::vector<RecordId> lost = f.produce(f.tp(0), 5);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 10; }));
  REQUIRE(f.consumer("c1").position(f.tp(0)) == Offset(10));
  // The only in-sync replica dies; broker-2 (log end 5) is elected uncleanly.
  f.sim().crash(f.cluster().broker_node(1));
  f.sim().network().heal_all();
  REQUIRE(f.await([&] { return f.leader_of(f.tp(0)) == 2; }));
  f.produce(f.tp(0), 3);
  // What the new leader has beyond offset 5 (a send the dead leader never
  // answered may be missing), each read once.
  REQUIRE(f.await([&] { return f.hw(f.tp(0)) > Offset(5) && f.consumer("c1").processed() == 10 + f.hw(f.tp(0)).value - 5; }));
  const auto v = validations(f);
  REQUIRE(v.size() == 1);
  CHECK(v[0].outcome == "truncated");
  CHECK(v[0].position == Offset(10));
  CHECK(v[0].end_offset == Offset(5));
  // The new leader's records from 5 on were read, not skipped, and nothing
  // before 5 was read twice.
  std::vector<int64_t> expected{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  for (int64_t i = 5; i < f.hw(f.tp(0)).value; ++i) expected.push_back(i);
  CHECK(f.processed("c1", f.tp(0)) == expected);
  // The records read at 5.. after the election are the new leader's, not the lost ones.
  const auto records = f.processed_records("c1");
  for (size_t i = 10; i < records.size(); ++i)
    CHECK(std::find(lost.begin(), lost.end(), records[i]) == lost.end());
  CHECK(f.consumer("c1").position(f.tp(0)) == f.hw(f.tp(0)));
}

}  // namespace ksim::test
