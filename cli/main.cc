// ksim: the command-line tool. Each subcommand lives in its own file and
// registers itself here. Exit codes (host/exit_codes.h): 0 success,
// 1 a failed expectation, 2 bad input, 3 an internal invariant violation.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "core/base/assert.h"
#include "host/exit_codes.h"
#include "cli/commands.h"

namespace {

[[noreturn]] void on_invariant_violation(const ksim::AssertFailure& failure) {
  std::fputs(ksim::format_assert_failure(failure).c_str(), stderr);
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(ksim::kExitInvariantViolation);
}

}  // namespace

int main(int argc, char** argv) {
  ksim::set_assert_handler(&on_invariant_violation);
  CLI::App app{"ksim: a deterministic simulator of Kafka's replication and consumer groups"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ksim 0.1.0");
  ksim::cli::register_commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : ksim::kExitBadInput;
  }
  return ksim::cli::last_exit_code();
}
