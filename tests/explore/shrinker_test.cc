// The shrinker on scenarios with consumers: a consumer's workload has no
// "messages", so shrinking records must skip it (issue 24: `ksim explore
// scenarios/coordinator_failover.json --shrink-out DIR` threw nlohmann's
// type_error.302 there, after a liveness failure).
#include <catch2/catch.hpp>

#include "scenario_lib/format/scenario_dir.h"
#include "explore/explorer.h"
#include "explore/shrinker.h"

namespace ksim::explore {
namespace {

TEST_CASE("shrinking a seed of a scenario with consumers halves only the producers' records",
          "[explore][shrink]") {
  auto made = Explorer::make_from_file(scenarios::bundled_scenario_dir() + "/coordinator_failover.json", {}, {});
  REQUIRE(made.errors.empty());
  Explorer& e = *made.explorer;
  // Every run fails (a planted invariant), so the shrinker goes through all its
  // steps, records included, without running a simulation.
  e.set_run_hook_for_test([](const scenarios::Scenario&) { KSIM_ASSERT_MSG(false, "planted"); });
  const ShrinkResult r = shrink_seed(e, 5, kInvariant, 100);
  REQUIRE(r.reproduced);
  CHECK(r.faults_after == 5);  // only the heal phase is left: heal all, restart the controller and 3 brokers
  CHECK(r.records_before == 100);  // p1's 100; c1 and c2 send none
  CHECK(r.records_after == 1);
  const auto& clients = r.scenario["clients"];
  REQUIRE(clients.size() == 3);
  CHECK(clients[0]["workload"]["messages"] == 1);
  CHECK_FALSE(clients[1]["workload"].contains("messages"));
  CHECK_FALSE(clients[2]["workload"].contains("messages"));
}

}  // namespace
}  // namespace ksim::explore
