// The explorer's fault schedules: a pure function of the seed, within the
// options' bounds, and always a scenario the loader accepts.
#include <catch2/catch.hpp>

#include <set>

#include "scenario_lib/format/fault_entry_writer.h"
#include "scenario_lib/format/scenario_loader.h"
#include "tests/explore/explore_support.h"

namespace ksim::explore {
namespace {

using test::reference_explorer;

TEST_CASE("a seed names its fault schedule: the same seed draws the same faults", "[explore][generator]") {
  auto e = reference_explorer();
  auto faults = [&](uint64_t seed) { return scenarios::fault_entries_json(e->schedule(seed).faults); };
  for (uint64_t seed = 1; seed <= 20; ++seed) CHECK(faults(seed) == faults(seed));
  CHECK(faults(1) != faults(2));
}

TEST_CASE("every explored scenario loads, its faults in time order inside the fault phase", "[explore][generator]") {
  auto e = reference_explorer();
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const FaultSchedule s = e->schedule(seed);
    const auto doc = e->scenario_json(seed, s);
    auto loaded = scenarios::load_scenario(doc.dump(), "explored");
    INFO("seed " << seed << ": " << (loaded.errors.empty() ? std::string() : loaded.errors.front().str()));
    REQUIRE(loaded.ok());
    CHECK(loaded.scenario->seed == seed);
    CHECK(loaded.scenario->run_until_ms == 15000 + e->options().converge_ms);
    int64_t last = 0;
    const auto faults = scenarios::fault_entries_json(s.faults);
    for (const auto& f : faults) {
      const int64_t at = f["at_ms"].get<int64_t>();
      CHECK(at >= last);
      CHECK(at >= s.phase_start_ms);
      CHECK(at <= s.phase_end_ms);
      last = at;
    }
    // The heal phase ends every schedule.
    CHECK(faults[faults.size() - 5]["heal"] == "all");  // then restart controller, broker-1..3
    CHECK(s.drawn >= 1);
  }
}

TEST_CASE("only the kinds asked for are drawn, and swarm testing varies them per seed", "[explore][generator]") {
  ExploreOptions o;
  o.kinds = {fault_kind("pause"), fault_kind("drop")};
  auto e = reference_explorer({}, o);
  std::set<std::vector<const FaultKind*>> subsets;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    const FaultSchedule s = e->schedule(seed);
    subsets.insert(s.enabled);
    for (const auto& f : scenarios::fault_entries_json(s.faults)) {
      const bool allowed = f.contains("pause") || f.contains("drop") || f.contains("heal") || f.contains("restart");
      CHECK(allowed);
    }
  }
  // {pause}, {drop} and {pause, drop} all turn up.
  CHECK(subsets.size() == 3);

  o.swarm = false;
  auto plain = reference_explorer({}, o);
  for (uint64_t seed = 1; seed <= 20; ++seed) CHECK(plain->schedule(seed).enabled.size() == 2);
}

TEST_CASE("no more faults with a duration overlap than --max-concurrent-faults allows", "[explore][generator]") {
  ExploreOptions o;
  o.kinds = {fault_kind("pause")};
  o.max_concurrent_faults = 1;
  o.max_faults = 20;
  auto e = reference_explorer({}, o);
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    std::vector<std::pair<int64_t, int64_t>> windows;
    for (const auto& f : scenarios::fault_entries_json(e->schedule(seed).faults))
      if (f.contains("pause")) windows.emplace_back(f["at_ms"].get<int64_t>(), f["at_ms"].get<int64_t>() + f["duration_ms"].get<int64_t>());
    for (size_t i = 1; i < windows.size(); ++i) CHECK(windows[i].first >= windows[i - 1].second);
  }
}

TEST_CASE("the fault kinds option names kinds, and a misspelt one is an error with a suggestion", "[explore][generator]") {
  CHECK(parse_fault_kinds("crash,pause").kinds == std::vector{fault_kind("crash"), fault_kind("pause")});
  CHECK(parse_fault_kinds("power-loss").kinds == std::vector{fault_kind("power_loss")});
  CHECK(parse_fault_kinds("all").kinds.size() == all_fault_kinds().size());
  const auto bad = parse_fault_kinds("crash,pasue");
  CHECK(bad.kinds.empty());
  CHECK_THAT(bad.error, Catch::Contains("unknown fault kind \"pasue\"") && Catch::Contains("did you mean \"pause\""));
  CHECK_FALSE(parse_fault_kinds("").error.empty());
}

}  // namespace
}  // namespace ksim::explore
