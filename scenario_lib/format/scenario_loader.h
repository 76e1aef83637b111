#pragma once
// The scenario loader: JSON text -> a validated Scenario, or every error found.
//
// Nothing is half-run: the whole file is checked before anything is built,
// and every problem is reported at once, each as a value naming the JSON path,
// what was expected and, for a misspelt name, the nearest known one:
//
//   faults[2].crash: unknown node "brokr-2"; did you mean "broker-2"? (nodes: controller, broker-1..broker-3, p1)
//   clients[0].workload.mesages: unknown key; did you mean "messages"?
//
// Command-line overrides (`ksim run --set PATH=VALUE`, scenario_lib/format/override.h)
// are applied to the JSON first, so they are validated like the file.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/input_error.h"
#include "scenario_lib/format/scenario.h"

namespace ksim::scenarios {


struct LoadResult {
  std::optional<Scenario> scenario;  // set only when errors is empty
  std::vector<InputError> errors;
  bool ok() const { return scenario.has_value(); }
};

// The most bytes a scenario file may have (scenarios/README.md, Limits). The
// largest bundled scenario is under 4 KiB; explore's shrunk ones are smaller.
inline constexpr size_t kMaxScenarioBytes = size_t{1} << 20;

// `source` names the text in messages ("scenarios/acks1_leader_crash.json").
LoadResult load_scenario(std::string_view text, const std::string& source,
                         std::span<const std::string> overrides = {});
// Reads the file first; an unreadable file is one error.
LoadResult load_scenario_file(const std::string& path, std::span<const std::string> overrides = {});

// Names of every message type a drop or hold can match ("ProduceResponse", ...).
std::vector<std::string> message_type_names();

}  // namespace ksim::scenarios
