// Liveness after the heal: every partition led, every replica back in the
// ISR. A stuck cluster is its own finding, and shrinking it keeps the heal
// (without the heal, "not converging" would prove nothing).
#include <catch2/catch.hpp>

#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "explore/liveness.h"
#include "explore/shrinker.h"
#include "tests/explore/explore_support.h"

namespace ksim::explore {
namespace {

PartitionView view(int32_t leader, std::vector<int32_t> isr) {
  PartitionView v;
  v.tp = TopicPartition{"orders", PartitionId(0)};
  v.leader = leader;
  v.isr = std::move(isr);
  v.replicas = {3, 1, 2};
  return v;
}

TEST_CASE("a partition has converged when it has a leader and every replica is in the ISR", "[explore][liveness]") {
  CHECK(judge_liveness({view(3, {1, 2, 3})}).converged);
  const auto short_isr = judge_liveness({view(3, {1, 3})});
  CHECK_FALSE(short_isr.converged);
  CHECK(short_isr.detail == "orders-0: ISR [1, 3] of replicas [1, 2, 3]");
  const auto leaderless = judge_liveness({view(-1, {1, 2, 3})});
  CHECK_FALSE(leaderless.converged);
  CHECK(leaderless.detail == "orders-0: no leader");
  CHECK(leaderless.stuck.size() == 1);
}

TEST_CASE("a convergence bound too short for a restarted broker to rejoin the ISR is a liveness finding, "
          "and the shrunk scenario keeps the heal",
          "[explore][liveness][shrink]") {
  ThrowOnInvariantFailure throwing;
  ExploreOptions o;
  o.kinds = {fault_kind("crash")};
  o.converge_ms = 300;  // a broker restarted at the heal needs longer to register, catch up and rejoin
  auto e = test::reference_explorer({}, o);
  uint64_t seed = 0;
  for (uint64_t s = 1; s <= 20 && seed == 0; ++s)
    if (e->run_seed(s).found(kLiveness)) seed = s;
  REQUIRE(seed != 0);

  const ShrinkResult r = shrink_seed(*e, seed, kLiveness);
  REQUIRE(r.reproduced);
  INFO(r.scenario.dump(2));
  size_t heal_phase = 0;
  for (const auto& f : r.scenario["faults"])
    if (f.value("note", std::string()) == kHealPhaseNote) ++heal_phase;
  CHECK(heal_phase == 5);  // heal all, restart the controller and broker-1..3
  CHECK(r.faults_after < r.faults_before);
  REQUIRE(!r.scenario["expect"].empty());
  CHECK(r.scenario["expect"][0].contains("isr"));

  auto loaded = scenarios::load_scenario(r.scenario.dump(), "shrunk.json");
  REQUIRE(loaded.ok());
  const scenarios::RunResult replay = scenarios::run_scenario(*loaded.scenario);
  CHECK_FALSE(replay.passed());
}

}  // namespace
}  // namespace ksim::explore
