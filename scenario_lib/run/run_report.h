#pragma once
// What `ksim run` prints around the timeline: the effective configuration
// first (so a run can be read and reproduced from its output alone), then the
// final state, the checkers' findings and the verdict on each expectation.
// Also the machine-readable form for `--format json`.
#include <string>

#include "scenario_lib/format/json_value.h"
#include "scenario_lib/format/scenario.h"
#include "scenario_lib/run/scenario_runner.h"

namespace ksim::scenarios {

// Title, description, cluster, broker/controller settings that differ from
// Kafka's defaults, topics, clients, faults, run length and expectations.
std::string describe_scenario(const Scenario& s);

// Final state per partition (leader, epoch, ISR, each broker's LEO and HW)
// and per client, nodes that are down, the checkers that found something, and
// each expectation with what was expected and seen.
std::string describe_result(const Scenario& s, const RunResult& r);

// The whole result as JSON: scenario, seed, trace hash, state, checks,
// expectations, exit code and the command that reproduces the run.
// Keys keep this order: scenario, seed, ... (nlohmann::ordered_json).
nlohmann::ordered_json result_json(const Scenario& s, const RunResult& r, int exit_code, const std::string& reproduce);

// Wraps `text` at `width` columns, each line starting with `indent`.
std::string wrap(const std::string& text, size_t width, const std::string& indent);

}  // namespace ksim::scenarios
