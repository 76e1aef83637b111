#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/kernel/probe_node.h"

namespace ksim::test {
namespace {

template <class T>
size_t count_events(const Simulation& sim) {
  return static_cast<size_t>(std::count_if(sim.trace().events().begin(), sim.trace().events().end(),
                                           [](const TraceEvent& e) { return std::holds_alternative<T>(e.payload); }));
}

std::vector<std::string_view> drop_reasons(const Simulation& sim) {
  std::vector<std::string_view> out;
  for (const auto& e : sim.trace().events())
    if (auto* d = std::get_if<trace::MessageDropped>(&e.payload)) out.push_back(d->reason);
  return out;
}

TEST_CASE("a link is FIFO per direction even with random latency", "[kernel][network]") {
  SimulationOptions o;
  o.network.default_link = LinkSpec{millis(1), millis(50), {}, 0.0};
  auto sim = probe_cluster(2, o);
  // Send 200 messages, a few per millisecond, each with its own latency draw.
  for (uint64_t i = 0; i < 200; ++i) {
    sim->at(sim->now() + micros(static_cast<int64_t>(i) * 300), [&sim, i] {
      sim->invoke(P1, [i](Node& n) { static_cast<ProbeNode&>(n).env().send(P2, demo::Gossip{i}); });
    });
  }
  sim->run_until(SimTime::from_ms(1000));
  const auto& got = probe(*sim, P2).received;
  REQUIRE(got.size() == 200);
  for (uint64_t i = 0; i < got.size(); ++i) REQUIRE(got[i].counter == i);
  // Latency really varied: arrivals are not evenly spaced.
  std::vector<int64_t> gaps;
  for (size_t i = 1; i < got.size(); ++i) gaps.push_back((got[i].at - got[i - 1].at).us);
  CHECK(*std::max_element(gaps.begin(), gaps.end()) > 1000);
}

TEST_CASE("isolating a node loses its in-flight messages and both ends notice", "[kernel][network][partition]") {
  SimulationOptions o;
  o.network.default_link = LinkSpec{millis(10), millis(10), {}, 0.0};
  o.network.disconnect_detection = millis(3);
  auto sim = probe_cluster(3, o);
  act_as(*sim, P1, [](ProbeNode& p) {
    p.env().send(P2, demo::Gossip{1});
    p.env().send(P3, demo::Gossip{2});
  });
  sim->run_until(SimTime::from_ms(5));  // both in flight
  sim->network().isolate(P2);
  sim->run_until(SimTime::from_ms(50));
  CHECK(probe(*sim, P2).received.empty());
  REQUIRE(probe(*sim, P3).received.size() == 1);  // the other link is untouched
  CHECK(drop_reasons(*sim) == std::vector<std::string_view>{"connection_broken"});
  // Both ends of the broken connection hear of it after the detection delay.
  CHECK(probe(*sim, P1).lost == std::vector<NodeId>{P2});
  CHECK(std::count(probe(*sim, P2).lost.begin(), probe(*sim, P2).lost.end(), P1) == 1);
  CHECK(std::count(probe(*sim, P2).lost.begin(), probe(*sim, P2).lost.end(), P3) == 1);
}

TEST_CASE("sending over a cut link loses the message and healing restores delivery", "[kernel][network][partition]") {
  auto sim = probe_cluster(2);
  sim->network().set_link(P1, P2, false, false);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{1}); });
  sim->run_until(SimTime::from_ms(100));
  CHECK(probe(*sim, P2).received.empty());
  CHECK(drop_reasons(*sim) == std::vector<std::string_view>{"link_down"});
  CHECK_FALSE(sim->network().can_reach(P1, P2));
  sim->network().heal_all();
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{2}); });
  sim->run_until(SimTime::from_ms(200));
  REQUIRE(probe(*sim, P2).received.size() == 1);
  CHECK(probe(*sim, P2).received[0].counter == 2);
}

