// The scenario loader rejects bad input before anything runs, and says where
// and what: every error has a JSON path, what was expected, and a "did you
// mean" for misspelt names.
#include <catch2/catch.hpp>
#include <string>

#include "scenario_lib/format/scenario_loader.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

// A small valid scenario; `extra` is spliced in after "run_until_ms".
std::string scenario_with(const std::string& extra, const std::string& cluster = R"J({"brokers": 3})J") {
  return R"J({"name": "t", "run_until_ms": 20000, "cluster": )J" + cluster + R"J(,
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [{"id": "p1", "type": "probe-producer", "config": {"acks": "1"},
                 "workload": {"topic": "orders", "messages": 10}}])J" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

TEST_CASE("a minimal scenario loads with Kafka's defaults", "[scenarios][loader]") {
  auto r = load_scenario(R"J({"name": "empty cluster", "run_until_ms": 1000})J", "t.json");
  REQUIRE(r.ok());
  const Scenario& s = *r.scenario;
  CHECK(s.name == "empty cluster");
  CHECK(s.seed == 1);
  CHECK(s.brokers == 3);
  CHECK(s.broker.replica_lag_time_max_ms == 30000);
  CHECK(s.broker.replication_truncation == TruncationMode::leader_epoch);
  CHECK(s.controller.broker_session_timeout_ms == 9000);
  CHECK(s.topics.empty());
}

TEST_CASE("the bundled example's values reach the scenario", "[scenarios][loader]") {
  auto r = load_scenario(scenario_with(R"J("seed": 7, "faults": [{"at_ms": 900, "isolate": "leader(orders-1)"},
      {"when": {"hw": {"partition": "orders-0", "reaches": 5}}, "after_ms": 30, "crash": "follower(orders-0)"}],
      "expect": [{"check": "lost_write", "holds": false}, {"at_ms": 15000, "leader": "orders-0", "is": "broker-2"}])J",
                                       R"J({"brokers": 3, "network": {"latency_ms": [2, 4]},
      "disk": {"per_broker": {"broker-2": {"writeback_delay_ms": 2000}}},
      "broker": {"replica.lag.time.max.ms": "10000", "replication.truncation": "high-watermark"},
      "controller": {"unclean.leader.election.enable": true}})J"),
                         "t.json");
  REQUIRE(r.ok());
  const Scenario& s = *r.scenario;
  CHECK(s.seed == 7);
  CHECK(s.latency_min == millis(2));
  CHECK(s.latency_max == millis(4));
  CHECK(s.writeback_delay_per_broker.at(2) == millis(2000));
  CHECK(s.broker.replica_lag_time_max_ms == 10000);  // a string, as in a properties file
  CHECK(s.broker.replication_truncation == TruncationMode::high_watermark);
  // One Kafka setting read by both roles: given to the controller, the brokers get it too.
  CHECK(s.controller.unclean_leader_election_enable);
  CHECK(s.broker.unclean_leader_election_enable);
  REQUIRE(s.clients.size() == 1);
  CHECK(s.clients[0].producer.acks == Acks::leader);
  CHECK(s.clients[0].workload->start_ms == 2500);
  REQUIRE(s.faults.size() == 2);
  CHECK(s.faults[0].trigger.at_ms == 900);
  CHECK(describe_fault(s.faults[0].action) == "isolate leader(orders-1)");
  CHECK(s.faults[1].trigger.kind == Trigger::Kind::hw_reaches);
  CHECK(s.faults[1].trigger.after_ms == 30);
  REQUIRE(s.expect.size() == 2);
  CHECK(s.expect[0].check == "lost-write");  // the canonical name
  CHECK(s.expect[1].leader == 2);
}

TEST_CASE("an unknown key is an error naming its path with the nearest known key", "[scenarios][loader]") {
  auto e = errors_of(R"J({"name": "t", "run_until_ms": 100, "clustr": {}})J");
  CHECK(has_error(e, "clustr", "did you mean \"cluster\"?"));
  // The suggestion is the error's hint, apart from its message (InputError).
  CHECK(hint_at(e, "clustr") == "did you mean \"cluster\"?");
  e = errors_of(scenario_with("", R"J({"brokers": 3, "netwrk": {}})J"));
  CHECK(has_error(e, "cluster.netwrk", "did you mean \"network\"?"));
  e = errors_of(R"J({"name": "t", "run_until_ms": 100, "topics": [{"name": "o"}],
                 "clients": [{"id": "p1", "type": "producer", "workload": {"topic": "o", "mesages": 3}}]})J");
  CHECK(has_error(e, "clients[0].workload.mesages", "did you mean \"messages\"?"));
  CHECK(has_error(e, "clients[0].workload.messages", "required"));
}

