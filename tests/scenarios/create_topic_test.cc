// The create_topic fault, and consumers that subscribe to a topic before it
// exists. Kafka's consumer joins its group with such a subscription; the
// leader's assignor skips the topic (AbstractPartitionAssignor.assign) until
// metadata has it, and the leader rejoins when its metadata snapshot changes
// (ConsumerCoordinator.rejoinNeededOrPending).
#include <catch2/catch.hpp>

#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

// orders exists from the start, invoices only once a create_topic fault
// creates it; c1 subscribes to both.
std::string late_topic(const std::string& faults, const std::string& expect = "[]") {
  return R"J({"name": "t", "seed": 4, "run_until_ms": 16000,
    "cluster": {"brokers": 3, "broker": {"offsets.topic.num.partitions": 3}},
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3},
               {"name": "invoices", "partitions": 1, "replication_factor": 3}],
    "clients": [
      {"id": "p1", "type": "producer", "workload": {"topic": "orders", "messages": 20, "rate_per_s": 10, "start_ms": 2000}},
      {"id": "c1", "type": "consumer", "config": {"group.id": "g1", "auto.offset.reset": "earliest"},
       "workload": {"subscribe": ["orders", "invoices"], "commit": "after_poll", "start_ms": 1000}}],
    "faults": )J" + faults + R"J(, "expect": )J" + expect + "}";
}

TEST_CASE("create_topic must name a topic of the scenario, once", "[scenarios][loader][create_topic]") {
  auto unknown = load_scenario(late_topic(R"J([{"at_ms": 5000, "create_topic": "invoice"}])J"), "t.json");
  CHECK(has_error(unknown, "faults[0].create_topic", "expected the name of a topic of this scenario (orders, invoices)"));
  auto twice = load_scenario(late_topic(R"J([{"at_ms": 5000, "create_topic": "invoices"},
                                             {"at_ms": 6000, "create_topic": "invoices"}])J"),
                             "t.json");
  CHECK(has_error(twice, "faults[1].create_topic", "invoices is already created by another create_topic fault"));
  auto extra = load_scenario(late_topic(R"J([{"at_ms": 5000, "create_topic": "invoices", "partitions": 3}])J"), "t.json");
  CHECK(has_error(extra, "faults[0].partitions", "goes with add_partitions"));
}

TEST_CASE("a consumer subscribed to a topic that does not exist yet joins and reads the topics that do",
          "[scenarios][runner][create_topic]") {
  // invoices is created at 12000 ms; until then c1 owns orders and reads it.
  // (Before ksim followed Kafka here, c1 waited for invoices before joining.)
  auto loaded = load_scenario(late_topic(R"J([{"at_ms": 12000, "create_topic": "invoices"}])J",
                                         R"J([{"at_ms": 11000, "generation": "g1", "is": 1},
                                              {"at_ms": 11000, "owner": "orders-0", "group": "g1", "is": "c1"},
                                              {"at_ms": 11000, "owner": "invoices-0", "group": "g1", "is": "none"},
                                              {"at_ms": 11000, "committed": "orders-0", "group": "g1", "at_least": 1},
                                              {"generation": "g1", "is": 2},
                                              {"owner": "invoices-0", "group": "g1", "is": "c1"}])J"),
                              "t.json");
  INFO((loaded.errors.empty() ? std::string() : loaded.errors[0].str()));
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, {});
  const RunResult result = run.run();
  for (const auto& e : result.expectations) {
    INFO(e.expectation.path << ": seen " << e.seen);
    CHECK(e.passed);
  }

  // The topic exists only from the fault on, and the group's second
  // generation follows within a metadata backoff, a poll and a rebalance.
  SimTime fault_at = SimTime::max(), created_at = SimTime::max(), second_generation = SimTime::max();
  for (const auto& e : run.trace().events()) {
    if (const auto* f = std::get_if<trace::FaultInjected>(&e.payload); f && f->fault == "create_topic") {
      CHECK(f->detail == "invoices");
      fault_at = e.time;
    }
    if (const auto* t = std::get_if<trace::TopicCreated>(&e.payload); t && t->topic == "invoices") created_at = e.time;
    if (const auto* g = std::get_if<trace::GroupStable>(&e.payload); g && g->generation.value == 2)
      second_generation = std::min(second_generation, e.time);
  }
  CHECK(fault_at == SimTime::from_ms(12000));
  CHECK(created_at == fault_at);
  CHECK(second_generation > created_at);
  CHECK(second_generation < created_at + millis(5000));  // not metadata.max.age.ms (5 minutes)
}

}  // namespace
}  // namespace ksim::scenarios