TEST_CASE("a one-way cut blocks one direction only", "[kernel][network][partition]") {
  auto sim = probe_cluster(2);
  sim->network().set_link(P1, P2, /*P1->P2*/ false, /*P2->P1*/ true);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{1}); });
  act_as(*sim, P2, [](ProbeNode& p) { p.env().send(P1, demo::Gossip{2}); });
  sim->run_until(SimTime::from_ms(100));
  CHECK(probe(*sim, P2).received.empty());
  CHECK(probe(*sim, P1).received.size() == 1);
}

TEST_CASE("Boost.Graph components show who can still talk to whom", "[kernel][network][partition]") {
  auto sim = probe_cluster(5);
  CHECK(sim->network().components().size() == 1);
  sim->network().partition({{P1, P2}, {P3, NodeId(3), NodeId(4)}});
  auto groups = sim->network().components();
  REQUIRE(groups.size() == 2);
  CHECK(groups[0] == std::vector<NodeId>{P1, P2});
  CHECK(groups[1] == std::vector<NodeId>{P3, NodeId(3), NodeId(4)});
  sim->crash(NodeId(4));
  CHECK(sim->network().components()[1] == std::vector<NodeId>{P3, NodeId(3)});
  sim->network().heal_all();
  CHECK(sim->network().components().size() == 1);
}

// Sends Gossip{counter} from `from` to `to` at `at_us` (inside the simulation).
void send_at(Simulation& sim, int64_t at_us, NodeId from, NodeId to, uint64_t counter) {
  sim.at(SimTime{} + micros(at_us), [&sim, from, to, counter] {
    sim.invoke(from, [&](Node& n) { static_cast<ProbeNode&>(n).env().send(to, demo::Gossip{counter}); });
  });
}

std::vector<uint64_t> counters(Simulation& sim, NodeId n) {
  std::vector<uint64_t> out;
  for (const auto& r : probe(sim, n).received) out.push_back(r.counter);
  return out;
}

TEST_CASE("a dropped message breaks its connection as TCP would: it and every later message that way are lost, "
          "both ends notice, and later messages travel on a new connection",
          "[kernel][network][faults]") {
  SimulationOptions o;
  o.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
  o.network.disconnect_detection = millis(10);
  auto sim = probe_cluster(3, o);
  sim->network().add_rule(MessageRule{MessageMatch{"Gossip", P1, P2}, RuleAction::drop, 3, 1});
  // At 0 ms P1 sends 1..5 to P2 (3 is the rule's) and 1..5 to P3 (not matched).
  for (uint64_t i = 1; i <= 5; ++i) {
    send_at(*sim, 0, P1, P2, i);
    send_at(*sim, 0, P1, P3, i);
  }
  send_at(*sim, 5000, P2, P1, 100);  // the other way, before anyone noticed: arrives
  send_at(*sim, 9500, P2, P1, 101);  // still in flight when the connection closes at 10 ms: lost
  send_at(*sim, 20000, P1, P2, 6);   // after the notice: a new connection
  sim->run_until(SimTime::from_ms(100));

  CHECK(counters(*sim, P2) == std::vector<uint64_t>{1, 2, 6});  // never 4 and 5 after the hole at 3
  CHECK(counters(*sim, P1) == std::vector<uint64_t>{100});
  CHECK(counters(*sim, P3).size() == 5);  // the other connection is untouched
  CHECK(drop_reasons(*sim) ==
        std::vector<std::string_view>{"fault_rule", "connection_broken", "connection_broken", "connection_broken"});
  // Both ends hear of it once, after the detection delay.
  CHECK(probe(*sim, P1).lost == std::vector<NodeId>{P2});
  CHECK(probe(*sim, P2).lost == std::vector<NodeId>{P1});
  CHECK(probe(*sim, P3).lost.empty());
}

