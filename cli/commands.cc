#include "cli/commands.h"

namespace ksim::cli {
namespace {
int exit_code = 0;
}

void set_exit_code(int code) { exit_code = code; }
int last_exit_code() { return exit_code; }

void register_commands(CLI::App& app) {
  register_run_commands(app);
  register_demo_commands(app);
  register_partition_command(app);
  register_assign_command(app);
  register_check_commands(app);
  register_compare_command(app);
  register_export_command(app);
  register_explore_command(app);
}

}  // namespace ksim::cli
