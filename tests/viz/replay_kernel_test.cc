// The replay model against the simulation kernel: what the model rebuilds from
// the trace at step N must be what the running Simulation itself had after
// those N events (nodes up, down or paused, links, messages in flight), going
// forwards, backwards, and after random seeks.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <sstream>

#include "sim/demo_run.h"
#include "sim/trace/jsonl.h"
#include "tests/viz/trace_builder.h"
#include "viz/model/reducers.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using test::TraceBuilder;

// What the Simulation itself says, read through its public API while it runs.
struct KernelTruth {
  uint64_t events = 0;  // trace events recorded so far
  std::vector<NodeStatus> status;
  std::vector<int32_t> incarnation;
  std::vector<uint8_t> links;  // [from * n + to]
  size_t on_the_wire = 0;
};

KernelTruth observe(Simulation& sim) {
  KernelTruth t;
  t.events = sim.trace().event_count();
  const size_t n = sim.node_count();
  for (size_t i = 0; i < n; ++i) {
    const NodeId id(static_cast<uint32_t>(i));
    t.status.push_back(!sim.is_running(id) ? NodeStatus::crashed
                       : sim.is_paused(id) ? NodeStatus::paused
                                           : NodeStatus::running);
    t.incarnation.push_back(sim.incarnation(id));
    for (size_t j = 0; j < n; ++j)
      t.links.push_back(i == j || sim.network().link(id, NodeId(static_cast<uint32_t>(j))).up ? 1 : 0);
  }
  t.on_the_wire = sim.network().in_flight();
  return t;
}

void check_matches(const ReplayModel& model, const KernelTruth& t) {
  const ClusterState& s = model.state();
  INFO("after " << t.events << " events");
  REQUIRE(s.events_applied == t.events);
  for (size_t i = 0; i < t.status.size(); ++i) {
    INFO("node " << model.header().nodes[i].name);
    CHECK(s.nodes[i].status == t.status[i]);
    CHECK(s.nodes[i].incarnation == t.incarnation[i]);
  }
  const size_t n = t.status.size();
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j)
      if (i != j) CHECK(s.link(NodeId(uint32_t(i)), NodeId(uint32_t(j))) == (t.links[i * n + j] != 0));
  const size_t wire =
      std::count_if(s.in_flight.begin(), s.in_flight.end(), [](const auto& m) { return !m.second.held; });
  CHECK(wire == t.on_the_wire);
}

// Runs the demo one kernel event at a time and notes the truth after each.
std::vector<KernelTruth> run_demo_observing(std::unique_ptr<Simulation>& sim, int64_t until_ms) {
  DemoOptions o;
  o.seed = 11;
  sim = build_demo(o);
  std::vector<KernelTruth> truths{observe(*sim)};
  while (sim->now() < SimTime::from_ms(until_ms) && sim->step()) {
    if (sim->trace().event_count() != truths.back().events) truths.push_back(observe(*sim));
  }
  return truths;
}

TEST_CASE("the replayed demo shows every node, link and message on the wire as the simulation had them",
          "[viz][model][kernel]") {
  std::unique_ptr<Simulation> sim;
  const auto truths = run_demo_observing(sim, 5000);
  REQUIRE(truths.size() > 500);
  ReplayModel model = ReplayModel::from_events(sim->trace().header(), sim->trace().events());
  REQUIRE(model.size() == sim->trace().event_count());

  SECTION("stepping forwards") {
    for (const auto& t : truths) {
      model.seek(t.events);
      check_matches(model, t);
    }
  }
  SECTION("stepping backwards from the end") {
    model.seek(model.size());
    for (auto it = truths.rbegin(); it != truths.rend(); ++it) {
      model.seek(it->events);
      check_matches(model, *it);
    }
  }
  SECTION("the run's faults are all visible at some step") {
    bool saw_crash = false, saw_pause = false, saw_cut = false, saw_restart = false;
    for (const auto& t : truths) {
      model.seek(t.events);
      const ClusterState& s = model.state();
      for (size_t i = 0; i < s.nodes.size(); ++i) {
        saw_crash |= s.nodes[i].status == NodeStatus::crashed;
        saw_pause |= s.nodes[i].status == NodeStatus::paused;
        saw_restart |= s.nodes[i].incarnation == 2;
      }
      saw_cut |= std::count(s.link_up.begin(), s.link_up.end(), 0) > 0;
    }
    CHECK(saw_crash);
    CHECK(saw_pause);
    CHECK(saw_cut);
    CHECK(saw_restart);
  }
}

