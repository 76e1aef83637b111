// The fault registry (sim/fault/fault_kind.h) is the one definition of a fault
// kind: the loader reads every kind through it, each kind writes back what it
// read, explore draws only registered kinds, and the JSON Schema lists exactly
// the registry's kinds and keys.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "explore/fault_kind.h"
#include "scenario_lib/format/fault_entry_writer.h"
#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "sim/fault/fault_kind.h"

namespace ksim::scenarios {
namespace {

// One entry of every kind, with every extra key some kind adds.
const char* kOneOfEach = R"J({"name": "one fault of each kind", "seed": 3, "run_until_ms": 20000,
  "cluster": {"brokers": 3},
  "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3},
             {"name": "late", "partitions": 1, "replication_factor": 3}],
  "clients": [{"id": "p1", "type": "producer", "workload": {"topic": "orders", "messages": 10, "start_ms": 2500}},
              {"id": "c1", "type": "consumer", "config": {"group.id": "g1"}, "workload": {"subscribe": ["orders"]}}],
  "faults": [
    {"at_ms": 3000, "crash": "leader(orders-0)", "note": "why"},
    {"at_ms": 3100, "power_loss": "broker-2"},
    {"at_ms": 3200, "restart": "broker-2"},
    {"at_ms": 3300, "pause": "follower(orders-1)", "duration_ms": 250},
    {"at_ms": 3400, "controlled_shutdown": "broker-3"},
    {"at_ms": 3500, "isolate": "p1"},
    {"at_ms": 3600, "heal": "all"},
    {"at_ms": 3700, "heal": ["broker-1", "controller"]},
    {"at_ms": 3800, "partition": [["broker-1", "c1"], ["broker-2", "broker-3", "controller"]]},
    {"at_ms": 3900, "cut": ["broker-1", "broker-2"], "one_way": true},
    {"at_ms": 4000, "slow_link": ["broker-1", "p1"], "extra_delay_ms": 40},
    {"at_ms": 4100, "lossy_link": ["broker-2", "controller"], "loss": 0.25},
    {"at_ms": 4200, "drop": {"type": "ProduceResponse", "from": "leader(orders-0)", "to": "p1", "nth": 2, "count": 3}},
    {"at_ms": 4300, "hold": {"type": "Fetch", "from": "follower(orders-0)"}, "id": "h1", "duration_ms": 500},
    {"at_ms": 4400, "release": "h1"},
    {"at_ms": 4500, "leave": "c1"},
    {"at_ms": 4600, "add_partitions": "orders", "partitions": 4},
    {"when": {"hw": {"partition": "orders-0", "reaches": 5}}, "after_ms": 100, "create_topic": "late"}]})J";

Scenario load_ok(const std::string& text) {
  auto loaded = load_scenario(text, "t.json");
  INFO((loaded.errors.empty() ? std::string() : loaded.errors.front().str()));
  REQUIRE(loaded.ok());
  return *loaded.scenario;
}

TEST_CASE("every registered fault kind is read by the loader, and writes back what it read", "[scenarios][faults]") {
  const Scenario s = load_ok(kOneOfEach);
  std::set<std::string_view> kinds;
  for (const auto& f : s.faults) kinds.insert(f.action->kind());
  CHECK(kinds.size() == fault_kinds().size());

  // Written back and read again: the same faults, described the same.
  nlohmann::json doc = nlohmann::json::parse(kOneOfEach);
  doc["faults"] = nlohmann::json::parse(fault_entries_json(s.faults).dump());
  const Scenario again = load_ok(doc.dump());
  REQUIRE(again.faults.size() == s.faults.size());
  for (size_t i = 0; i < s.faults.size(); ++i) {
    CHECK(again.faults[i].action->describe() == s.faults[i].action->describe());
    CHECK(again.faults[i].trigger.str() == s.faults[i].trigger.str());
    CHECK(again.faults[i].note == s.faults[i].note);
  }
  CHECK(s.faults[12].action->describe() == "drop ProduceResponse from leader(orders-0) to p1 (messages 2..4)");
  CHECK(s.faults[13].action->describe() == "hold \"h1\" Fetch from follower(orders-0) (every one) for 500 ms");
}

TEST_CASE("a kind's own keys belong to it: another kind's key is an error naming its owners", "[scenarios][faults]") {
  nlohmann::json doc = nlohmann::json::parse(kOneOfEach);
  doc["faults"] = nlohmann::json::array({{{"at_ms", 3000}, {"crash", "broker-1"}, {"duration_ms", 5}}});
  auto loaded = load_scenario(doc.dump(), "t.json");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.errors.front().str() == "faults[0].duration_ms: duration_ms goes with pause, hold, not with crash");
}

TEST_CASE("the kinds explore draws are the registry's kinds that know how to draw", "[scenarios][faults][explore]") {
  std::vector<std::string_view> drawn;
  for (const FaultKind* k : explore::all_fault_kinds()) drawn.push_back(k->name);
  CHECK(drawn == std::vector<std::string_view>{"crash", "power_loss", "pause", "isolate", "partition", "cut",
                                                 "slow_link", "lossy_link", "drop", "hold"});
}

TEST_CASE("the JSON Schema's fault entries have exactly the registry's kinds and keys", "[scenarios][faults][schema]") {
  std::ifstream in(bundled_scenario_dir() + "/scenario.schema.json");
  REQUIRE(in);
  const nlohmann::json schema = nlohmann::json::parse(in);
  const nlohmann::json& entry = schema["properties"]["faults"]["items"];

  std::set<std::string> expected{"at_ms", "when", "after_ms", "note"};
  std::vector<std::string> kinds;
  for (const FaultKind* k : fault_kinds()) {
    kinds.emplace_back(k->name);
    expected.emplace(k->name);
    for (auto key : k->extra_keys) expected.emplace(key);
  }
  std::set<std::string> properties;
  for (auto it = entry["properties"].begin(); it != entry["properties"].end(); ++it) properties.insert(it.key());
  CHECK(properties == expected);

  // "oneOf" the kinds, each required alone, in registry order.
  std::vector<std::string> one_of;
  for (const auto& rule : entry["allOf"])
    if (rule.contains("oneOf") && rule["oneOf"].size() > 2)
      for (const auto& choice : rule["oneOf"]) one_of.push_back(choice["required"][0].get<std::string>());
  CHECK(one_of == kinds);
}

}  // namespace
}  // namespace ksim::scenarios
