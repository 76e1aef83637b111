// Consumer groups in scenarios: the coordinator(GROUP) fault role resolves
// when the fault fires to the broker leading the group's __consumer_offsets
// partition, and a scenario can state what a group looks like at a time: its
// generation, which consumer owns a partition, what offset it committed.
#include <catch2/catch.hpp>
#include <string>

#include "core/group/coordinator/coordinator_partition.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/cluster/partition_view.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

// Three brokers, orders with 2 partitions, p1 producing 40 records to
// orders-0 from 2000 ms, consumers c1 and c2 in g1 committing after each
// poll; `faults` and `expect` spliced in.
std::string group_story(const std::string& faults, const std::string& expect, int64_t until_ms = 20000) {
  return R"J({"name": "t", "seed": 2, "run_until_ms": )J" + std::to_string(until_ms) + R"J(,
    "cluster": {"brokers": 3, "broker": {"offsets.topic.num.partitions": 3}},
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [
      {"id": "p1", "type": "producer",
       "workload": {"topic": "orders", "partition": 0, "messages": 40, "rate_per_s": 10, "start_ms": 2000}},
      {"id": "c1", "type": "consumer", "config": {"group.id": "g1", "auto.offset.reset": "earliest"},
       "workload": {"subscribe": ["orders"], "commit": "after_poll", "start_ms": 500}},
      {"id": "c2", "type": "consumer", "config": {"group.id": "g1", "auto.offset.reset": "earliest"},
       "workload": {"subscribe": ["orders"], "commit": "after_poll", "start_ms": 500}}],
    "faults": )J" + faults + R"J(, "expect": )J" + expect + "}";
}

TEST_CASE("group expectations load: generation, owner and committed name a group of the scenario",
          "[scenarios][loader][group]") {
  auto r = load_scenario(group_story(R"J([{"at_ms": 9000, "crash": "coordinator(g1)"}])J",
                                     R"J([{"generation": "g1", "at_least": 1},
                                         {"at_ms": 8000, "owner": "orders-1", "group": "g1", "is": "c2"},
                                         {"owner": "orders-0", "group": "g1", "is": "none"},
                                         {"committed": "orders-0", "group": "g1", "is": 40}])J"),
                         "t.json");
  INFO(all_errors(r.errors));
  REQUIRE(r.ok());
  const Scenario& s = *r.scenario;
  REQUIRE(s.faults.size() == 1);
  CHECK(describe_fault(s.faults[0].action) == "crash coordinator(g1)");
  REQUIRE(s.expect.size() == 4);
  CHECK(s.expect[0].kind == Expectation::Kind::generation);
  CHECK(s.expect[0].str() == "generation of group g1 is at least 1");
  CHECK(s.expect[1].kind == Expectation::Kind::owner);
  CHECK(s.expect[1].owner == "c2");
  CHECK(s.expect[1].str() == "at 8000 ms: owner of orders-1 in group g1 is c2");
  CHECK(s.expect[2].owner.empty());
  CHECK(s.expect[3].kind == Expectation::Kind::committed);
  CHECK(s.expect[3].str() == "committed offset of orders-0 in group g1 is 40");
}

TEST_CASE("bad group expectations and coordinator roles are errors at their JSON paths", "[scenarios][loader][group]") {
  auto e = errors_of(group_story(R"J([{"at_ms": 9000, "crash": "coordinator()"},
                                     {"at_ms": 9000, "crash": "coordinatr(g1)"}])J",
                                 R"J([{"generation": "g2", "is": 1},
                                     {"owner": "orders-0", "is": "c1"},
                                     {"owner": "orders-0", "group": "g1", "is": "p1"},
                                     {"owner": "orders-0", "group": "g1", "at_least": 1},
                                     {"owner": "orders-9", "group": "g1", "is": "c9"},
                                     {"committed": "orders-0", "group": "g1"},
                                     {"generation": "g1", "is": 1, "group": "g1"}])J"));
  INFO(all_errors(e));
  CHECK(has_error(e, "faults[0].crash", "coordinator() needs a group id"));
  CHECK(has_error(e, "faults[1].crash", "did you mean \"coordinator\"?"));
  CHECK(has_error(e, "expect[0].generation", "no consumer client has group.id \"g2\"; did you mean \"g1\"?"));
  CHECK(has_error(e, "expect[1].group", "required: the consumer group"));
  CHECK(has_error(e, "expect[2].is", "\"p1\" is a producer, not a consumer"));
  CHECK(has_error(e, "expect[3].at_least", "use \"is\""));
  CHECK(has_error(e, "expect[4].owner", "topic orders has 2 partitions"));
  CHECK(has_error(e, "expect[4].is", "unknown client \"c9\""));
  CHECK(has_error(e, "expect[5]", "expected one of is, at_least, at_most"));
  CHECK(has_error(e, "expect[6].group", "unknown key"));
}

