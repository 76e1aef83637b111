#include "explore/explorer.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "scenario_lib/format/fault_entry_writer.h"
#include "scenario_lib/format/override.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/check/registry.h"
#include "explore/liveness.h"

namespace ksim::explore {
namespace {

using Json = nlohmann::ordered_json;

struct InvariantFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void throw_invariant(const AssertFailure& failure) { throw InvariantFailure(format_assert_failure(failure)); }

// The kind of the first anomaly the check found (check::AnomalyExample::kind).
std::string first_anomaly_kind(const scenarios::RunResult& result, const std::string& check) {
  for (const auto& c : result.checks)
    if (c.name == check && !c.examples.empty()) return c.examples.front().kind;
  return "";
}

}  // namespace

std::vector<std::string> default_checks() {
  return {"lost-write", "unexpected", "divergent-replicas", "inconsistent-offsets"};
}

ThrowOnInvariantFailure::ThrowOnInvariantFailure() : previous_(set_assert_handler(&throw_invariant)) {}
ThrowOnInvariantFailure::~ThrowOnInvariantFailure() { set_assert_handler(previous_); }

Explorer::Explorer(Json base_json, scenarios::Scenario base, scenarios::Scenario explored_template, std::string source,
                   ExploreOptions options, Json checks)
    : base_json_(std::move(base_json)),
      base_(std::move(base)),
      template_(std::move(explored_template)),
      source_(std::move(source)),
      options_(std::move(options)),
      checks_(std::move(checks)) {}

Explorer::Made Explorer::make(const std::string& text, const std::string& source,
                              std::span<const std::string> overrides, ExploreOptions options) {
  Made made;
  // The loader gives the good errors (positions, JSON paths, suggestions).
  auto loaded = scenarios::load_scenario(text, source, overrides);
  if (!loaded.ok()) {
    made.errors = std::move(loaded.errors);
    return made;
  }
  // Ordered, so a written scenario keeps the file's key order.
  Json root = Json::parse(text);
  if (!overrides.empty()) {
    nlohmann::json plain = nlohmann::json::parse(text);
    for (const auto& o : overrides) {
      auto error = scenarios::apply_override(plain, o);
      KSIM_ASSERT_MSG(!error, "an override the loader accepted failed the second time");
    }
    root = Json::parse(plain.dump());
  }
  Json checks = Json::array();
  if (!options.checks.empty()) {
    for (const auto& name : check::unknown_checks(options.checks))
      made.errors.push_back({"--check", "unknown check \"" + name + "\" (checks: " + check::checker_names() + ")"});
    if (!made.errors.empty()) return made;
    for (const auto& name : options.checks)
      checks.push_back(Json{{"check", std::string(check::find_checker(name)->name)}, {"holds", true}});
  } else if (root.contains("expect")) {
    for (const auto& e : root["expect"])
      if (e.contains("check")) checks.push_back(e);
  }
  if (checks.empty())
    for (const auto& name : default_checks()) checks.push_back(Json{{"check", name}, {"holds", true}});
  if (options.kinds.empty()) made.errors.push_back({"--faults", "no fault kind given"});
  if (options.max_concurrent_faults < 1)
    made.errors.push_back({"--max-concurrent-faults", "expected at least 1, got " + std::to_string(options.max_concurrent_faults)});
  if (options.max_faults < 1)
    made.errors.push_back({"--max-faults", "expected at least 1, got " + std::to_string(options.max_faults)});
  if (options.converge_ms < 0)
    made.errors.push_back({"--converge-ms", "expected 0 or more, got " + std::to_string(options.converge_ms)});
  if (fault_phase_start_ms(*loaded.scenario) >= loaded.scenario->run_until_ms)
    made.errors.push_back({"run_until_ms", "the scenario ends (" + std::to_string(loaded.scenario->run_until_ms) +
                                               " ms) before its first workload starts: no time for faults"});
  if (!made.errors.empty()) return made;
  // The explored scenario but its seed and faults, loaded once (the checks'
  // names are checked above, so it loads).
  Json explored = root;
  explored["faults"] = Json::array();
  explored["run_until_ms"] = std::max(loaded.scenario->run_until_ms, fault_phase_start_ms(*loaded.scenario) + 1) +
                             options.converge_ms;
  explored["expect"] = checks;
  auto explored_template = scenarios::load_scenario(explored.dump(), source);
  if (!explored_template.ok()) {
    made.errors = std::move(explored_template.errors);
    return made;
  }
  made.explorer.reset(new Explorer(std::move(root), std::move(*loaded.scenario), std::move(*explored_template.scenario),
                                   source, std::move(options), std::move(checks)));
  made.explorer->overrides_.assign(overrides.begin(), overrides.end());
  return made;
}

Explorer::Made Explorer::make_from_file(const std::string& path, std::span<const std::string> overrides,
                                        ExploreOptions options) {
  std::ifstream in(path);
  if (!in) {
    Made made;
    made.errors.push_back({"", "cannot read " + path});
    return made;
  }
  std::string text(scenarios::kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return make(text, path, overrides, std::move(options));
}

scenarios::Scenario Explorer::explored(uint64_t seed, const FaultSchedule& schedule) const {
  scenarios::Scenario s = template_;
  s.seed = seed;
  s.faults = schedule.faults;
  return s;
}

Json Explorer::scenario_json(const scenarios::Scenario& explored) const {
  Json doc = base_json_;
  doc["seed"] = explored.seed;
  doc["faults"] = scenarios::fault_entries_json(explored.faults);
  doc["run_until_ms"] = explored.run_until_ms;
  doc["expect"] = checks_;
  // The shrinker may have sent fewer records.
  if (doc.contains("clients"))
    for (size_t c = 0; c < doc["clients"].size() && c < explored.clients.size(); ++c) {
      Json& client = doc["clients"][c];
      const auto& workload = explored.clients[c].workload;
      if (workload && client.contains("workload") && client["workload"].is_object() &&
          client["workload"].value("messages", workload->messages) != workload->messages)
        client["workload"]["messages"] = workload->messages;
    }
  return doc;
}

RunVerdict Explorer::run_json(const Json& scenario) const {
  auto loaded = scenarios::load_scenario(scenario.dump(), source_);
  if (!loaded.ok()) {
    std::string all;
    for (const auto& e : loaded.errors) all += e.str() + "; ";
    KSIM_ASSERT_MSG(false, "explore built a scenario the loader rejects: " << all);
  }
  return run(*loaded.scenario);
}

RunVerdict Explorer::run(const scenarios::Scenario& explored) const {
  RunVerdict v;
  try {
    // On this thread: the handler is thread_local, and explore runs seeds on
    // worker threads (issue 24: --jobs 2 aborted where --jobs 1 reported).
    ThrowOnInvariantFailure throwing;
    if (run_hook_) run_hook_(explored);
    scenarios::RunOptions lean;
    lean.keep_all_trace_events = false;  // nothing here reads the events; the checkers stream
    scenarios::ScenarioRun run(explored, lean);
    const scenarios::RunResult result = run.run();
    for (const auto& e : result.expectations)
      if (e.expectation.kind == scenarios::Expectation::Kind::check && e.judged && !e.passed)
        v.findings.push_back(Finding{e.expectation.check, e.seen, first_anomaly_kind(result, e.expectation.check)});
    const std::vector<GroupView> groups = view_groups(run, explored);
    const LivenessVerdict live = judge_liveness(result.partitions, groups);
    if (!live.converged) v.findings.push_back(Finding{kLiveness, live.detail});
    v.events = result.events;
    v.trace_hash = result.trace_hash;
  } catch (const InvariantFailure& failure) {
    v.findings.push_back(Finding{kInvariant, failure.what()});
  }
  return v;
}

SeedOutcome Explorer::run_seed(uint64_t seed) const {
  const FaultSchedule schedule = this->schedule(seed);
  const RunVerdict v = run(explored(seed, schedule));
  SeedOutcome out;
  out.seed = seed;
  for (const FaultKind* k : schedule.enabled) out.kinds.emplace_back(k->name);
  out.faults = schedule.faults.size();
  out.findings = v.findings;
  out.events = v.events;
  out.trace_hash = v.trace_hash;
  return out;
}

}  // namespace ksim::explore
