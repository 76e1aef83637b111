// The group_state expectation: a group's state on its coordinator, and which
// consumers are members of it. What `ksim explore` writes for a group that did
// not converge after the heal, so `ksim run` fails exactly while it has not.
#include <catch2/catch.hpp>
#include <string>

#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

// Consumers c1 and c2 in g1 over orders (2 partitions); `faults` and `expect` spliced in.
std::string two_consumers(const std::string& faults, const std::string& expect) {
  return R"J({"name": "t", "seed": 2, "run_until_ms": 15000,
    "cluster": {"brokers": 3, "broker": {"offsets.topic.num.partitions": 3}},
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [
      {"id": "p1", "type": "producer",
       "workload": {"topic": "orders", "partition": 0, "messages": 20, "rate_per_s": 10, "start_ms": 2000}},
      {"id": "c1", "type": "consumer", "config": {"group.id": "g1", "session.timeout.ms": 6000,
                                                  "auto.offset.reset": "earliest"},
       "workload": {"subscribe": ["orders"], "start_ms": 500}},
      {"id": "c2", "type": "consumer", "config": {"group.id": "g1", "session.timeout.ms": 6000,
                                                  "auto.offset.reset": "earliest"},
       "workload": {"subscribe": ["orders"], "start_ms": 500}}],
    "faults": )J" + faults + R"J(, "expect": )J" + expect + "}";
}

TEST_CASE("a group settled with both consumers is Stable with both as members", "[scenarios][group][liveness]") {
  auto r = load_scenario(two_consumers("[]", R"J([{"group_state": "g1", "is": "Stable", "members": ["c1", "c2"]}])J"),
                         "t.json");
  REQUIRE(r.ok());
  CHECK(r.scenario->expect[0].str() == "group g1 is Stable with members c1, c2");
  const RunResult run = run_scenario(*r.scenario);
  REQUIRE(run.expectations.size() == 1);
  INFO(run.expectations[0].seen);
  CHECK(run.expectations[0].passed);
}

TEST_CASE("a consumer paused past its session leaves the group Stable without it: the members expectation fails",
          "[scenarios][group][liveness]") {
  auto r = load_scenario(two_consumers(R"J([{"at_ms": 6000, "pause": "c2", "duration_ms": 20000}])J",
                                       R"J([{"group_state": "g1", "is": "Stable"},
                                           {"group_state": "g1", "is": "Stable", "members": ["c1", "c2"]}])J"),
                         "t.json");
  REQUIRE(r.ok());
  const RunResult run = run_scenario(*r.scenario);
  REQUIRE(run.expectations.size() == 2);
  CHECK(run.expectations[0].passed);
  CHECK_FALSE(run.expectations[1].passed);
  CHECK(run.expectations[1].seen.find("c2 is not a member") != std::string::npos);
}

TEST_CASE("bad group_state expectations are errors at their JSON paths", "[scenarios][loader][group]") {
  const auto e = load_scenario(two_consumers("[]", R"J([{"group_state": "g1", "is": "Stabel"},
                                                      {"group_state": "g9", "is": "Stable"},
                                                      {"group_state": "g1", "is": "Stable", "members": ["p1"]}])J"),
                               "t.json")
                     .errors;
  CHECK(has_error(e, "expect[0].is", "a group state, one of"));
  CHECK(has_error(e, "expect[1].group_state", "no consumer client has group.id \"g9\""));
  CHECK(has_error(e, "expect[2].members[0]", "\"p1\" is not a consumer of group \"g1\""));
}

}  // namespace
}  // namespace ksim::scenarios
