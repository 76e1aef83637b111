// Liveness covers consumer groups: after the heal every group must be Stable
// on its coordinator with every consumer that is up among its members. A
// group that has settled is no finding; a consumer kept away past the bound
// (here: paused through the whole convergence time) is a liveness finding of
// its own, and the expectation the shrinker writes for it fails under
// `ksim run` exactly then.
#include <catch2/catch.hpp>

#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "explore/explorer.h"
#include "explore/liveness.h"

namespace ksim::explore {
namespace {

using Json = nlohmann::ordered_json;

GroupView group(std::string state, std::vector<GroupView::Consumer> consumers) {
  GroupView g;
  g.group = "g1";
  g.coordinator = 2;
  g.loaded = true;
  g.exists = true;
  g.state = std::move(state);
  g.generation = 3;
  g.consumers = std::move(consumers);
  return g;
}

TEST_CASE("a group has converged when it is Stable with every consumer that is up as a member",
          "[explore][liveness][group]") {
  CHECK(judge_liveness({}, {group("Stable", {{"c1", false, true}, {"c2", false, true}})}).converged);

  const auto rebalancing = judge_liveness({}, {group("PreparingRebalance", {{"c1", false, true}})});
  CHECK_FALSE(rebalancing.converged);
  CHECK(rebalancing.detail == "group g1: PreparingRebalance");
  CHECK(rebalancing.stuck_groups.size() == 1);
  CHECK(rebalancing.stuck.empty());

  const auto without = judge_liveness({}, {group("Stable", {{"c1", false, true}, {"c2", true, false}})});
  CHECK_FALSE(without.converged);
  CHECK(without.detail == "group g1: Stable without c2 (paused)");

  GroupView orphan = group("", {{"c1", false, false}});
  orphan.coordinator = -1;
  orphan.loaded = orphan.exists = false;
  CHECK(judge_liveness({}, {orphan}).detail == "group g1: no coordinator");
}

// Two consumers share g1; the fault phase runs 4 s .. 10 s, then 15 s to converge.
constexpr const char* kGroupBase = R"J({
  "name": "explore base: one group of two consumers",
  "seed": 1,
  "cluster": { "brokers": 3, "broker": { "offsets.topic.num.partitions": 3 } },
  "topics": [ { "name": "orders", "partitions": 2, "replication_factor": 3 } ],
  "clients": [
    { "id": "p1", "type": "producer",
      "workload": { "topic": "orders", "partition": 0, "messages": 60, "rate_per_s": 10, "start_ms": 4000 } },
    { "id": "c1", "type": "consumer",
      "config": { "group.id": "g1", "session.timeout.ms": 6000, "auto.offset.reset": "earliest" },
      "workload": { "subscribe": ["orders"], "start_ms": 1000 } },
    { "id": "c2", "type": "consumer",
      "config": { "group.id": "g1", "session.timeout.ms": 6000, "auto.offset.reset": "earliest" },
      "workload": { "subscribe": ["orders"], "start_ms": 1000 } }
  ],
  "faults": [],
  "run_until_ms": 10000,
  "expect": [ { "check": "lost-write", "holds": true } ]
})J";

std::unique_ptr<Explorer> group_explorer() {
  auto made = Explorer::make(kGroupBase, "group_base.json", {}, ExploreOptions{});
  INFO((made.errors.empty() ? std::string() : made.errors.front().str()));
  REQUIRE(made.errors.empty());
  return std::move(made.explorer);
}

// The explored scenario with `faults` as the fault phase, then the heal phase
// (as the schedule generator writes it).
Json explored(const Explorer& e, Json faults) {
  FaultSchedule s;
  s.phase_start_ms = 4000;
  s.phase_end_ms = 10000;
  Json doc = e.scenario_json(7, s);
  faults.push_back(Json{{"at_ms", 10000}, {"heal", "all"}, {"note", kHealPhaseNote}});
  faults.push_back(Json{{"at_ms", 10000}, {"restart", "controller"}, {"note", kHealPhaseNote}});
  for (int b = 1; b <= 3; ++b)
    faults.push_back(Json{{"at_ms", 10000}, {"restart", "broker-" + std::to_string(b)}, {"note", kHealPhaseNote}});
  doc["faults"] = std::move(faults);
  return doc;
}

scenarios::RunResult replay_with(Json doc, const std::vector<std::string>& expect) {
  doc["expect"] = Json::array();
  for (const auto& text : expect) doc["expect"].push_back(Json::parse(text));
  auto loaded = scenarios::load_scenario(doc.dump(), "replay.json");
  INFO((loaded.ok() ? std::string() : loaded.errors.front().str()));
  REQUIRE(loaded.ok());
  return scenarios::run_scenario(*loaded.scenario);
}

TEST_CASE("a group whose coordinator crashed and came back is Stable again after the heal: no liveness finding",
          "[explore][liveness][group]") {
  ThrowOnInvariantFailure throwing;
  auto e = group_explorer();
  const Json doc = explored(*e, Json::array({Json{{"at_ms", 5000}, {"crash", "coordinator(g1)"}},
                                             Json{{"at_ms", 7000}, {"restart", "broker-1"}},
                                             Json{{"at_ms", 7000}, {"restart", "broker-2"}},
                                             Json{{"at_ms", 7000}, {"restart", "broker-3"}}}));
  const RunVerdict v = e->run_json(doc);
  for (const auto& f : v.findings) UNSCOPED_INFO(f.check << ": " << f.detail);
  CHECK(v.findings.empty());

  const GroupView converged = []() {
    GroupView g;
    g.group = "g1";
    g.consumers = {{"c1", false, true}, {"c2", false, true}};
    return g;
  }();
  const scenarios::RunResult replay = replay_with(doc, liveness_expectation_texts(converged));
  REQUIRE(replay.expectations.size() == 1);
  INFO(replay.expectations[0].seen);
  CHECK(replay.expectations[0].passed);
}

TEST_CASE("a consumer paused through the whole convergence time leaves its group Stable without it: "
          "a liveness finding of its own, and its written expectation fails under ksim run",
          "[explore][liveness][group]") {
  ThrowOnInvariantFailure throwing;
  auto e = group_explorer();
  const Json doc =
      explored(*e, Json::array({Json{{"at_ms", 6000}, {"pause", "c2"}, {"duration_ms", 60000}}}));
  const RunVerdict v = e->run_json(doc);
  REQUIRE(v.findings.size() == 1);
  CHECK(v.findings[0].check == kLiveness);
  CHECK(v.findings[0].detail == "group g1: Stable without c2 (paused)");

  GroupView stuck;
  stuck.group = "g1";
  stuck.consumers = {{"c1", false, true}, {"c2", true, false}};
  const auto texts = liveness_expectation_texts(stuck);
  REQUIRE(texts.size() == 1);
  CHECK(Json::parse(texts[0])["members"] == Json::array({"c1", "c2"}));
  const scenarios::RunResult replay = replay_with(doc, texts);
  REQUIRE(replay.expectations.size() == 1);
  CHECK_FALSE(replay.expectations[0].passed);
  CHECK(replay.expectations[0].seen.find("c2 is not a member") != std::string::npos);
}

}  // namespace
}  // namespace ksim::explore
