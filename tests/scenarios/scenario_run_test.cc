// The scenario runner: targets resolve when a fault fires, event triggers fire
// once at the moment their condition first holds, expectations report what
// they saw, and a (scenario, seed) always gives the same trace.
#include <catch2/catch.hpp>
#include <filesystem>

#include "scenario_lib/run/run_report.h"
#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"

namespace ksim::scenarios {
namespace {

Scenario load(const std::string& text, std::vector<std::string> sets = {}) {
  auto r = load_scenario(text, "t.json", sets);
  INFO((r.errors.empty() ? std::string() : r.errors[0].str()));
  REQUIRE(r.ok());
  return *r.scenario;
}

// Three brokers, orders-0 on [2, 3, 1] (broker-2 leads), p1 sending 10 records
// at 10/s from 2500 ms with acks=all; `faults` and `expect` spliced in.
std::string story(const std::string& faults, const std::string& expect = "[]", int64_t until_ms = 8000) {
  return R"J({"name": "t", "seed": 4, "run_until_ms": )J" + std::to_string(until_ms) + R"J(,
    "cluster": {"brokers": 3, "network": {"latency_ms": [1, 3]}},
    "topics": [{"name": "orders", "assignment": [[2, 3, 1]]}],
    "clients": [{"id": "p1", "type": "probe-producer", "config": {"retries": 50},
                 "workload": {"topic": "orders", "messages": 10, "rate_per_s": 10, "start_ms": 2500}}],
    "faults": )J" + faults + R"J(, "expect": )J" + expect + "}";
}

struct Fault {
  SimTime time;
  std::string kind, detail;
};
std::vector<Fault> faults_in(const Trace& trace) {
  std::vector<Fault> out;
  for (const auto& e : trace.events())
    if (const auto* f = std::get_if<trace::FaultInjected>(&e.payload)) out.push_back({e.time, f->fault, f->detail});
  return out;
}

bool crashed(const Trace& trace, const std::string& node) {
  for (const auto& e : trace.events())
    if (std::holds_alternative<trace::NodeCrashed>(e.payload) && trace.header().node_name(e.node) == node) return true;
  return false;
}

TEST_CASE("leader(tp) and follower(tp) resolve when the fault fires, from the brokers' state",
          "[scenarios][runner][faults]") {
  ScenarioRun run(load(story(R"J([{"at_ms": 3000, "crash": "follower(orders-0)"},
                                 {"at_ms": 3000, "isolate": "leader(orders-0)"}])J")),
                  {});
  run.run();
  const auto faults = faults_in(run.trace());
  REQUIRE(faults.size() == 2);
  // The first replica in assignment order [2, 3, 1] that is not the leader (2).
  CHECK(faults[0].kind == "crash");
  CHECK(faults[0].detail == "broker-3 (follower of orders-0)");
  CHECK(crashed(run.trace(), "broker-3"));
  CHECK(faults[1].detail == "broker-2 (leader of orders-0) is cut off from every node");
}

TEST_CASE("a role that resolves to nothing skips the fault and says why in the trace", "[scenarios][runner][faults]") {
  // At 100 ms the topic does not exist yet: no leader.
  ScenarioRun run(load(story(R"J([{"at_ms": 100, "crash": "leader(orders-0)", "note": "too early"},
                                 {"at_ms": 200, "release": "nothing"},
                                 {"at_ms": 150, "hold": {"type": "Fetch"}, "id": "nothing", "duration_ms": 10}])J")),
                  {});
  run.run();
  const auto faults = faults_in(run.trace());
  REQUIRE(faults.size() == 4);
  CHECK(faults[0].kind == "skipped");
  CHECK(faults[0].detail == "crash leader(orders-0): leader(orders-0): orders-0 has no leader -- too early");
  CHECK(faults[1].kind == "hold");
  CHECK(faults[2].kind == "release");  // its own duration ran out at 160 ms
  CHECK(faults[2].time == SimTime::from_ms(160));
  CHECK(faults[3].kind == "skipped");
  CHECK(faults[3].detail == "release \"nothing\": no active hold \"nothing\"");
  for (int b = 1; b <= 3; ++b) CHECK_FALSE(crashed(run.trace(), "broker-" + std::to_string(b)));
}

