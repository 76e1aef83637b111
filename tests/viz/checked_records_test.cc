// What the viewer marks lost or duplicate is what the checkers find (one
// definition of each anomaly, viz/model/checked_records.h): for every bundled
// scenario, the viewer's lost records are the lost-write checker's and its
// duplicates the duplicate checker's, all of them, not only the findings'
// first few examples.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> paths;
  for (const auto& e : std::filesystem::directory_iterator(scenarios::bundled_scenario_dir())) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".json" && name != "scenario.schema.json") paths.push_back(e.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

ReplayModel model_of_run(const std::string& path) {
  auto loaded = scenarios::load_scenario_file(path);
  REQUIRE(loaded.ok());
  scenarios::ScenarioRun run(*loaded.scenario, {});
  run.run();
  return ReplayModel::from_events(run.trace().header(), run.trace().events());
}

const CheckFinding& finding(const ReplayModel& m, std::string_view name) {
  const auto& all = m.check_findings();
  auto it = std::find_if(all.begin(), all.end(), [&](const CheckFinding& f) { return f.name == name; });
  REQUIRE(it != all.end());
  return *it;
}

std::set<Offset> as_set(const std::vector<Offset>& v) { return {v.begin(), v.end()}; }

TEST_CASE("for every bundled scenario the viewer marks lost the lost-write checker's records and duplicate the "
          "duplicate checker's",
          "[viz][checks][bundled]") {
  const std::vector<std::string> paths = bundled_scenarios();
  REQUIRE(paths.size() > 20);
  uint64_t lost_seen = 0, duplicates_seen = 0;
  for (const std::string& path : paths) {
    INFO(path);
    const ReplayModel m = model_of_run(path);
    const CheckFinding& lost = finding(m, "lost-write");
    CHECK(m.lost_acked().size() == lost.count);
    for (const FindingExample& ex : lost.examples) CHECK(m.is_lost_acked(ex.example.records.front()));
    const CheckFinding& dup = finding(m, "duplicate");
    CHECK(m.duplicates().size() == dup.count);
    for (const FindingExample& ex : dup.examples) {
      auto d = m.duplicates().find(ex.example.records.front());
      REQUIRE(d != m.duplicates().end());
      CHECK(as_set(d->second) == as_set(ex.example.offsets));
    }
    lost_seen += lost.count;
    duplicates_seen += dup.count;
  }
  // The bundled lessons lose writes and duplicate records: the comparison is not vacuous.
  CHECK(lost_seen > 0);
  CHECK(duplicates_seen > 0);
}

}  // namespace
}  // namespace ksim::viz
