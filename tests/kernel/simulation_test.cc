#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/kernel/probe_node.h"
#include "tests/support/throw_on_assert.h"

namespace ksim::test {
namespace {

SimulationOptions fixed_latency(Duration latency) {
  SimulationOptions o;
  o.network.default_link = LinkSpec{latency, latency, {}, 0.0};
  return o;
}

TEST_CASE("a timer fires at its time and a cancelled one never does", "[kernel][timer]") {
  auto sim = probe_cluster(1);
  TimerId cancelled;
  act_as(*sim, P1, [&](ProbeNode& p) {
    p.env().set_timer(millis(10), 1);
    cancelled = p.env().set_timer(millis(20), 2);
    p.env().set_timer(millis(30), 3);
    p.env().cancel_timer(cancelled);
    p.env().cancel_timer(cancelled);  // twice is harmless
  });
  sim->run_until(SimTime::from_ms(100));
  const auto& fired = probe(*sim, P1).fired;
  REQUIRE(fired.size() == 2);
  CHECK(fired[0].tag == 1);
  CHECK(fired[0].at == SimTime::from_ms(10));
  CHECK(fired[1].tag == 3);
  CHECK(fired[1].at == SimTime::from_ms(30));
}

TEST_CASE("cancelled timers are swept from the queue while the live ones fire on time and in order", "[kernel][timer]") {
  // Like request timeouts: each request arms a long timer its response cancels.
  auto sim = probe_cluster(1);
  std::vector<TimerId> armed;
  size_t most_queued = 0;
  for (int round = 0; round < 50; ++round) {
    act_as(*sim, P1, [&](ProbeNode& p) {
      for (int i = 0; i < 200; ++i) armed.push_back(p.env().set_timer(seconds(30) + micros(i), 1000 + i));
      // Keep the first timer of every 10th round; cancel the rest.
      for (size_t i = (round % 10 == 0) ? 1 : 0; i < armed.size(); ++i) p.env().cancel_timer(armed[i]);
    });
    armed.clear();
    most_queued = std::max(most_queued, sim->queued_events());
    sim->run_until(sim->now() + millis(1));
  }
  // 10,000 timers armed, 9,995 cancelled: the dead ones never outnumber the live much.
  CHECK(most_queued < 2 * 1024 + 200);
  sim->run_until(SimTime::from_ms(60'000));
  const auto& fired = probe(*sim, P1).fired;
  REQUIRE(fired.size() == 5);
  for (size_t k = 0; k < fired.size(); ++k) {
    CHECK(fired[k].tag == 1000);
    CHECK(fired[k].at == SimTime::from_ms(static_cast<int64_t>(k) * 10) + seconds(30));
  }
  CHECK(sim->queued_events() == 0);
}

TEST_CASE("timers at the same time fire in the order they were armed", "[kernel][timer]") {
  auto sim = probe_cluster(1);
  act_as(*sim, P1, [&](ProbeNode& p) {
    for (TimerTag t = 1; t <= 20; ++t) p.env().set_timer(millis(5), t);
  });
  sim->run_until(SimTime::from_ms(5));
  const auto& fired = probe(*sim, P1).fired;
  REQUIRE(fired.size() == 20);
  for (size_t i = 0; i < fired.size(); ++i) CHECK(fired[i].tag == i + 1);
}

TEST_CASE("timers die with their process: a restarted node does not get them", "[kernel][timer][crash]") {
  auto sim = probe_cluster(1);
  act_as(*sim, P1, [&](ProbeNode& p) { p.env().set_timer(millis(50), 9); });
  sim->run_until(SimTime::from_ms(10));
  sim->crash(P1);
  sim->run_until(SimTime::from_ms(20));
  sim->restart(P1);
  sim->run_until(SimTime::from_ms(100));
  CHECK(probe(*sim, P1).fired.empty());
  CHECK(sim->incarnation(P1) == 2);
}

TEST_CASE("run_until advances the clock even with nothing to do", "[kernel]") {
  auto sim = probe_cluster(1);
  sim->run_until(SimTime::from_ms(250));
  CHECK(sim->now() == SimTime::from_ms(250));
}

TEST_CASE("a pause defers a node's events, which then run late in their original order", "[kernel][pause]") {
  auto sim = probe_cluster(2, fixed_latency(millis(2)));
  act_as(*sim, P2, [&](ProbeNode& p) { p.env().set_timer(millis(10), 7); });
  sim->pause(P2, millis(100));
  act_as(*sim, P1, [&](ProbeNode& p) {
    p.env().send(P2, demo::Gossip{1});
    p.env().send(P2, demo::Gossip{2});
  });
  sim->run_until(SimTime::from_ms(99));
  CHECK(probe(*sim, P2).received.empty());
  CHECK(probe(*sim, P2).fired.empty());
  sim->run_until(SimTime::from_ms(100));
  const auto& p2 = probe(*sim, P2);
  REQUIRE(p2.fired.size() == 1);
  CHECK(p2.fired[0].at == SimTime::from_ms(100));
  REQUIRE(p2.received.size() == 2);
  CHECK(p2.received[0].counter == 1);
  CHECK(p2.received[1].counter == 2);
  CHECK(p2.received[0].at == SimTime::from_ms(100));
  // The messages were due at 2 ms and the timer at 10 ms: that order holds.
  CHECK(p2.order == "mmt");
}

TEST_CASE("a timer cancelled before a pause does not count as an event that ran late", "[kernel][pause][timer]") {
  auto sim = probe_cluster(1);
  act_as(*sim, P1, [&](ProbeNode& p) {
    p.env().set_timer(millis(10), 1);
    p.env().cancel_timer(p.env().set_timer(millis(20), 2));
  });
  sim->pause(P1, millis(50));
  sim->run_until(SimTime::from_ms(60));
  REQUIRE(probe(*sim, P1).fired.size() == 1);
  CHECK(probe(*sim, P1).fired[0].tag == 1);
  CHECK(probe(*sim, P1).fired[0].at == SimTime::from_ms(50));
  std::vector<int64_t> late;
  for (const TraceEvent& e : sim->trace().events())
    if (const auto* r = std::get_if<trace::NodeResumed>(&e.payload)) late.push_back(r->deferred_events);
  CHECK(late == std::vector<int64_t>{1});
}

TEST_CASE("events of other nodes keep running during a pause", "[kernel][pause]") {
  auto sim = probe_cluster(3, fixed_latency(millis(1)));
  sim->pause(P2, millis(50));
  act_as(*sim, P1, [&](ProbeNode& p) { p.env().send(P3, demo::Gossip{5}); });
  sim->run_until(SimTime::from_ms(1));
  REQUIRE(probe(*sim, P3).received.size() == 1);
  CHECK(probe(*sim, P3).received[0].at == SimTime::from_ms(1));
}

TEST_CASE("an assertion failure reports seed, virtual time and node", "[kernel][assert]") {
  struct Thrown {
    std::string text;
  };
  const auto previous = set_assert_handler([](const AssertFailure& f) { throw Thrown{format_assert_failure(f)}; });
  SimulationOptions o;
  o.seed = 1234;
  o.reproduce_command = "ksim run x.json --seed 1234";
  auto sim = probe_cluster(1, o);
  sim->at(SimTime::from_ms(7), [&] { KSIM_ASSERT_MSG(1 + 1 == 3, "arithmetic is broken"); });
  std::string text;
  try {
    sim->run_until(SimTime::from_ms(10));
  } catch (const Thrown& t) {
    text = t.text;
  }
  set_assert_handler(previous);
  CHECK_THAT(text, Catch::Contains("1 + 1 == 3"));
  CHECK_THAT(text, Catch::Contains("arithmetic is broken"));
  CHECK_THAT(text, Catch::Contains("seed 1234"));
  CHECK_THAT(text, Catch::Contains("virtual time 7.0 ms"));
  CHECK_THAT(text, Catch::Contains("reproduce with: ksim run x.json --seed 1234"));
}

// Two nodes that answer each other at once, over links of no latency: a
// zero-time livelock, which the kernel stops instead of spinning.
class EchoNode final : public Node {
 public:
  explicit EchoNode(Env& env) : env_(env) {}
  void start() override {}
  void on_message(NodeId from, ConnectionId, const Message& msg) override { env_.send(from, msg); }
  void on_timer(TimerId, TimerTag) override {}
  void on_connection_lost(NodeId) override {}
  void kick(NodeId to) { env_.send(to, demo::Gossip{1}); }

 private:
  Env& env_;
};

TEST_CASE("virtual time that stops over many events is reported as a zero-time livelock naming what loops",
          "[kernel][livelock]") {
  SimulationOptions o = fixed_latency(Duration{});
  o.max_events_at_one_instant = 5000;
  o.reproduce_command = "ksim run loop.json";
  Simulation sim(o);
  for (const char* name : {"echo-1", "echo-2"})
    sim.add_node(name, "echo", [](Env& env) { return std::make_unique<EchoNode>(env); });
  sim.start();
  sim.run_until(SimTime::from_ms(7));
  // echo-1 sends one message to echo-2; from then on they bounce it at 7 ms.
  sim.invoke(NodeId{0}, [](Node& n) { static_cast<EchoNode&>(n).kick(NodeId{1}); });
  const std::string loop = assertion_failed_in([&] { sim.run_until(SimTime::from_ms(100)); });
  INFO(loop);
  CHECK_THAT(loop, Catch::Contains("zero-time livelock: virtual time stopped at 7.0 ms for 5000 events"));
  CHECK_THAT(loop, Catch::Contains("x echo-2: receives Gossip"));
  CHECK_THAT(loop, Catch::Contains("x echo-1: receives Gossip"));
  CHECK_THAT(loop, Catch::Contains("reproduce with: ksim run loop.json"));
}

TEST_CASE("many events at one instant that then let time pass are no livelock", "[kernel][livelock]") {
  SimulationOptions o;
  o.max_events_at_one_instant = 5000;
  auto sim = probe_cluster(1, o);
  // 4000 timers at 1 ms, 4000 at 2 ms: below the limit at each instant.
  act_as(*sim, P1, [](ProbeNode& p) {
    for (int i = 0; i < 4000; ++i) p.env().set_timer(millis(1), 1);
    for (int i = 0; i < 4000; ++i) p.env().set_timer(millis(2), 2);
  });
  CHECK(assertion_failed_in([&] { sim->run_until(SimTime::from_ms(10)); }).empty());
  CHECK(probe(*sim, P1).fired.size() == 8000);
}

}  // namespace
}  // namespace ksim::test
