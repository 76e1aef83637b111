// Issue 16: nothing a user feeds the scenario loader crashes it. Each case here
// once ended ksim with a signal (an escaped nlohmann exception, a stack
// overflow) or ran away with memory; now each is an error naming where and what.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "scenario_lib/format/json_value.h"
#include "scenario_lib/format/override.h"
#include "scenario_lib/format/scenario_loader.h"
#include "tests/scenarios/loader_errors.h"

namespace ksim::scenarios {
namespace {

const char* kSmall = R"J({"name": "t", "run_until_ms": 20000,
  "cluster": {"brokers": 3},
  "topics": [{"name": "orders", "replication_factor": 3}],
  "clients": [{"id": "p1", "type": "probe-producer", "config": {"acks": "1"}}],
  "faults": [{"at_ms": 1000, "crash": "broker-1"}, {"at_ms": 2000, "restart": "broker-1"}]})J";

std::vector<InputError> errors_with_sets(std::vector<std::string> sets) {
  auto r = load_scenario(kSmall, "t.json", sets);
  CHECK_FALSE(r.ok());
  return r.errors;
}

TEST_CASE("a number beyond a double's range is an error with its line, not an escaped out_of_range",
          "[scenarios][loader][hostile]") {
  auto e = errors_of("{\"name\": \"t\",\n  \"run_until_ms\": 1e400}");
  REQUIRE(e.size() == 1);
  INFO(all_errors(e));
  CHECK(e[0].message.find("t.json: a number at line 2, column 19 is out of range") == 0);
  // Elsewhere too: deep in a config map.
  e = errors_of(R"J({"name": "t", "run_until_ms": 100, "cluster": {"broker": {"num.io.threads": -1e999}}})J");
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.find("out of range") != std::string::npos);
}

TEST_CASE("JSON nested deeper than 64 levels is rejected before parsing, with its position",
          "[scenarios][loader][hostile]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  auto e = errors_of(R"J({"name": "t", "run_until_ms": 100, "seed": )J" + deep + "}");
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.find("nested deeper than 64") != std::string::npos);
  CHECK(e[0].message.find("line 1, column 107") != std::string::npos);
  // Brackets inside strings do not count.
  CHECK_FALSE(json_too_deep_at(R"J({"a": ")J" + std::string(100, '[') + "\"}").has_value());
  // A value that reaches an error message is shown briefly, however deep.
  CHECK(json_brief(Json::parse(std::string(60, '[') + std::string(60, ']'))).size() <= 40);
}

TEST_CASE("a --set value nested too deep, not UTF-8, or with an index too long for stoul is an error",
          "[scenarios][loader][hostile]") {
  auto e = errors_with_sets({"seed=" + std::string(1000, '[') + std::string(1000, ']')});
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.find("nests deeper than 64") != std::string::npos);

  e = errors_with_sets({"name=caf\xc3"});
  REQUIRE(e.size() == 1);
  CHECK(e[0].str() == "--set: not valid UTF-8 (byte 8 of the argument)");
  e = errors_with_sets({"clients.p\xff.config.acks=1"});
  REQUIRE(e.size() == 1);
  CHECK(e[0].message.find("not valid UTF-8") == 0);
  // Valid multi-byte UTF-8 passes the check (and fails later for its own reason).
  CHECK_FALSE(invalid_utf8_at("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80").has_value());
  CHECK(invalid_utf8_at("\xc0\xaf").has_value());          // overlong '/'
  CHECK(invalid_utf8_at("\xed\xa0\x80").has_value());      // a surrogate
  CHECK(invalid_utf8_at("\xe2\x82").has_value());          // cut short

  e = errors_with_sets({"faults.99999999999999999999999.at_ms=1"});
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "faults has 2 entries; index 99999999999999999999999 is out of range");
}

TEST_CASE("a scenario larger than the limit is one error, and reading stops at the limit",
          "[scenarios][loader][hostile]") {
  auto r = load_scenario(std::string(kMaxScenarioBytes + 1, ' '), "big.json");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("a scenario is at most 1048576 bytes") != std::string::npos);
  // /dev/zero never ends: the reader must stop on its own.
  r = load_scenario_file("/dev/zero");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "/dev/zero: larger than 1048576 bytes, the most a scenario may be "
                               "(scenarios/README.md, Limits)");
}

// A scenario whose cluster, client config and extra top-level keys vary.
std::string with(const std::string& cluster, const std::string& client_config, const std::string& extra = "") {
  return R"J({"name": "t", "run_until_ms": 20000, "cluster": {"brokers": 3)J" + cluster + R"J(},
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [{"id": "p1", "type": "producer", "config": {)J" + client_config + R"J(},
                 "workload": {"topic": "orders", "messages": 10}}])J" + extra + "}";
}

TEST_CASE("settings that would stop virtual time, sizes that would exhaust memory and meaningless expectations are refused",
          "[scenarios][loader][hostile]") {
  REQUIRE(errors_of(with("", "")).empty());
  auto e = errors_of(with(R"J(, "network": {"latency_ms": 0}, "broker": {"replica.fetch.wait.max.ms": 0})J", ""));
  CHECK(has_error(e, "cluster.broker.replica.fetch.wait.max.ms", "zero-time livelock"));
  CHECK(errors_of(with(R"J(, "network": {"latency_ms": 0})J", "")).empty());  // either alone is fine
  e = errors_of(with("", R"J("request.timeout.ms": 0, "retry.backoff.ms": 0)J"));
  CHECK(has_error(e, "clients[0].config.request.timeout.ms", "zero-time livelock"));
  CHECK(errors_of(with("", R"J("request.timeout.ms": 0, "retry.backoff.ms": 10)J")).empty());

  e = errors_of(with(R"J(, "broker": {"offsets.topic.num.partitions": 2147483647})J", ""));
  CHECK(has_error(e, "cluster.broker.offsets.topic.num.partitions", "from 1 to 10000"));
  e = errors_of(with("", "", R"J(, "expect": [{"hw": "orders-0", "is": -5}, {"leader_epoch": "orders-0", "is": -1}])J"));
  INFO(all_errors(e));
  REQUIRE(e.size() == 1);
  CHECK(has_error(e, "expect[0].is", "expected an integer >= 0, got -5"));
}

TEST_CASE("many errors show the first 20 and a count, and over-long lists are one error", "[scenarios][loader][hostile]") {
  std::string faults;
  for (int i = 0; i < 30; ++i) faults += std::string(i ? "," : "") + R"J({"at_ms": 1, "crash": "nobody"})J";
  auto e = errors_of(with("", "", R"J(, "faults": [)J" + faults + "]"));
  REQUIRE(e.size() == 21);
  CHECK(e[20].message == "... and 10 more errors (the first 20 are shown)");
  faults.clear();
  for (int i = 0; i < 10001; ++i) faults += std::string(i ? "," : "") + "{}";
  e = errors_of(with("", "", R"J(, "faults": [)J" + faults + "]"));
  REQUIRE(e.size() == 1);
  CHECK(e[0].str() == "faults: 10001 faults; a scenario has at most 10000 (scenarios/README.md, Limits)");
  e = errors_of(R"J({"name": ")J" + std::string(2000, 'n') + R"J(", "run_until_ms": 100})J");
  CHECK(has_error(e, "name", "2000 bytes; a scenario's one-line title is at most 1000"));
}

}  // namespace
}  // namespace ksim::scenarios