TEST_CASE("a value of the wrong type says what was expected and what it got", "[scenarios][loader]") {
  auto e = errors_of(R"J({"name": "t", "run_until_ms": 100, "seed": "7"})J");
  CHECK(has_error(e, "seed", "expected an integer >= 0, got \"7\""));
  e = errors_of(R"J({"name": 5, "run_until_ms": "soon"})J");
  CHECK(has_error(e, "name", "expected a string, got 5"));
  CHECK(has_error(e, "run_until_ms", "expected an integer"));
  e = errors_of(R"J({"run_until_ms": 100})J");
  CHECK(has_error(e, "name", "required"));
  e = errors_of(R"J([1, 2])J");
  CHECK(has_error(e, "", "a scenario is a JSON object"));
}

TEST_CASE("Kafka config names are checked, with misspellings and misplaced settings explained",
          "[scenarios][loader]") {
  auto e = errors_of(scenario_with("", R"J({"broker": {"replica_lag_time_max_ms": 100, "broker.session.timeout.ms": 5,
      "replication.truncation": "hw"}, "controller": {"replica.lag.time.max.ms": 1}})J"));
  CHECK(has_error(e, "cluster.broker.replica_lag_time_max_ms", "did you mean \"replica.lag.time.max.ms\"?"));
  CHECK(has_error(e, "cluster.broker.broker.session.timeout.ms", "put it in cluster.controller"));
  CHECK(has_error(e, "cluster.controller.replica.lag.time.max.ms", "put it in cluster.broker"));
  CHECK(has_error(e, "cluster.broker.replication.truncation", "\"leader-epoch\""));
  e = errors_of(scenario_with("", R"J({"broker": {"min.insync.replicas": 2}, "controller": {"min.insync.replicas": 3}})J"));
  CHECK(has_error(e, "cluster.controller.min.insync.replicas", "give it once"));
  e = errors_of(scenario_with("", R"J({"broker": {"replica.lag.time.max.ms": 0}})J"));
  CHECK(has_error(e, "cluster.broker.replica.lag.time.max.ms", "expected an integer >= 1, got 0"));
}

TEST_CASE("impossible topics are rejected: replication above the broker count, unknown brokers",
          "[scenarios][loader]") {
  auto e = errors_of(R"J({"name": "t", "run_until_ms": 100, "cluster": {"brokers": 3},
      "topics": [{"name": "orders", "replication_factor": 4},
                 {"name": "logs", "assignment": [[1, 2, 9]]},
                 {"name": "bad name!"},
                 {"name": "orders"},
                 {"name": "x", "partitions": 3, "assignment": [[1], [2]], "config": {"min.insync.replica": 2}}]})J");
  CHECK(has_error(e, "topics[0].replication_factor", "4 is more than the 3 brokers"));
  CHECK(has_error(e, "topics[1].assignment[0][2]", "no broker 9: the cluster has 3 brokers (broker-1..broker-3)"));
  CHECK(has_error(e, "topics[2].name", "not a legal Kafka topic name"));
  CHECK(has_error(e, "topics[3].name", "already defined"));
  CHECK(has_error(e, "topics[4].assignment", "has 2 partitions but partitions is 3"));
  CHECK(has_error(e, "topics[4].config.min.insync.replica", "did you mean \"min.insync.replicas\"?"));
}

TEST_CASE("acks must be 0, 1, -1 or all", "[scenarios][loader]") {
  for (const char* ok : {"\"0\"", "\"1\"", "\"-1\"", "\"all\"", "0", "1", "-1"}) {
    INFO(ok);
    auto r = load_scenario(R"J({"name": "t", "run_until_ms": 100, "clients": [{"id": "p1", "type": "producer",
        "config": {"acks": )J" + std::string(ok) + "}}]}",
                           "t.json");
    CHECK(r.ok());
  }
  auto e = errors_of(R"J({"name": "t", "run_until_ms": 100, "clients": [{"id": "p1", "type": "producer",
      "config": {"acks": "2"}}]})J");
  CHECK(has_error(e, "clients[0].config.acks", "expected acks 0, 1, -1 or \"all\", got \"2\""));
}

