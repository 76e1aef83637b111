#pragma once
// What the scenario-running subcommands (run, validate, compare, export,
// check-determinism) share: finding the file a user named, printing loader
// errors the same way, and quoting a command so it can be pasted back.
#include <string>
#include <vector>

#include "scenario_lib/format/scenario_loader.h"

namespace ksim::cli {

inline constexpr const char* kDefaultScenario = "acks1_leader_crash.json";

// Quotes an argument for a POSIX shell when it needs it.
std::string shell_quote(const std::string& s);
// The path as the user would type it: relative to the working directory when
// the file is below it.
std::string display_path(const std::string& path);
// A file as given, or else a bundled scenario by name ("kafka6361_v0" or
// "kafka6361_v0.json"), so `ksim list` names can be run as they are printed.
std::string resolve_scenario(const std::string& given);
// The bundled default scenario's path ("" when the bundled files are missing).
std::string default_scenario_path();
// "ksim COMMAND: FILE: path: message" for each error, then "N errors".
void print_errors(const std::string& command, const std::string& source,
                  const std::vector<InputError>& errors, bool would_run);

}  // namespace ksim::cli
