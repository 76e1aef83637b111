#include "scenario_lib/format/scenario_dir.h"

#include <filesystem>

namespace ksim::scenarios {

std::string bundled_scenario_dir() {
  for (const char* dir : {KSIM_SCENARIO_SOURCE_DIR, KSIM_SCENARIO_INSTALL_DIR}) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) return dir;
  }
  return {};
}

}  // namespace ksim::scenarios