TEST_CASE("clients of types not built yet, and producer settings the probe producer lacks, are named as such",
          "[scenarios][loader]") {
  auto e = errors_of(R"J({"name": "t", "run_until_ms": 100, "clients": [
      {"id": "p1", "type": "probe-producer", "config": {"linger.ms": 5, "ackss": 1}},
      {"id": "c1", "type": "share-consumer", "group": "g1", "subscribe": ["orders"]},
      {"id": "x1", "type": "prodcer"},
      {"id": "broker-2", "type": "producer"}]})J");
  CHECK(has_error(e, "clients[0].config.linger.ms", "not supported by the probe producer"));
  CHECK(has_error(e, "clients[0].config.ackss", "did you mean \"acks\"?"));
  CHECK(has_error(e, "clients[1].type", "\"share-consumer\" clients are not supported yet"));
  CHECK(has_error(e, "clients[2].type", "did you mean \"producer\"?"));
  CHECK(has_error(e, "clients[3].id", "is a cluster node's name"));
  // The share consumer's own keys are not reported on top of "not supported yet".
  for (const auto& err : e) CHECK(err.path.rfind("clients[1].group", 0) != 0);
}

TEST_CASE("fault targets must name a node of the run or a role of a known partition", "[scenarios][loader]") {
  auto e = errors_of(scenario_with(R"J("faults": [
      {"at_ms": 100, "crash": "broker-9"},
      {"at_ms": 100, "crash": "brokr-2"},
      {"at_ms": 100, "isolate": "leadr(orders-0)"},
      {"at_ms": 100, "isolate": "leader(ordres-0)"},
      {"at_ms": 100, "isolate": "follower(orders-7)"},
      {"at_ms": 100, "pause": "p1", "duration_ms": 10},
      {"at_ms": 100, "controlled_shutdown": "controller"},
      {"at_ms": 100, "cut": ["broker-1", "broker-1"]}])J"));
  CHECK(has_error(e, "faults[0].crash",
                  "unknown node \"broker-9\": the cluster has 3 brokers (nodes: controller, broker-1..broker-3, p1)"));
  CHECK(has_error(e, "faults[1].crash", "unknown node \"brokr-2\"; did you mean \"broker-2\"?"));
  CHECK(has_error(e, "faults[2].isolate", "unknown role \"leadr(orders-0)\"; did you mean \"leader\"?"));
  CHECK(has_error(e, "faults[3].isolate", "unknown topic \"ordres\" in \"ordres-0\"; did you mean \"orders-0\"?"));
  CHECK(has_error(e, "faults[4].isolate", "topic orders has 2 partitions (orders-0..orders-1)"));
  CHECK(has_error(e, "faults[5].pause", "\"p1\" is a client"));
  CHECK(has_error(e, "faults[6].controlled_shutdown", "name a broker"));
  CHECK(has_error(e, "faults[7].cut", "two different nodes"));
}

TEST_CASE("fault times must be within the run, and each fault has one trigger and one kind", "[scenarios][loader]") {
  auto e = errors_of(scenario_with(R"J("faults": [
      {"at_ms": -5, "crash": "broker-1"},
      {"at_ms": 25000, "crash": "broker-1"},
      {"crash": "broker-1"},
      {"at_ms": 5, "when": {"leader_changes": "orders-0"}, "crash": "broker-1"},
      {"at_ms": 5},
      {"at_ms": 5, "crash": "broker-1", "isolate": "broker-2"},
      {"at_ms": 5, "pause": "broker-1"},
      {"at_ms": 5, "crash": "broker-1", "one_way": true},
      {"when": {}, "crash": "broker-1"},
      {"when": {"acked": {"client": "p2", "count": 3}}, "crash": "broker-1"}])J"));
  CHECK(has_error(e, "faults[0].at_ms", "expected an integer from 0 to"));
  CHECK(has_error(e, "faults[1].at_ms", "25000 is after run_until_ms (20000)"));
  CHECK(has_error(e, "faults[2]", "no trigger"));
  CHECK(has_error(e, "faults[3]", "either at_ms or when"));
  CHECK(has_error(e, "faults[4]", "no fault: give one of crash, power_loss"));
  CHECK(has_error(e, "faults[5]", "two faults in one entry (crash, isolate)"));
  CHECK(has_error(e, "faults[6].duration_ms", "required"));
  CHECK(has_error(e, "faults[7].one_way", "one_way goes with cut, not with crash"));
  CHECK(has_error(e, "faults[8].when", "expected one condition"));
  CHECK(has_error(e, "faults[9].when.acked.client", "unknown client \"p2\"; did you mean \"p1\"?"));
}

