// The scenario loader's side of the real producer (client type "producer"):
// Kafka's config names, Java's cross-setting rules reported at the client's
// config path, key patterns, and client restarts.
#include <catch2/catch.hpp>

#include "scenario_lib/format/key_pattern.h"
#include "scenario_lib/format/scenario_loader.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

std::string with_client(const std::string& client, const std::string& faults = "[]") {
  return R"J({"name": "t", "run_until_ms": 10000,
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [)J" + client + R"J(], "faults": )J" + faults + "}";
}

TEST_CASE("a producer client takes Kafka's producer settings with 4.x defaults", "[scenarios][producer]") {
  const LoadResult r = load_scenario(with_client(R"J({"id": "p1", "type": "producer",
      "config": {"linger.ms": 20, "batch.size": "32768", "max.in.flight.requests.per.connection": 3,
                 "partitioner.class": "org.apache.kafka.clients.producer.RoundRobinPartitioner"},
      "workload": {"topic": "orders", "messages": 5, "key": "user-{i % 3}", "sync": true, "resend_on_failure": 2}})J"),
                                     "t.json");
  REQUIRE(r.ok());
  const ClientSpec& c = r.scenario->clients[0];
  CHECK_FALSE(c.probe());
  CHECK(c.kafka.config.linger_ms == 20);
  CHECK(c.kafka.config.batch_size == 32768);
  CHECK(c.kafka.config.max_in_flight_requests_per_connection == 3);
  CHECK(c.kafka.config.acks == Acks::all);
  CHECK_FALSE(c.kafka.config.enable_idempotence.has_value());  // the default: on
  REQUIRE(c.workload);
  CHECK_FALSE(c.workload->partition_set);
  CHECK(c.workload->key == std::optional<std::string>("user-{i % 3}"));
  CHECK(c.workload->sync);
  CHECK(c.workload->resend_on_failure == 2);
}

TEST_CASE("explicit idempotence with acks=1 is reported at the client's config with Java's message",
          "[scenarios][producer]") {
  const LoadResult r = load_scenario(
      with_client(R"J({"id": "p1", "type": "producer", "config": {"enable.idempotence": true, "acks": "1"}})J"), "t.json");
  REQUIRE_FALSE(r.ok());
  CHECK(has_error(r, "clients[0].config", "Must set acks to all in order to use the idempotent producer"));
}

TEST_CASE("default idempotence with acks=1 loads: Java turns idempotence off silently", "[scenarios][producer]") {
  const LoadResult r =
      load_scenario(with_client(R"J({"id": "p1", "type": "producer", "config": {"acks": "1"}})J"), "t.json");
  CHECK(r.ok());
}

TEST_CASE("producer settings are checked by name and value", "[scenarios][producer]") {
  const LoadResult r = load_scenario(with_client(R"J({"id": "p1", "type": "producer",
      "config": {"lingr.ms": 5, "batch.size": -1, "partitioner.class": "murmur", "transactional.id": "t1"},
      "workload": {"topic": "orders", "messages": 1, "key": "k-{j}"}})J"),
                                     "t.json");
  CHECK(has_error(r, "clients[0].config.lingr.ms", "did you mean \"linger.ms\"?"));
  CHECK(has_error(r, "clients[0].config.batch.size", "expected an integer >= 0"));
  CHECK(has_error(r, "clients[0].config.partitioner.class", "unknown partitioner 'murmur'"));
  CHECK(has_error(r, "clients[0].config.transactional.id", "not supported by ksim's producer yet"));
  CHECK(has_error(r, "clients[0].workload.key", "unknown placeholder \"{j}\""));
}

TEST_CASE("clients can crash and restart, but not pause", "[scenarios][producer]") {
  const LoadResult r = load_scenario(with_client(R"J({"id": "p1", "type": "producer"})J",
                                                 R"J([{"at_ms": 100, "crash": "p1"}, {"at_ms": 200, "restart": "p1"},
                                                     {"at_ms": 300, "pause": "p1", "duration_ms": 10}])J"),
                                     "t.json");
  CHECK_FALSE(has_error(r, "faults[0].crash", "is a client"));
  CHECK_FALSE(has_error(r, "faults[1].restart", "is a client"));
  CHECK(has_error(r, "faults[2].pause", "is a client"));
}

TEST_CASE("key patterns expand {i} and {i % N} with the send number", "[scenarios][producer]") {
  CHECK(expand_key_pattern("k", 7) == "k");
  CHECK(expand_key_pattern("user-{i}", 42) == "user-42");
  CHECK(expand_key_pattern("user-{i % 10}", 42) == "user-2");
  CHECK(expand_key_pattern("{ i%3 }/{i}", 5) == "2/5");
  CHECK(check_key_pattern("a{i % 0}").find("unknown placeholder") != std::string::npos);
  CHECK(check_key_pattern("a{i").find("unclosed") != std::string::npos);
  CHECK(check_key_pattern("a}").find("unmatched") != std::string::npos);
}

TEST_CASE("a key pattern parsed once expands every send number like the one-shot expansion",
          "[scenarios][producer]") {
  const KeyPattern trailing("a{i}b{i % 2}c");
  CHECK(trailing.expand(5) == "a5b1c");
  CHECK(trailing.expand(9223372036854775807) == "a9223372036854775807b1c");
  CHECK(KeyPattern("").expand(3).empty());
  const KeyPattern user("user-{i % 1000}");
  for (int64_t i : {0, 7, 999, 1000, 123456}) CHECK(user.expand(i) == expand_key_pattern("user-{i % 1000}", i));
  CHECK(user.expand(123456) == "user-456");
}

}  // namespace
}  // namespace ksim::scenarios
