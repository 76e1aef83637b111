// The consumer's data path with assign() and no group: positions from
// auto.offset.reset, fetches up to the high watermark, max.poll.records, and
// a leader failover in the middle of reading.
#include <catch2/catch.hpp>

#include "tests/consumer/consumer_fixture.h"

namespace ksim::test {
namespace {

ConsumerConfig no_group(OffsetResetStrategy reset) {
  ConsumerConfig c;
  c.group_id.reset();
  c.auto_offset_reset = reset;
  return c;
}

ConsumerWorkload assign(std::vector<TopicPartition> parts, int64_t start_ms = 0) {
  ConsumerWorkload w;
  w.partitions = std::move(parts);
  w.start_ms = start_ms;
  return w;
}

}  // namespace

TEST_CASE("assign() with auto.offset.reset=earliest reads every record from offset 0, in order", "[consumer][fetch]") {
  ConsumerFixture f({.partitions = 2});
  f.add_consumer("c1", no_group(OffsetResetStrategy::earliest), assign({f.tp(0), f.tp(1)}, 5000));
  f.start();
  f.produce(f.tp(0), 20);
  f.produce(f.tp(1), 7);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 27; }));
  std::vector<int64_t> expect0(20), expect1(7);
  for (int i = 0; i < 20; ++i) expect0[static_cast<size_t>(i)] = i;
  for (int i = 0; i < 7; ++i) expect1[static_cast<size_t>(i)] = i;
  CHECK(f.processed("c1", f.tp(0)) == expect0);
  CHECK(f.processed("c1", f.tp(1)) == expect1);
  CHECK(f.consumer("c1").position(f.tp(0)) == Offset(20));
  // Without a group there is nothing to commit.
  CHECK(f.events_of<trace::OffsetCommitted>("c1").empty());
}

TEST_CASE("auto.offset.reset=latest skips what was written before the consumer started", "[consumer][fetch]") {
  ConsumerFixture f({.partitions = 1});
  f.add_consumer("c1", no_group(OffsetResetStrategy::latest), assign({f.tp(0)}, 3000));
  f.start();
  f.produce(f.tp(0), 10);  // before the consumer's first poll
  REQUIRE(f.await([&] { return f.consumer("c1").position(f.tp(0)).has_value(); }));
  CHECK(f.consumer("c1").position(f.tp(0)) == Offset(10));
  f.produce(f.tp(0), 5);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 5; }));
  CHECK(f.processed("c1", f.tp(0)) == std::vector<int64_t>{10, 11, 12, 13, 14});
}

TEST_CASE("max.poll.records caps what one poll hands to the application", "[consumer][fetch]") {
  ConsumerFixture f({.partitions = 1});
  ConsumerConfig c = no_group(OffsetResetStrategy::earliest);
  c.max_poll_records = 4;
  f.add_consumer("c1", c, assign({f.tp(0)}, 5000));
  f.start();
  f.produce(f.tp(0), 10);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 10; }));
  std::vector<size_t> sizes;
  for (const auto& [e, p] : f.events_of<trace::ConsumerPolled>("c1")) sizes.push_back(p.offsets.size());
  CHECK(sizes == std::vector<size_t>{4, 4, 2});
}

TEST_CASE("a consumer only sees records below the high watermark", "[consumer][fetch]") {
  ConsumerFixture f({.partitions = 1});
  f.add_consumer("c1", no_group(OffsetResetStrategy::earliest), assign({f.tp(0)}));
  f.start();
  f.produce(f.tp(0), 3);
  // Cut both followers off: the leader appends, but the HW cannot move (acks=all).
  const int32_t leader = f.leader_of(f.tp(0));
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 3; }));
  for (int32_t b = 1; b <= 3; ++b)
    if (b != leader) f.sim().pause(f.cluster().broker_node(b), seconds(5));
  f.sim().invoke(f.sim().find_node("p1"), [&](Node& n) { static_cast<ProbeProducer&>(n).send(f.tp(0)); });
  f.run_for(millis(2000));
  CHECK(f.consumer("c1").processed() == 3);  // the 4th record is above the HW
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 4; }, seconds(60)));
}

TEST_CASE("when the partition leader dies the consumer finds the new leader and reads on without a gap",
          "[consumer][fetch]") {
  ConsumerFixture f({.partitions = 1});
  f.add_consumer("c1", no_group(OffsetResetStrategy::earliest), assign({f.tp(0)}));
  f.start();
  f.produce(f.tp(0), 10);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 10; }));
  const int32_t old_leader = f.leader_of(f.tp(0));
  f.sim().crash(f.cluster().broker_node(old_leader));
  REQUIRE(f.await([&] {
    const int32_t l = f.leader_of(f.tp(0));
    return l > 0 && l != old_leader;
  }));
  f.produce(f.tp(0), 10);  // the probe producer may fail the first send to the dead leader
  const int64_t hw = f.hw(f.tp(0)).value;
  REQUIRE(hw >= 19);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == hw; }));
  std::vector<int64_t> expect(static_cast<size_t>(hw));
  for (int64_t i = 0; i < hw; ++i) expect[static_cast<size_t>(i)] = i;
  CHECK(f.processed("c1", f.tp(0)) == expect);
}

TEST_CASE("processing time paces the poll loop: one record per processing interval", "[consumer][fetch]") {
  ConsumerFixture f({.partitions = 1});
  ConsumerWorkload w = assign({f.tp(0)}, 0);
  w.processing.fixed = millis(100);
  f.add_consumer("c1", no_group(OffsetResetStrategy::earliest), w);
  f.start();
  f.produce(f.tp(0), 10);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() == 10; }));
  const auto done = f.events_of<trace::RecordProcessed>("c1");
  for (size_t i = 1; i < done.size(); ++i)
    CHECK((done[i].first.time - done[i - 1].first.time) >= millis(100));
}

}  // namespace ksim::test