TEST_CASE("message rules name real message types, and releases name holds", "[scenarios][loader]") {
  auto e = errors_of(scenario_with(R"J("faults": [
      {"at_ms": 5, "drop": {"type": "ProduceRespons", "from": "leader(orders-0)", "to": "p1"}},
      {"at_ms": 5, "hold": {"type": "Fetch"}, "id": "h1"},
      {"at_ms": 6, "hold": {"type": "Fetch"}, "id": "h1"},
      {"at_ms": 7, "release": "h2"},
      {"at_ms": 8, "hold": {"type": "Fetch", "nth": 0}}])J"));
  CHECK(has_error(e, "faults[0].drop.type", "unknown message type \"ProduceRespons\"; did you mean \"ProduceResponse\"?"));
  CHECK(has_error(e, "faults[2].id", "another hold already has id \"h1\""));
  CHECK(has_error(e, "faults[3].release", "no hold has id \"h2\"; did you mean \"h1\"?"));
  CHECK(has_error(e, "faults[4]", "a hold needs an \"id\""));
  CHECK(has_error(e, "faults[4].hold.nth", "expected an integer >= 1"));
}

TEST_CASE("unknown checks are rejected with a suggestion and the list of checkers", "[scenarios][loader]") {
  auto e = errors_of(scenario_with(R"J("expect": [{"check": "lost_writes", "holds": false},
      {"check": "no_lost_acked_writes", "holds": true}, {"check": "duplicate"}])J"));
  CHECK(has_error(e, "expect[0].check", "unknown check \"lost_writes\"; did you mean \"lost-write\"?"));
  CHECK(has_error(e, "expect[1].check", "(checks: lost-write, duplicate,"));
  CHECK(has_error(e, "expect[2].holds", "required"));
}

TEST_CASE("state expectations name real partitions, brokers and clients, within the run", "[scenarios][loader]") {
  auto e = errors_of(scenario_with(R"J("expect": [
      {"leader": "orders-0", "is": "broker-4"},
      {"leader": "orders-0", "is": "broker-1", "at_ms": 30000},
      {"leo": "orders-0", "is": 3},
      {"hw": "orders-0", "at_least": 1, "at_most": 5},
      {"acked": "p9", "is": 1},
      {"sent": "p1", "error": "X", "is": 1},
      {"leader": "orders-0", "isr": "orders-0", "is": []}])J"));
  CHECK(has_error(e, "expect[0].is", "no broker \"broker-4\""));
  CHECK(has_error(e, "expect[1].at_ms", "30000 is after run_until_ms (20000)"));
  CHECK(has_error(e, "expect[2].broker", "required"));
  CHECK(has_error(e, "expect[3]", "give one of is, at_least, at_most, not several"));
  CHECK(has_error(e, "expect[4].acked", "unknown client \"p9\""));
  CHECK(has_error(e, "expect[5].error", "only a \"failed\" count"));
  CHECK(has_error(e, "expect[6]", "one expectation per entry"));
}

TEST_CASE("every error is reported at once and nothing is built", "[scenarios][loader]") {
  auto r = load_scenario(R"J({"name": "t", "run_until_ms": 100, "seed": -1, "clustr": 1,
      "topics": [{"name": "o", "replication_factor": 9}],
      "faults": [{"at_ms": 500, "crash": "broker-1"}], "expect": [{"check": "nope", "holds": true}]})J",
                         "t.json");
  CHECK_FALSE(r.ok());
  INFO(all_errors(r.errors));
  CHECK(r.errors.size() == 5);
}

TEST_CASE("malformed JSON and duplicate keys are reported with where they are", "[scenarios][loader]") {
  auto e = errors_of("{\"name\": \"t\",\n  \"run_until_ms\": 100,\n  \"seed\": }");
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.find("t.json: not valid JSON at line 3, column 11") != std::string::npos);
  e = errors_of(R"J({"name": "t", "run_until_ms": 100, "cluster": {"brokers": 3, "brokers": 5}})J");
  CHECK(has_error(e, "cluster.brokers", "duplicate key"));
  e = errors_of(R"J({"name": "t", "run_until_ms": 100, "faults": [{"at_ms": 1, "crash": "broker-1"},
      {"at_ms": 1, "at_ms": 2, "crash": "broker-1"}]})J");
  CHECK(has_error(e, "faults[1].at_ms", "duplicate key"));
}

TEST_CASE("an unreadable file is one error", "[scenarios][loader]") {
  auto r = load_scenario_file("/nonexistent/scenario.json");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "cannot read /nonexistent/scenario.json");
}

}  // namespace
}  // namespace ksim::scenarios
