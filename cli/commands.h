#pragma once
// The subcommands of ksim. Each register_* adds one subcommand to the app and
// sets the exit code through set_exit_code when it runs.
#include <CLI/CLI.hpp>

namespace ksim::cli {

void register_commands(CLI::App& app);

void register_demo_commands(CLI::App& app);  // demo: the simulation-kernel demo
void register_run_commands(CLI::App& app);   // run, validate, list, check-determinism
void register_partition_command(CLI::App& app);  // partition: the key -> partition calculator
void register_assign_command(CLI::App& app);  // assign: the partition-assignment calculator
void register_check_commands(CLI::App& app);  // check: the history checkers on a trace file
void register_compare_command(CLI::App& app);  // compare: one scenario under several configs
void register_export_command(CLI::App& app);   // export: a trace as Chrome trace-event JSON
void register_explore_command(CLI::App& app);  // explore: random fault schedules over a scenario, shrinking

void set_exit_code(int code);
int last_exit_code();

}  // namespace ksim::cli
