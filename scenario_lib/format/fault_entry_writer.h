#pragma once
// A fault of a Scenario written back as a scenario file's entry
// (scenarios/README.md, "faults"): the trigger, the kind's own keys
// (Fault::write) and the note. The explorer runs typed faults and writes
// them only to save a shrunk counterexample.
#include <nlohmann/json.hpp>
#include <vector>

#include "scenario_lib/format/scenario.h"

namespace ksim::scenarios {

nlohmann::ordered_json fault_entry_json(const FaultSpec& fault);
nlohmann::ordered_json fault_entries_json(const std::vector<FaultSpec>& faults);

}  // namespace ksim::scenarios