TEST_CASE("a drop rule counts matching messages from when it was added and drops count of them",
          "[kernel][network][faults]") {
  auto sim = probe_cluster(2);
  sim->network().add_rule(MessageRule{MessageMatch{"Gossip", P1, P2}, RuleAction::drop, 2, 2});
  // One message every 50 ms: each one after a loss travels on a new connection.
  for (uint64_t i = 1; i <= 5; ++i) send_at(*sim, static_cast<int64_t>(i) * 50000, P1, P2, i);
  sim->run_until(SimTime::from_ms(500));
  CHECK(counters(*sim, P2) == std::vector<uint64_t>{1, 4, 5});
  CHECK(drop_reasons(*sim) == std::vector<std::string_view>{"fault_rule", "fault_rule"});
  CHECK(probe(*sim, P1).lost.size() == 2);
  CHECK(probe(*sim, P2).lost.size() == 2);
}

TEST_CASE("held messages arrive only after release", "[kernel][network][faults]") {
  auto sim = probe_cluster(2);
  const RuleId hold = sim->network().add_rule(MessageRule{MessageMatch{"", P1, P2}, RuleAction::hold, 1, 2});
  act_as(*sim, P1, [](ProbeNode& p) {
    for (uint64_t i = 1; i <= 3; ++i) p.env().send(P2, demo::Gossip{i});
  });
  sim->run_until(SimTime::from_ms(500));
  REQUIRE(probe(*sim, P2).received.size() == 1);
  CHECK(probe(*sim, P2).received[0].counter == 3);  // overtook the held two
  CHECK(count_events<trace::MessageHeld>(*sim) == 2);
  CHECK(sim->network().release_held(hold) == 2);
  sim->run_until(SimTime::from_ms(600));
  REQUIRE(probe(*sim, P2).received.size() == 3);
  CHECK(probe(*sim, P2).received[1].counter == 1);
  CHECK(probe(*sim, P2).received[2].counter == 2);
  CHECK(probe(*sim, P2).received[1].at > SimTime::from_ms(500));
}

TEST_CASE("a lossy link loses about the configured fraction of messages, each loss with its connection",
          "[kernel][network][faults]") {
  auto sim = probe_cluster(2);
  LinkSpec lossy;
  lossy.loss = 0.3;
  sim->network().set_link_spec(P1, P2, lossy);
  // One message every 20 ms: longer than the 10 ms detection, so each send
  // after a loss finds a new connection and draws its own fate.
  for (uint64_t i = 0; i < 1000; ++i) send_at(*sim, static_cast<int64_t>(i) * 20000, P1, P2, i);
  sim->run_until(SimTime::from_ms(21000));
  const double delivered = static_cast<double>(probe(*sim, P2).received.size());
  CHECK(delivered / 1000.0 == Approx(0.7).margin(0.05));
  // Every loss broke the connection: both ends heard of each one.
  const auto reasons = drop_reasons(*sim);
  const auto losses = static_cast<size_t>(std::count(reasons.begin(), reasons.end(), "lossy_link"));
  CHECK(losses == reasons.size());
  CHECK(losses + probe(*sim, P2).received.size() == 1000);
  CHECK(probe(*sim, P1).lost.size() == losses);
  CHECK(probe(*sim, P2).lost.size() == losses);
}

TEST_CASE("on a lossy link nothing arrives past a loss until the connection is renewed",
          "[kernel][network][faults]") {
  auto sim = probe_cluster(2);
  LinkSpec lossy;
  lossy.loss = 0.3;
  sim->network().set_link_spec(P1, P2, lossy);
  // A message every millisecond: a loss takes the following ~10 with it.
  for (uint64_t i = 0; i < 2000; ++i) send_at(*sim, static_cast<int64_t>(i) * 1000, P1, P2, i);
  sim->run_until(SimTime::from_ms(2100));
  const auto got = counters(*sim, P2);
  for (size_t i = 1; i < got.size(); ++i) CHECK(got[i] > got[i - 1]);
  const auto reasons = drop_reasons(*sim);
  const auto broken = static_cast<size_t>(std::count(reasons.begin(), reasons.end(), "connection_broken"));
  CHECK(broken > 0);  // sent on the dead connection before P1 noticed
  CHECK(got.size() + reasons.size() == 2000);
  CHECK(static_cast<double>(got.size()) / 2000.0 < 0.6);
}

