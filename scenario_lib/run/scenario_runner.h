#pragma once
// The scenario runner: a validated Scenario -> one deterministic run and its
// verdict.
//
//   1. build a Cluster (controller, broker-1..N with the scenario's configs,
//      network and disks; per-broker disk write-back delays) and add each
//      client through one path, add_scenario_client
//      (scenario_lib/clients/scenario_client.h: its node and its application);
//   2. attach the checkers' history builder, the caller's trace sinks
//      (timeline printer, JSON Lines writer), the client tally and the
//      trigger watch, then start every node at 0;
//   3. start each client's application (a producer's sends, due at
//      start_ms + i / rate_per_s; a consumer's poll loop runs in its process);
//   4. arm the faults: "at_ms" ones with Simulation::at, "when" ones with the
//      TriggerWatch; both apply through one FaultApplier;
//   5. run to each time a state expectation names, judge it there, then run to
//      run_until_ms and judge the rest;
//   6. finish the history (built from the trace while the run went), run
//      every checker, judge the "check" expectations.
//
// The same (scenario, seed) gives the same trace, hence the same trace hash
// (tests/scenarios/ proves it for the bundled scenarios).
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenario_lib/clients/scenario_client.h"
#include "scenario_lib/format/scenario.h"
#include "scenario_lib/run/trigger_watch.h"
#include "sim/check/check_result.h"
#include "sim/check/history.h"
#include "sim/check/history_builder.h"
#include "sim/cluster/cluster.h"
#include "sim/cluster/partition_view.h"
#include "sim/fault/fault_applier.h"

namespace ksim::scenarios {

struct RunOptions {
  // Stop earlier than the scenario's run_until_ms (`ksim run --until`):
  // expectations are then not judged, since they describe the whole run.
  std::optional<int64_t> until_ms;
  std::vector<TraceSink*> sinks;  // see every event, from the first
  // Keep every trace event in memory (trace().events(): tests, in-process
  // readers). When false none is kept: the checkers' history is built while
  // the run goes (check::HistoryBuilder), and `ksim run` streams the trace to
  // its sinks.
  bool keep_all_trace_events = true;
  std::string reproduce_command;  // printed if an internal invariant fails
};

struct ExpectationResult {
  Expectation expectation;
  bool judged = true;  // false when the run stopped before the expectation's time
  bool passed = false;
  std::string seen;    // what the run showed, in the expectation's terms
};

// What a client's trace events add up to: a producer's sends and outcomes,
// a consumer's polls, processed records and offset commits.
struct ClientTally {
  std::string id;
  std::string type;
  int64_t sent = 0;
  int64_t acked = 0;
  int64_t failed = 0;
  std::map<std::string, int64_t> errors;  // Kafka error name -> failures (producers) or failed commits (consumers)
  int64_t polls = 0;             // consumer_polled events
  int64_t polled_records = 0;    // records those polls returned
  int64_t processed = 0;         // record_processed
  int64_t commits = 0;           // offset_committed with NONE (one per partition committed)
  int64_t failed_commits = 0;    // offset_committed with an error
  // client_failed: the fatal error that stopped the client ("" if none), the
  // config it names, and when.
  std::string fatal_error;
  std::string fatal_config;
  SimTime fatal_at;
  bool consumer() const { return type == "consumer"; }
  int64_t pending() const { return sent - acked - failed; }
};

struct NodeStatus {
  std::string name;
  bool running = true;
  bool paused = false;
  int32_t incarnation = 1;
};

struct RunResult {
  uint64_t seed = 0;
  int64_t ran_until_ms = 0;
  bool cut_short = false;  // stopped before run_until_ms
  uint64_t trace_hash = 0;
  uint64_t events = 0;
  std::vector<PartitionView> partitions;  // at the end, every partition of every topic
  std::vector<ClientTally> clients;
  std::vector<NodeStatus> nodes;
  std::vector<check::CheckResult> checks;  // every checker, in registry order (empty when cut short)
  std::vector<ExpectationResult> expectations;

  size_t failed_expectations() const;
  size_t unjudged_expectations() const;
  bool passed() const { return failed_expectations() == 0; }
};

class ScenarioRun {
 public:
  ScenarioRun(const Scenario& scenario, RunOptions options);
  ~ScenarioRun();
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  // Runs the scenario to the end (once) and judges it.
  RunResult run();

  Cluster& cluster() { return *cluster_; }
  const Trace& trace() const { return cluster_->sim().trace(); }
  // What the checkers judged: built from the trace while the run went. Empty
  // before run() and when the run was cut short.
  const check::History& history() const { return history_; }

 private:
  class Tally;
  void arm_faults();
  ExpectationResult judge_state(const Expectation& e);
  std::vector<ClientTally> tallies() const;

  Scenario scenario_;
  RunOptions options_;
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<FaultApplier> applier_;
  std::unique_ptr<TriggerWatch> triggers_;
  std::unique_ptr<Tally> tally_;
  std::vector<std::unique_ptr<ScenarioClient>> clients_;  // in scenario order
  std::unique_ptr<check::HistoryBuilder> history_builder_;  // a trace sink from the first event
  check::History history_;
  bool ran_ = false;
};

// Builds, runs and judges in one call.
RunResult run_scenario(const Scenario& scenario, const RunOptions& options = {});

}  // namespace ksim::scenarios
