// A run that keeps only the events the checkers' history reads
// (check::history_uses_event, what `ksim run` does) must judge exactly as a
// run that keeps the whole trace: same history, same findings.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenarios/scenario_dir.h"
#include "scenarios/scenario_loader.h"
#include "scenarios/scenario_runner.h"
#include "sim/check/history.h"
#include "sim/check/registry.h"

namespace ksim::check {
namespace {

std::string findings(const std::vector<CheckResult>& checks) {
  std::string out;
  for (const auto& c : checks) {
    out += c.name + " " + std::to_string(c.count) + "\n";
    for (const auto& e : c.examples) out += "  " + e.explanation + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the history built from only the events it uses equals the one built from the whole trace",
          "[check][history][trace]") {
  const std::string name = GENERATE(as<std::string>{}, "acks1_leader_crash", "consumer_commit_before_processing_loses",
                                    "producer_restart_duplicates", "kip101_scenario1_hw_truncation");
  const auto loaded = scenarios::load_scenario_file(scenarios::bundled_scenario_dir() + "/" + name + ".json");
  REQUIRE(loaded.ok());
  scenarios::ScenarioRun run(*loaded.scenario, scenarios::RunOptions{});
  const scenarios::RunResult result = run.run();
  const auto& all = run.trace().events();
  REQUIRE(all.size() == result.events);

  std::vector<TraceEvent> kept;
  for (const auto& e : all)
    if (history_uses_event(e.payload)) kept.push_back(e);
  INFO(name << ": " << kept.size() << " of " << all.size() << " events kept");
  CHECK(kept.size() < all.size());  // the message traffic goes

  const History full = build_history(run.trace().header(), all);
  const History filtered = build_history(run.trace().header(), kept);
  CHECK(filtered.sends.size() == full.sends.size());
  CHECK(filtered.appends.size() == full.appends.size());
  CHECK(filtered.polls.size() == full.polls.size());
  CHECK(filtered.processed.size() == full.processed.size());
  CHECK(filtered.commits.size() == full.commits.size());
  CHECK(filtered.groups == full.groups);
  CHECK(filtered.warnings == full.warnings);
  REQUIRE(filtered.partitions.size() == full.partitions.size());
  for (size_t p = 0; p < full.partitions.size(); ++p) {
    CHECK(filtered.partitions[p].name == full.partitions[p].name);
    const auto a = full.partitions[p].committed_log();
    const auto b = filtered.partitions[p].committed_log();
    CHECK(std::vector<LogEntry>(b.begin(), b.end()) == std::vector<LogEntry>(a.begin(), a.end()));
    CHECK(filtered.partitions[p].replica_commits.size() == full.partitions[p].replica_commits.size());
  }
  CHECK(findings(run_all_checks(filtered)) == findings(run_all_checks(full)));
  CHECK(findings(run_all_checks(full)) == findings(result.checks));
}

TEST_CASE("a scenario run that keeps only the checkers' events gives the same hash and verdict",
          "[check][history][trace]") {
  const auto loaded = scenarios::load_scenario_file(scenarios::bundled_scenario_dir() + "/acks1_leader_crash.json");
  REQUIRE(loaded.ok());
  scenarios::RunOptions lean;
  lean.keep_all_trace_events = false;
  scenarios::ScenarioRun a(*loaded.scenario, scenarios::RunOptions{});
  scenarios::ScenarioRun b(*loaded.scenario, lean);
  const auto ra = a.run();
  const auto rb = b.run();
  CHECK(ra.trace_hash == rb.trace_hash);
  CHECK(ra.events == rb.events);
  CHECK(b.trace().events().size() < a.trace().events().size());
  CHECK(findings(ra.checks) == findings(rb.checks));
  CHECK(ra.passed() == rb.passed());
}

}  // namespace ksim::check