TEST_CASE("an hw trigger fires once, after_ms after the HW first reaches the offset", "[scenarios][runner][triggers]") {
  ScenarioRun run(load(story(R"J([{"when": {"hw": {"partition": "orders-0", "reaches": 5}}, "after_ms": 7,
                                  "slow_link": ["p1", "broker-2"], "extra_delay_ms": 0}])J")),
                  {});
  run.run();
  SimTime reached = SimTime::max();
  for (const auto& e : run.trace().events())
    if (const auto* hw = std::get_if<trace::HighWatermarkChanged>(&e.payload))
      if (hw->hw.value >= 5 && e.time < reached) reached = e.time;
  REQUIRE(reached != SimTime::max());
  const auto faults = faults_in(run.trace());
  REQUIRE(faults.size() == 1);  // the HW passes 5 on every replica and goes on to 10: still once
  CHECK(faults[0].kind == "slow_link");
  CHECK(faults[0].time == reached + millis(7));
}

TEST_CASE("an acked trigger fires at the ack that reaches the count", "[scenarios][runner][triggers]") {
  ScenarioRun run(load(story(R"J([{"when": {"acked": {"client": "p1", "count": 3}}, "heal": "all"}])J")), {});
  run.run();
  std::vector<SimTime> acks;
  for (const auto& e : run.trace().events())
    if (std::holds_alternative<trace::ProducerAcked>(e.payload)) acks.push_back(e.time);
  REQUIRE(acks.size() == 10);
  const auto faults = faults_in(run.trace());
  REQUIRE(faults.size() == 1);
  CHECK(faults[0].time == acks[2]);
}

TEST_CASE("a leader_changes trigger ignores the first election and fires once at the next", "[scenarios][runner][triggers]") {
  // Two failovers: broker-2 dies at 3 s (broker-3 takes over after the session
  // timeout), broker-3 dies at 14 s (broker-1 takes over). The trigger fires at
  // the first only.
  ScenarioRun run(load(story(R"J([{"at_ms": 3000, "crash": "broker-2"}, {"at_ms": 14000, "crash": "broker-3"},
                                 {"when": {"leader_changes": "orders-0"}, "after_ms": 1, "heal": "all"}])J",
                             "[]", 30000)),
                  {});
  run.run();
  std::vector<SimTime> new_leaders;
  for (const auto& e : run.trace().events())
    if (const auto* r = std::get_if<trace::ReplicaRoleChanged>(&e.payload))
      if (r->role == "leader") new_leaders.push_back(e.time);
  REQUIRE(new_leaders.size() == 3);  // the first leader, then two successors
  std::vector<Fault> heals;
  for (const auto& f : faults_in(run.trace()))
    if (f.kind == "heal") heals.push_back(f);
  REQUIRE(heals.size() == 1);
  CHECK(heals[0].time == new_leaders[1] + millis(1));
}

