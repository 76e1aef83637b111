#pragma once
// Shared by the explore tests: the reference scenario (scenarios/explore/)
// and explorers over it with --set style overrides.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scenario_lib/format/scenario_dir.h"
#include "explore/explorer.h"

namespace ksim::explore::test {

inline std::string reference_scenario_path() {
  return scenarios::bundled_scenario_dir() + "/explore/acks_all_reference.json";
}

inline std::unique_ptr<Explorer> reference_explorer(std::vector<std::string> sets = {}, ExploreOptions o = {}) {
  auto made = Explorer::make_from_file(reference_scenario_path(), sets, std::move(o));
  INFO((made.errors.empty() ? std::string() : made.errors.front().str()));
  REQUIRE(made.errors.empty());
  return std::move(made.explorer);
}

}  // namespace ksim::explore::test
