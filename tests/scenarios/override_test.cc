// `ksim run --set PATH=VALUE`: overrides walk the scenario's JSON, with Kafka
// config names (which contain dots) taken whole inside config maps, topics by
// name and clients by id; the result is validated like the file.
#include <catch2/catch.hpp>

#include "scenario_lib/format/override.h"
#include "scenario_lib/format/scenario_loader.h"

namespace ksim::scenarios {
namespace {

const char* kScenario = R"J({"name": "t", "run_until_ms": 20000,
  "cluster": {"brokers": 3},
  "topics": [{"name": "orders", "replication_factor": 3}, {"name": "logs"}],
  "clients": [{"id": "p1", "type": "probe-producer", "config": {"acks": "1"}}],
  "faults": [{"at_ms": 1000, "crash": "broker-1"}, {"at_ms": 2000, "restart": "broker-1"}]})J";

Scenario load_with(std::vector<std::string> sets) {
  auto r = load_scenario(kScenario, "t.json", sets);
  INFO((r.errors.empty() ? std::string() : r.errors[0].str()));
  REQUIRE(r.ok());
  return *r.scenario;
}

std::vector<InputError> errors_with(std::vector<std::string> sets) {
  auto r = load_scenario(kScenario, "t.json", sets);
  CHECK_FALSE(r.ok());
  return r.errors;
}

TEST_CASE("an override (--set) reaches a client's Kafka setting by the client's id", "[scenarios][override]") {
  CHECK(load_with({"clients.p1.config.acks=all"}).clients[0].producer.acks == Acks::all);
  CHECK(load_with({"clients.p1.config.request.timeout.ms=5000"}).clients[0].producer.request_timeout_ms == 5000);
  CHECK(load_with({"clients.0.config.retries=3"}).clients[0].producer.retries == 3);
}

TEST_CASE("an override (--set) reaches a topic's config by the topic's name, dots and all", "[scenarios][override]") {
  const Scenario s = load_with({"topics.orders.config.min.insync.replicas=2"});
  CHECK(s.topics[0].configs.at("min.insync.replicas") == "2");
  CHECK(s.topics[1].configs.empty());
}

TEST_CASE("an override (--set) creates missing sections and reads values as JSON or text", "[scenarios][override]") {
  const Scenario s = load_with({"cluster.broker.replication.truncation=high-watermark",
                                "cluster.controller.unclean.leader.election.enable=true", "seed=9",
                                "cluster.network.latency_ms=[2,3]", "faults.1.at_ms=2500"});
  CHECK(s.broker.replication_truncation == TruncationMode::high_watermark);
  CHECK(s.controller.unclean_leader_election_enable);
  CHECK(s.seed == 9);
  CHECK(s.latency_max == millis(3));
  CHECK(s.faults[1].trigger.at_ms == 2500);
}

TEST_CASE("an override (--set) reports a path that leads nowhere, and values are validated like the file", "[scenarios][override]") {
  auto e = errors_with({"clients.p9.config.acks=all"});
  REQUIRE(e.size() == 1);
  CHECK(e[0].path == "--set clients.p9.config.acks");
  CHECK(e[0].message == "no entry named \"p9\" in clients (p1)");

  e = errors_with({"faults.5.at_ms=1"});
  CHECK(e[0].message == "faults has 2 entries; index 5 is out of range");
  e = errors_with({"seed"});
  CHECK(e[0].message.find("expected PATH=VALUE") == 0);
  e = errors_with({"name.x=1"});
  CHECK(e[0].message == "name is a string, which has no \"x\"");

  e = errors_with({"clients.p1.config.acks=7"});
  REQUIRE(e.size() == 1);
  CHECK(e[0].str() == "clients[0].config.acks: expected acks 0, 1, -1 or \"all\", got 7");
  e = errors_with({"cluster.broker.replica.lag.time.max.msec=5"});
  CHECK(e[0].message.find("did you mean \"replica.lag.time.max.ms\"?") != std::string::npos);
}

}  // namespace
}  // namespace ksim::scenarios
