// The add_partitions fault: an operator grows a topic mid-run. The loader
// checks it names a topic of the scenario and grows it; references to the new
// partitions are valid; the run adds them through the controller, producers
// find them at their next metadata refresh, and the report shows them.
#include <catch2/catch.hpp>

#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

// orders starts with 2 partitions; a keyed producer refreshes its metadata
// every 2 s; `faults` and `expect` spliced in.
std::string growing(const std::string& faults, const std::string& expect = "[]") {
  return R"J({"name": "t", "seed": 2, "run_until_ms": 20000,
    "cluster": {"brokers": 3},
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [{"id": "p1", "type": "producer", "config": {"metadata.max.age.ms": 2000},
                 "workload": {"topic": "orders", "messages": 80, "rate_per_s": 5, "start_ms": 3000,
                              "key": "user-{i % 8}"}}],
    "faults": )J" + faults + R"J(, "expect": )J" + expect + "}";
}

TEST_CASE("add_partitions must name a topic of the scenario and grow it", "[scenarios][loader][add_partitions]") {
  auto unknown = load_scenario(growing(R"J([{"at_ms": 5000, "add_partitions": "order", "partitions": 4}])J"), "t.json");
  CHECK(has_error(unknown, "faults[0].add_partitions", "expected the name of a topic of this scenario (orders)"));

  auto shrink = load_scenario(growing(R"J([{"at_ms": 5000, "add_partitions": "orders", "partitions": 2}])J"), "t.json");
  CHECK(has_error(shrink, "faults[0].partitions", "orders starts with 2 partitions, got 2"));

  auto missing = load_scenario(growing(R"J([{"at_ms": 5000, "add_partitions": "orders"}])J"), "t.json");
  CHECK(has_error(missing, "faults[0].partitions", "required"));

  auto misplaced = load_scenario(growing(R"J([{"at_ms": 5000, "crash": "broker-1", "partitions": 4}])J"), "t.json");
  CHECK(has_error(misplaced, "faults[0].partitions", "goes with add_partitions"));
}

TEST_CASE("partitions that only an add_partitions fault creates may be named, and no others",
          "[scenarios][loader][add_partitions]") {
  const std::string grow = R"J([{"at_ms": 5000, "add_partitions": "orders", "partitions": 4}])J";
  auto ok = load_scenario(growing(grow, R"J([{"hw": "orders-3", "at_least": 1}])J"), "t.json");
  INFO((ok.errors.empty() ? std::string() : ok.errors[0].str()));
  CHECK(ok.ok());
  auto beyond = load_scenario(growing(grow, R"J([{"hw": "orders-4", "at_least": 1}])J"), "t.json");
  CHECK(has_error(beyond, "expect[0].hw", "4 after add_partitions"));
}

TEST_CASE("a grown topic's new partitions are led, replicated and written once the producer refreshes its metadata",
          "[scenarios][runner][add_partitions]") {
  auto loaded = load_scenario(growing(R"J([{"at_ms": 8000, "add_partitions": "orders", "partitions": 4}])J",
                                      R"J([{"hw": "orders-2", "at_least": 1}, {"hw": "orders-3", "at_least": 1}])J"),
                              "t.json");
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, {});
  const RunResult result = run.run();

  // The fault, then the controller's answer, then the new partitions' leaders.
  SimTime fault_at{}, added_at{}, first_write_new{};
  for (const auto& e : run.trace().events()) {
    if (const auto* f = std::get_if<trace::FaultInjected>(&e.payload); f && f->fault == "add_partitions") {
      CHECK(f->detail == "orders to 4 partitions");
      fault_at = e.time;
    }
    if (const auto* a = std::get_if<trace::PartitionsAdded>(&e.payload)) {
      CHECK(a->first_new == 2);
      CHECK(a->partitions == 4);
      added_at = e.time;
    }
    if (const auto* l = std::get_if<trace::LogAppended>(&e.payload);
        l && l->topic == "orders" && l->partition.value >= 2 && first_write_new == SimTime{})
      first_write_new = e.time;
  }
  CHECK(fault_at == SimTime{} + millis(8000));
  CHECK(added_at == fault_at);
  // The producer only learns of them at its next metadata refresh
  // (metadata.max.age.ms 2000): not before, and not much later.
  CHECK(first_write_new > fault_at);
  CHECK(first_write_new < fault_at + millis(2000) + millis(500));

  REQUIRE(result.partitions.size() == 4);
  for (const auto& e : result.expectations) CHECK(e.passed);
  CHECK(result.passed());
}

TEST_CASE("add_partitions while the controller is down is skipped, with the reason",
          "[scenarios][runner][add_partitions]") {
  auto loaded = load_scenario(growing(R"J([{"at_ms": 7000, "crash": "controller"},
                                           {"at_ms": 8000, "add_partitions": "orders", "partitions": 4}])J"),
                              "t.json");
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, {});
  run.run();
  bool skipped = false;
  for (const auto& e : run.trace().events())
    if (const auto* f = std::get_if<trace::FaultInjected>(&e.payload); f && f->fault == "skipped")
      skipped = f->detail.find("the controller is not running") != std::string::npos;
  CHECK(skipped);
}

}  // namespace
}  // namespace ksim::scenarios