TEST_CASE("expectations report pass or fail with what the run showed", "[scenarios][runner][expect]") {
  const Scenario s = load(story(R"J([{"at_ms": 3000, "crash": "leader(orders-0)"}])J",
                                R"J([{"at_ms": 2900, "leader": "orders-0", "is": "broker-2"},
                                    {"leader": "orders-0", "is": "broker-2"},
                                    {"running": "broker-2", "is": false},
                                    {"hw": "orders-0", "broker": "broker-2", "is": 0},
                                    {"acked": "p1", "at_least": 1},
                                    {"failed": "p1", "error": "NOT_ENOUGH_REPLICAS", "is": 0},
                                    {"isr": "orders-0", "is": ["broker-1", "broker-3"]},
                                    {"check": "lost-write", "holds": true}])J",
                                20000));
  const RunResult r = run_scenario(s);
  REQUIRE(r.expectations.size() == 8);
  auto find = [&](const std::string& path) -> const ExpectationResult& {
    for (const auto& e : r.expectations)
      if (e.expectation.path == path) return e;
    FAIL("no result for " << path);
    throw;
  };
  CHECK(find("expect[0]").passed);  // before the crash
  CHECK_FALSE(find("expect[1]").passed);
  CHECK(find("expect[1]").seen == "broker-3");  // the first follower in assignment order took over
  CHECK(find("expect[2]").passed);
  CHECK_FALSE(find("expect[3]").passed);
  CHECK(find("expect[3]").seen == "broker-2 is down");
  CHECK(find("expect[4]").passed);
  CHECK(find("expect[5]").passed);
  CHECK(find("expect[6]").passed);
  CHECK(find("expect[7]").passed);
  CHECK(r.failed_expectations() == 2);
  CHECK_FALSE(r.passed());
}

TEST_CASE("a run cut short judges only what it reached", "[scenarios][runner][expect]") {
  const Scenario s = load(story("[]", R"J([{"at_ms": 1000, "running": "broker-1", "is": true},
      {"leader": "orders-0", "is": "broker-2"}, {"check": "lost-write", "holds": true}])J"));
  RunOptions o;
  o.until_ms = 2000;
  const RunResult r = run_scenario(s, o);
  CHECK(r.cut_short);
  CHECK(r.ran_until_ms == 2000);
  CHECK(r.checks.empty());
  CHECK(r.unjudged_expectations() == 2);
  CHECK(r.passed());
}

TEST_CASE("the same scenario and seed give the same trace hash, another seed another one",
          "[scenarios][runner][determinism]") {
  const std::string dir = bundled_scenario_dir();
  REQUIRE_FALSE(dir.empty());
  auto loaded = load_scenario_file(dir + "/acks1_leader_crash.json");
  REQUIRE(loaded.ok());
  const RunResult a = run_scenario(*loaded.scenario);
  const RunResult b = run_scenario(*loaded.scenario);
  CHECK(a.trace_hash == b.trace_hash);
  CHECK(a.events == b.events);
  Scenario other = *loaded.scenario;
  other.seed += 1;
  CHECK(run_scenario(other).trace_hash != a.trace_hash);
}

TEST_CASE("every bundled scenario validates", "[scenarios][bundled]") {
  const std::string dir = bundled_scenario_dir();
  REQUIRE_FALSE(dir.empty());
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "scenario.schema.json") continue;
    ++count;
    auto r = load_scenario_file(entry.path().string());
    INFO(entry.path().string() << ": " << (r.errors.empty() ? "" : r.errors[0].str()));
    CHECK(r.ok());
    if (r.ok()) {
      CHECK_FALSE(r.scenario->description.empty());
      CHECK_FALSE(r.scenario->expect.empty());
    }
  }
  CHECK(count >= 13);
}

TEST_CASE("the effective configuration shows what differs from Kafka's defaults", "[scenarios][report]") {
  const Scenario s = load(story("[]"), {"cluster.broker.replication.truncation=high-watermark",
                                        "cluster.controller.broker.session.timeout.ms=6000"});
  const std::string text = describe_scenario(s);
  CHECK(text.find("broker:     replication.truncation=high-watermark") != std::string::npos);
  CHECK(text.find("controller: broker.session.timeout.ms=6000") != std::string::npos);
  CHECK(text.find("replica.lag.time.max.ms") == std::string::npos);  // a default: not shown
  CHECK(text.find("p1: probe-producer, retries=50; sends 10 records to orders-0, 10/s from 2500 ms") != std::string::npos);
}

}  // namespace
}  // namespace ksim::scenarios