TEST_CASE("a slow link adds its delay", "[kernel][network][faults]") {
  auto sim = probe_cluster(2);
  sim->network().set_link_spec(P1, P2, LinkSpec{millis(2), millis(2), millis(300), 0.0});
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{1}); });
  sim->run_until(SimTime::from_ms(1000));
  REQUIRE(probe(*sim, P2).received.size() == 1);
  CHECK(probe(*sim, P2).received[0].at == SimTime::from_ms(302));
}

TEST_CASE("a crash loses messages in flight to and from the node and peers notice", "[kernel][network][crash]") {
  SimulationOptions o;
  o.network.default_link = LinkSpec{millis(10), millis(10), {}, 0.0};
  auto sim = probe_cluster(2, o);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{1}); });
  act_as(*sim, P2, [](ProbeNode& p) { p.env().send(P1, demo::Gossip{2}); });
  sim->run_until(SimTime::from_ms(5));
  sim->crash(P2);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{3}); });  // to a dead node
  sim->run_until(SimTime::from_ms(50));
  CHECK(probe(*sim, P1).received.empty());
  CHECK(probe(*sim, P1).lost.size() == 1);
  auto reasons = drop_reasons(*sim);
  CHECK(reasons == std::vector<std::string_view>{"connection_broken", "connection_broken", "receiver_down"});
  sim->restart(P2);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{4}); });
  sim->run_until(SimTime::from_ms(100));
  REQUIRE(probe(*sim, P2).received.size() == 1);
  CHECK(probe(*sim, P2).received[0].counter == 4);
}

// Kafka's SocketServer answers a request on the socket it came in on, and drops
// the answer if that socket has closed (core/env/connection.h).
TEST_CASE("a reply on a connection that closed is dropped: neither a restarted nor a reconnected peer receives it",
          "[kernel][network][crash]") {
  SimulationOptions o;
  o.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
  auto sim = probe_cluster(2, o);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{1}); });
  sim->run_until(SimTime::from_ms(10));
  REQUIRE(probe(*sim, P2).received.size() == 1);
  const ReplyTo old_process{P1, probe(*sim, P2).received[0].connection};

  // P1 restarts while P2 holds the request (a parked Fetch, say).
  sim->crash(P1);
  sim->restart(P1);
  act_as(*sim, P2, [&](ProbeNode& p) { p.env().respond(old_process, demo::Gossip{100}); });
  sim->run_until(SimTime::from_ms(20));
  CHECK(probe(*sim, P1).received.empty());
  CHECK(drop_reasons(*sim).back() == "connection_closed");

  // The new process's request is answered on its own connection.
  act_as(*sim, P1, [](ProbeNode& p) { p.env().send(P2, demo::Gossip{2}); });
  sim->run_until(SimTime::from_ms(30));
  REQUIRE(probe(*sim, P2).received.size() == 2);
  const ReplyTo before_cut{P1, probe(*sim, P2).received[1].connection};
  CHECK(before_cut.connection != old_process.connection);
  act_as(*sim, P2, [&](ProbeNode& p) { p.env().respond(before_cut, demo::Gossip{200}); });
  sim->run_until(SimTime::from_ms(40));
  REQUIRE(probe(*sim, P1).received.size() == 1);
  CHECK(probe(*sim, P1).received[0].counter == 200);

  // A cut and a heal close that connection too: the same process, reconnected,
  // does not receive an answer meant for its old connection.
  sim->network().isolate(P1);
  sim->network().heal_all();
  act_as(*sim, P2, [&](ProbeNode& p) { p.env().respond(before_cut, demo::Gossip{300}); });
  sim->run_until(SimTime::from_ms(60));
  CHECK(probe(*sim, P1).received.size() == 1);
  CHECK(drop_reasons(*sim).back() == "connection_closed");
}

}  // namespace
}  // namespace ksim::test