TEST_CASE("coordinator(g1) resolves when the fault fires: before the offsets topic exists it skips, after it "
          "crashes the leader of g1's __consumer_offsets partition",
          "[scenarios][runner][group]") {
  const std::string offsets_tp = "__consumer_offsets-" + std::to_string(offsets_partition_for("g1", 3).value);
  auto r = load_scenario(group_story(R"J([{"at_ms": 100, "crash": "coordinator(g1)"},
                                         {"at_ms": 9000, "crash": "coordinator(g1)"}])J",
                                     "[]", 9500),
                         "t.json");
  REQUIRE(r.ok());
  ScenarioRun run(*r.scenario, {});
  // Who leads g1's offsets partition just before the crash.
  int32_t coordinator = -1;
  run.cluster().sim().at(SimTime::from_ms(8999), [&] {
    coordinator = current_leader(run.cluster(), TopicPartition{"__consumer_offsets", offsets_partition_for("g1", 3)});
  });
  run.run();
  std::vector<std::pair<std::string, std::string>> faults;
  for (const auto& e : run.trace().events())
    if (const auto* f = std::get_if<trace::FaultInjected>(&e.payload)) faults.emplace_back(f->fault, f->detail);
  REQUIRE(faults.size() == 2);
  CHECK(faults[0].first == "skipped");
  CHECK(faults[0].second.find("has no leader (no coordinator yet)") != std::string::npos);
  REQUIRE(coordinator > 0);
  CHECK(faults[1].first == "crash");
  CHECK(faults[1].second == broker_name(coordinator) + " (coordinator of g1, leader of " + offsets_tp + ")");
  CHECK_FALSE(run.cluster().sim().is_running(run.cluster().broker_node(coordinator)));
}

TEST_CASE("group state expectations report the generation, each partition's owner and the committed offset",
          "[scenarios][runner][group]") {
  auto r = load_scenario(group_story("[]", R"J([{"generation": "g1", "is": 1},
                                               {"owner": "orders-0", "group": "g1", "is": "c1"},
                                               {"owner": "orders-0", "group": "g1", "is": "c2"},
                                               {"owner": "orders-1", "group": "g1", "is": "none"},
                                               {"committed": "orders-0", "group": "g1", "is": 40},
                                               {"at_ms": 200, "committed": "orders-0", "group": "g1", "is": 0}])J"),
                         "t.json");
  REQUIRE(r.ok());
  const RunResult res = run_scenario(*r.scenario);
  REQUIRE(res.expectations.size() == 6);
  const auto& x = res.expectations;
  CHECK(x[0].passed);
  CHECK(x[0].seen == "1");
  // Exactly one of c1 and c2 owns orders-0, the other orders-1.
  CHECK(x[1].passed != x[2].passed);
  CHECK((x[1].seen == "c1" || x[1].seen == "c2"));
  CHECK_FALSE(x[3].passed);
  CHECK(x[3].seen != "none");
  CHECK(x[4].passed);
  CHECK(x[4].seen == "40");
  CHECK_FALSE(x[5].passed);  // at 200 ms there is no coordinator yet
  CHECK(x[5].seen.find("no coordinator") != std::string::npos);
}

}  // namespace
}  // namespace ksim::scenarios
