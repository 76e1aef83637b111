#pragma once
// Explorer: one scenario explored seed by seed (`ksim explore`).
//
// For a seed it
//   1. draws the seed's fault schedule (schedule_generator.h), typed faults;
//   2. builds the explored scenario: the base scenario with "seed" set to the
//      seed, "faults" REPLACED by the schedule (the base's own faults tell one
//      story; explore tells many), run_until_ms extended by converge_ms after
//      the heal, and "expect" reduced to the checks judged (the base's state
//      expectations describe its own faults' outcome and mean nothing under
//      other faults). The base is loaded and validated once, as that
//      template; a seed only sets its seed and faults, nothing is re-parsed;
//   3. runs it like `ksim run` would, and reports as findings every check
//      expectation that failed, "liveness" when the cluster has not converged
//      by the end (liveness.h), and "invariant" when an internal invariant
//      failed.
//
// scenario_json writes an explored scenario as ordinary scenario JSON (the
// base file with those fields replaced): what the shrinker saves is exactly
// what was run, so `ksim run` replays it.
//
// An Explorer is immutable once made: run_seed is const and shares nothing
// mutable, so threads may call it at once (one Simulation per call).
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/base/assert.h"
#include "scenario_lib/format/scenario.h"
#include "scenario_lib/format/scenario_loader.h"
#include "explore/explore_options.h"
#include "explore/schedule_generator.h"
#include "explore/seed_outcome.h"

namespace ksim::explore {

// What one run of an explored scenario showed.
struct RunVerdict {
  std::vector<Finding> findings;
  uint64_t events = 0;
  uint64_t trace_hash = 0;
};

class Explorer {
 public:
  struct Made {
    std::unique_ptr<Explorer> explorer;       // set when errors is empty
    std::vector<InputError> errors;  // bad scenario, bad --set, unknown check names
  };
  // The base scenario from its text (with --set overrides applied first).
  static Made make(const std::string& text, const std::string& source, std::span<const std::string> overrides,
                   ExploreOptions options);
  static Made make_from_file(const std::string& path, std::span<const std::string> overrides, ExploreOptions options);

  const scenarios::Scenario& base() const { return base_; }
  const ExploreOptions& options() const { return options_; }
  // The --set overrides the base was loaded with, for the shrunk scenario's description.
  const std::vector<std::string>& overrides() const { return overrides_; }
  // The check expectations every explored run judges, as scenario JSON.
  const nlohmann::ordered_json& judged_checks() const { return checks_; }

  FaultSchedule schedule(uint64_t seed) const { return generate_schedule(base_, seed, options_); }
  // The explored scenario of a seed (step 2 above).
  scenarios::Scenario explored(uint64_t seed, const FaultSchedule& schedule) const;
  // An explored scenario (or a shrunk one) as scenario JSON, to save it.
  nlohmann::ordered_json scenario_json(const scenarios::Scenario& explored) const;
  nlohmann::ordered_json scenario_json(uint64_t seed, const FaultSchedule& schedule) const {
    return scenario_json(explored(seed, schedule));
  }
  SeedOutcome run_seed(uint64_t seed) const;
  // Runs an explored scenario (or the shrinker's candidate), judging checks,
  // liveness and invariants as run_seed does.
  RunVerdict run(const scenarios::Scenario& explored) const;
  // The same for scenario JSON built from this explorer's (tests, replays).
  RunVerdict run_json(const nlohmann::ordered_json& scenario) const;

  // Tests only: called inside every explored run, where a failed internal
  // invariant becomes a finding, so a test can make one fail (KSIM_ASSERT)
  // and see the same finding whatever thread ran the seed.
  void set_run_hook_for_test(std::function<void(const scenarios::Scenario&)> hook) { run_hook_ = std::move(hook); }

 private:
  Explorer(nlohmann::ordered_json base_json, scenarios::Scenario base, scenarios::Scenario explored_template,
           std::string source, ExploreOptions options, nlohmann::ordered_json checks);

  nlohmann::ordered_json base_json_;
  scenarios::Scenario base_;
  scenarios::Scenario template_;  // the explored scenario but its seed and faults
  std::string source_;
  ExploreOptions options_;
  nlohmann::ordered_json checks_;
  std::vector<std::string> overrides_;
  std::function<void(const scenarios::Scenario&)> run_hook_;
};

// While one exists, a failed KSIM_ASSERT on this thread throws
// (InvariantFailure) instead of ending the process, so the explorer can report
// it as a finding of its seed and go on. The assert handler is per thread:
// run_json makes one around each run, on whatever thread runs it, so
// `--jobs 2` reports what `--jobs 1` does.
class ThrowOnInvariantFailure {
 public:
  ThrowOnInvariantFailure();
  ~ThrowOnInvariantFailure();
  ThrowOnInvariantFailure(const ThrowOnInvariantFailure&) = delete;
  ThrowOnInvariantFailure& operator=(const ThrowOnInvariantFailure&) = delete;

 private:
  AssertHandler previous_;
};

}  // namespace ksim::explore