TEST_CASE("a message in flight has its send and arrival times and leaves when delivered or dropped",
          "[viz][model][kernel]") {
  TraceBuilder b({{"a", "demo"}, {"b", "demo"}});
  b.at(0, "a", trace::NodeStarted{1}).at(0, "b", trace::NodeStarted{1});
  b.message(10, "a", "b", "Gossip", 4);                                      // events 2, 3 (delivered at 14)
  b.at(20, "a", trace::MessageHeld{7, b.node("b"), "Gossip"});               // 4
  b.at(25, "a", trace::MessageSent{7, b.node("b"), "Gossip", 16, SimTime::from_ms(29)});  // 5: released
  b.at(26, "a", trace::LinkChanged{b.node("b"), false, true});               // 6: a -> b cut
  b.at(26, "a", trace::MessageDropped{7, b.node("b"), "Gossip", "connection_broken"});    // 7
  b.at(27, "a", trace::MessageDropped{8, b.node("b"), "Gossip", "link_down"});            // 8: never left a
  ReplayModel m = b.model();

  m.seek(3);  // sent, not delivered
  REQUIRE(m.state().in_flight.size() == 1);
  const MessageInFlight& msg = m.state().in_flight.begin()->second;
  CHECK(msg.sent_at == SimTime::from_ms(10));
  CHECK(msg.deliver_at == SimTime::from_ms(14));
  CHECK(msg.type == "Gossip");
  m.seek(4);
  CHECK(m.state().in_flight.empty());
  m.seek(5);
  REQUIRE(m.state().in_flight.count(7) == 1);
  CHECK(m.state().in_flight.at(7).held);
  m.seek(6);
  CHECK_FALSE(m.state().in_flight.at(7).held);
  CHECK(m.state().in_flight.at(7).deliver_at == SimTime::from_ms(29));
  m.seek(7);
  CHECK_FALSE(m.state().link(b.node("a"), b.node("b")));
  CHECK(m.state().link(b.node("b"), b.node("a")));
  m.seek(9);
  CHECK(m.state().in_flight.empty());
  REQUIRE(m.state().recent_drops.size() == 2);
  CHECK(m.state().recent_drops[0].message.sent_at == SimTime::from_ms(25));  // dropped on the way
  CHECK(m.state().recent_drops[0].reason == "connection_broken");
  CHECK(m.state().recent_drops[1].message.sent_at == SimTime::from_ms(27));  // dropped at the sender
  m.seek(2);
  CHECK(m.state().recent_drops.empty());
}

TEST_CASE("a node that acts without a node_started event counts as running, a crashed one stays crashed",
          "[viz][model][kernel]") {
  TraceBuilder b({{"a", "demo"}, {"b", "demo"}, {"c", "demo"}});
  b.at(1, "a", trace::Note{"hand-written traces skip node_started"});
  b.at(2, "b", trace::NodeCrashed{true});
  b.at(3, "b", trace::DiskLost{"log", 5, 3});
  ReplayModel m = b.model();
  m.seek(m.size());
  CHECK(m.state().nodes[0].status == NodeStatus::running);
  CHECK(m.state().nodes[0].incarnation == 1);
  CHECK(m.state().nodes[1].status == NodeStatus::crashed);
  CHECK(m.state().disks[1].at("log").lost_entries == 2);
  CHECK(m.state().nodes[2].status == NodeStatus::not_started);
}

TEST_CASE("step_at_time counts the events at or before a time", "[viz][model]") {
  TraceBuilder b({{"a", "demo"}});
  b.at(0, "a", trace::NodeStarted{1}).at(5, "a", trace::Note{"x"}).at(5, "a", trace::Note{"y"}).at(9, "a",
                                                                                                 trace::Note{"z"});
  ReplayModel m = b.model();
  CHECK(m.step_at_time(SimTime::from_ms(0)) == 1);
  CHECK(m.step_at_time(SimTime::from_ms(4)) == 1);
  CHECK(m.step_at_time(SimTime::from_ms(5)) == 3);
  CHECK(m.step_at_time(SimTime::from_ms(100)) == 4);
  CHECK(m.end_time() == SimTime::from_ms(9));
}

