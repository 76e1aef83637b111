// The checkers' history can be built while a run goes (HistoryBuilder as a
// trace sink) instead of from a stored trace afterwards. Both must give the
// same History, field by field: the streamed one is what `ksim run` judges.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/check/history.h"
#include "sim/check/history_builder.h"
#include "sim/check/registry.h"
#include "sim/trace/jsonl.h"
#include "tests/check/trace_builder.h"

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

TEST_CASE("the history streamed during a scenario run equals the one built from the stored trace afterwards",
          "[check][history][trace]") {
  const std::string name =
      GENERATE(as<std::string>{}, "acks1_leader_crash", "consumer_commit_before_processing_loses",
               "producer_restart_duplicates", "kip101_scenario1_hw_truncation", "rebalance_cooperative_two_rounds",
               "add_partitions_consumers_wait", "unclean_election_loses_acked", "coordinator_failover");
  const auto loaded = scenarios::load_scenario_file(scenarios::bundled_scenario_dir() + "/" + name + ".json");
  REQUIRE(loaded.ok());
  scenarios::ScenarioRun run(*loaded.scenario, scenarios::RunOptions{});
  const scenarios::RunResult result = run.run();
  INFO(name);
  REQUIRE_FALSE(run.history().partitions.empty());

  const History stored = build_history(run.trace().header(), run.trace().events());
  CHECK(run.history() == stored);
  CHECK(findings(result.checks) == findings(run_all_checks(stored)));

  // And through the file form, as `ksim check trace.jsonl` reads it.
  std::string text;
  append_jsonl_header(text, run.trace().header());
  for (const auto& e : run.trace().events()) append_jsonl_event(text, run.trace().header(), e);
  std::istringstream in(text);
  LoadedTrace file;
  REQUIRE_FALSE(read_jsonl_trace(in, file));
  CHECK(build_history(file.header, file.events) == stored);
}

TEST_CASE("a scenario run that keeps no trace events gives the same hash and verdict as one that keeps them all",
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
  CHECK_FALSE(a.trace().events().empty());
  CHECK(b.trace().events().empty());  // the checkers read the streamed history
  CHECK(a.history() == b.history());
  CHECK(findings(ra.checks) == findings(rb.checks));
  CHECK(ra.passed() == rb.passed());
}

TEST_CASE("a streamed history numbers partitions and groups in name order whatever order they appeared in",
          "[check][history]") {
  test::TraceBuilder t;
  // orders-1 and group "zeta" appear before orders-0, alpha-0 and group "beta".
  const RecordId a = t.send("p1", "orders-1");
  t.append("broker-1", "orders-1", 0, {a});
  t.hw("broker-1", "orders-1", 1);
  t.ack(a, 0, "orders-1");
  t.poll("c1", "zeta", 1, "orders-1", {{0, a}});
  const RecordId b = t.send("p1", "orders-0");
  t.append("broker-2", "orders-0", 0, {b});
  t.ack(b, 0, "orders-0");
  t.poll("c2", "beta", 1, "orders-0", {{0, b}});
  const RecordId c = t.send("p2", "alpha-0");
  t.append("broker-3", "alpha-0", 0, {c});

  const History h = t.history();
  REQUIRE(h.partitions.size() == 3);
  CHECK(h.partitions[0].name.str() == "alpha-0");
  CHECK(h.partitions[1].name.str() == "orders-0");
  CHECK(h.partitions[2].name.str() == "orders-1");
  CHECK(h.groups == std::vector<std::string>{"beta", "zeta"});

  // Every index the history holds follows the renumbering.
  REQUIRE(h.sends.size() == 3);
  CHECK(h.partition_name(h.sends[0].partition) == "orders-1");
  CHECK(h.partition_name(h.sends[1].partition) == "orders-0");
  CHECK(h.partition_name(h.sends[2].partition) == "alpha-0");
  REQUIRE(h.appends.size() == 3);
  CHECK(h.partition_name(h.appends[0].partition) == "orders-1");
  CHECK(h.partition_name(h.appends[2].partition) == "alpha-0");
  REQUIRE(h.polls.size() == 2);
  CHECK(h.partition_name(h.polls[0].partition) == "orders-1");
  CHECK(h.groups[h.polls[0].group] == "zeta");
  CHECK(h.partition_name(h.polls[1].partition) == "orders-0");
  CHECK(h.groups[h.polls[1].group] == "beta");
  // The per-partition state moved with its partition.
  REQUIRE(h.partitions[2].replicas.size() == 1);
  CHECK(h.partitions[2].replicas[0].log == std::vector<LogEntry>{LogEntry{Offset(0), a}});
  CHECK(h.partitions[2].replica_commits.size() == 1);
  CHECK(h.partitions[0].replicas[0].log == std::vector<LogEntry>{LogEntry{Offset(0), c}});
}

}  // namespace ksim::check
