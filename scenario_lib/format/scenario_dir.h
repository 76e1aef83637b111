#pragma once
// Where the bundled scenarios live: the source tree when running from a build
// directory, the installed share/ksim/scenarios after `make install`.
#include <string>

namespace ksim::scenarios {

// The first of (source dir, install dir) that exists; empty if neither does.
std::string bundled_scenario_dir();

}  // namespace ksim::scenarios