TEST_CASE("a trace read from JSON Lines replays like the same trace in memory", "[viz][model][jsonl]") {
  DemoOptions o;
  o.until = SimTime::from_ms(3000);
  auto sim = build_demo(o);
  sim->run_until(o.until);
  std::string text;
  append_jsonl_header(text, sim->trace().header());
  for (const auto& e : sim->trace().events()) append_jsonl_event(text, sim->trace().header(), e);
  std::istringstream in(text);
  std::string error;
  auto from_file = ReplayModel::load_jsonl(in, error);
  REQUIRE(from_file);
  ReplayModel in_memory = ReplayModel::from_events(sim->trace().header(), sim->trace().events());
  REQUIRE(from_file->size() == in_memory.size());
  for (uint64_t step : {uint64_t{0}, uint64_t{17}, in_memory.size() / 2, in_memory.size()}) {
    from_file->seek(step);
    in_memory.seek(step);
    CHECK(from_file->state() == in_memory.state());
  }
}

TEST_CASE("a malformed trace is refused with the reader's line number", "[viz][model][jsonl]") {
  std::string error;
  std::istringstream bad(
      "{\"ksim_trace\":1,\"seed\":1,\"scenario\":\"x\",\"nodes\":[{\"name\":\"a\",\"role\":\"demo\"}]}\n"
      "{\"seq\":0,\"t_us\":0,\"node\":\"a\",\"kind\":\"node_started\",\"incarnation\":1}\n"
      "{\"seq\":1,\"t_us\":5,\"node\":\"a\",\"kind\":\"node_started\"\n");
  CHECK_FALSE(ReplayModel::load_jsonl(bad, error));
  CHECK(error.rfind("line 3:", 0) == 0);
  CHECK_FALSE(ReplayModel::load_file("/nonexistent/trace.jsonl", error));
  CHECK(error.find("cannot open") != std::string::npos);
}

// A reference: the state after `step` events, built by applying them one by
// one to a fresh state, with no snapshot and no cursor.
std::vector<ClusterState> every_state(const ReplayModel& m) {
  std::vector<ClusterState> out;
  ClusterState s(m.header().nodes.size());
  out.push_back(s);
  for (uint64_t i = 0; i < m.size(); ++i) {
    apply_event(s, EventContext{m.events()[i], i, m.nodes(), nullptr});
    out.push_back(s);
  }
  return out;
}

TEST_CASE("any sequence of seeks gives the state a fresh forward replay gives", "[viz][model][property]") {
  // Long enough for several snapshots (one per 4096 events).
  DemoOptions o;
  o.seed = 5;
  o.until = SimTime::from_ms(40000);
  auto sim = build_demo(o);
  sim->run_until(o.until);
  ReplayModel model = ReplayModel::from_events(sim->trace().header(), sim->trace().events());
  REQUIRE(model.size() > 3 * ReplayModel::kSnapshotEvery);
  const std::vector<ClusterState> reference = every_state(model);
  const uint64_t n = model.size();

  rc::prop("seeking anywhere, in any order, matches the forward replay", [&] {
    const auto targets = *rc::gen::container<std::vector<uint64_t>>(rc::gen::inRange<uint64_t>(0, n + 1));
    for (uint64_t t : targets) {
      model.seek(t);
      RC_ASSERT(model.step() == t);
      RC_ASSERT(model.state() == reference[t]);
      RC_ASSERT(model.last_seek_replayed() < ReplayModel::kSnapshotEvery);
    }
  });
  rc::prop("stepping back one event at a time matches the forward replay", [&] {
    const uint64_t start = *rc::gen::inRange<uint64_t>(1, n + 1);
    model.seek(start);
    for (uint64_t t = start; t-- > 0 && t + 40 > start;) {
      model.seek(t);
      RC_ASSERT(model.state() == reference[t]);
    }
  });
}

}  // namespace
}  // namespace ksim::viz
