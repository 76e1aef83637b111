// KafkaConsumers in a group against the real brokers' group coordinator
// (core/group/coordinator/, __consumer_offsets replicated like any topic):
// joining, a crash noticed after session.timeout.ms, at-least-once delivery
// across a consumer crash, and a coordinator broker crash in the middle of
// consuming. The checkers judge the trace, as in a scenario.
#include <catch2/catch.hpp>
#include <set>

#include "sim/check/consumer_delivery.h"
#include "sim/check/history.h"
#include "tests/consumer/real_group.h"

namespace ksim::test {
namespace {

check::History history_of(ConsumerFixture& f) {
  return check::build_history(f.sim().trace().header(), f.sim().trace().events());
}

}  // namespace

TEST_CASE("two consumers join a real group: range splits four partitions two and two, and every record is processed once",
          "[consumer][group][real]") {
  ConsumerFixture f(real_group_cluster(4));
  f.add_consumer("c1", group_member(), group_reader(3000));
  f.add_consumer("c2", group_member(), group_reader(3000));
  f.start();
  REQUIRE(f.await([&] {
    return pair_stable(f, 2) && f.consumer("c1").coordinator().generation() == f.consumer("c2").coordinator().generation();
  }));
  for (int p = 0; p < 4; ++p) f.produce(f.tp(p), 5);
  REQUIRE(f.await([&] { return f.consumer("c1").processed() + f.consumer("c2").processed() == 20; }));
  f.run_for(seconds(2));
  const check::History h = history_of(f);
  CHECK(check::check_consumer_duplicate(h).holds());
  CHECK(check::check_consumer_lost(h).holds());
}

TEST_CASE("with the real coordinator a crashed member's partitions move only after session.timeout.ms",
          "[consumer][group][real]") {
  ConsumerFixture f(real_group_cluster(2));
  f.add_consumer("c1", group_member(), group_reader(3000));
  f.add_consumer("c2", group_member(), group_reader(3000));
  f.start();
  REQUIRE(f.await([&] { return pair_stable(f, 1); }));
  f.sim().crash(f.node("c2"));
  f.run_for(seconds(40));
  CHECK(f.consumer("c1").assignment().size() == 1);
  REQUIRE(f.await([&] { return stable(f.consumer("c1")) && f.consumer("c1").assignment().size() == 2; }, seconds(30)));
}

TEST_CASE("commit after processing, a member crashes mid-batch: the next owner processes the uncommitted records again",
          "[consumer][group][real][commit]") {
  ConsumerFixture f(real_group_cluster(1));
  ConsumerConfig c = group_member();
  c.max_poll_records = 10;
  ConsumerWorkload w = group_reader(3000);
  w.processing.fixed = millis(100);
  f.add_consumer("c1", c, w);
  f.add_consumer("c2", c, w);
  f.start();
  REQUIRE(f.await([&] { return stable(f.consumer("c1")) && stable(f.consumer("c2")); }));
  const std::string owner = f.consumer("c1").assignment().empty() ? "c2" : "c1";
  const std::string other = owner == "c1" ? "c2" : "c1";
  f.produce(f.tp(0), 20);
  // Crash the owner in the middle of a batch: something committed, and
  // records processed beyond the last commit.
  REQUIRE(f.await([&] {
    const auto c = f.commits(owner, f.tp(0));
    return !c.empty() && static_cast<int64_t>(f.processed(owner, f.tp(0)).size()) > c.back();
  }));
  const int64_t committed = f.commits(owner, f.tp(0)).back();
  f.sim().crash(f.node(owner));
  REQUIRE(f.await([&] { return f.consumer(other).processed() > 0 && f.consumer(other).position(f.tp(0)) == Offset(20); },
                  seconds(90)));
  // The other member started at the committed offset.
  CHECK(f.processed(other, f.tp(0)).front() == committed);
  const check::History h = history_of(f);
  CHECK_FALSE(check::check_consumer_duplicate(h).holds());
  CHECK(check::check_consumer_lost(h).holds());
}

TEST_CASE("when the coordinator's broker crashes the group finds the new coordinator and continues from its commits",
          "[consumer][group][real][failover]") {
  ConsumerFixture f(real_group_cluster(2));
  f.add_consumer("c1", group_member(), group_reader(3000));
  f.start();
  REQUIRE(f.await([&] { return stable(f.consumer("c1")) && f.consumer("c1").assignment().size() == 2; }));
  f.produce(f.tp(0), 5);
  f.produce(f.tp(1), 5);
  REQUIRE(f.await([&] { return f.commits("c1", f.tp(0)).size() && f.commits("c1", f.tp(0)).back() == 5 &&
                               f.commits("c1", f.tp(1)).size() && f.commits("c1", f.tp(1)).back() == 5; }));
  const auto coordinator = f.consumer("c1").coordinator().coordinator();
  REQUIRE(coordinator.has_value());
  f.sim().crash(*coordinator);
  f.produce(f.tp(0), 5);
  f.produce(f.tp(1), 5);
  REQUIRE(f.await([&] {
    const auto now = f.consumer("c1").coordinator().coordinator();
    return now && *now != *coordinator && f.commits("c1", f.tp(0)).back() >= 8 && f.commits("c1", f.tp(1)).back() >= 8;
  }, seconds(120)));
  const check::History h = history_of(f);
  CHECK(check::check_consumer_lost(h).holds());
}

}  // namespace ksim::test
