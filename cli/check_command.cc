// `ksim check TRACE.jsonl [--check NAME]...`: runs the history checkers
// (sim/check/registry.h) on a trace file written by a run, and prints each
// checker's count and first examples. `ksim check --list` names them.
// Exit codes: 0 no anomaly, 1 some checker found one, 2 bad input (an
// unreadable or malformed trace, an unknown check name).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "host/exit_codes.h"
#include "sim/check/history.h"
#include "sim/check/registry.h"
#include "cli/commands.h"
#include "sim/trace/jsonl.h"

namespace ksim::cli {
namespace {

struct CheckArgs {
  std::string trace_path;
  std::vector<std::string> checks;
  bool list = false;
};

void print_list() {
  for (const auto& c : check::all_checkers())
    std::printf("  %-22s %.*s\n", std::string(c.name).c_str(), static_cast<int>(c.description.size()),
                c.description.data());
}

int run_check(const CheckArgs& args) {
  if (args.list) {
    print_list();
    return kExitOk;
  }
  if (args.trace_path.empty()) {
    std::cerr << "ksim check: give a trace file (written by `ksim run --trace FILE`), or --list\n";
    return kExitBadInput;
  }
  if (auto unknown = check::unknown_checks(args.checks); !unknown.empty()) {
    std::cerr << "ksim check: unknown check \"" << unknown.front() << "\"; known: " << check::checker_names() << "\n";
    return kExitBadInput;
  }
  std::ifstream in(args.trace_path);
  if (!in) {
    std::cerr << "ksim check: cannot read " << args.trace_path << "\n";
    return kExitBadInput;
  }
  LoadedTrace trace;
  if (const auto error = read_jsonl_trace(in, trace)) {
    std::cerr << "ksim check: " << args.trace_path << ": " << error->str() << "\n";
    return kExitBadInput;
  }

  const check::History history = check::build_history(trace.header, trace.events);
  const auto results = args.checks.empty() ? check::run_all_checks(history) : check::run_checks(history, args.checks);

  std::printf("ksim check  %s  seed=%llu  scenario=\"%s\"\n", args.trace_path.c_str(),
              static_cast<unsigned long long>(trace.header.seed), trace.header.scenario.c_str());
  std::printf("  %zu events: %zu sends, %zu partitions, %zu polls\n\n", trace.events.size(), history.sends.size(),
              history.partitions.size(), history.polls.size());
  uint64_t anomalies = 0;
  for (const auto& r : results) {
    anomalies += r.count;
    std::printf("  %-22s %s\n", r.name.c_str(), r.holds() ? "ok" : (std::to_string(r.count) + " found").c_str());
    for (const auto& ex : r.examples) std::printf("      %s\n", ex.explanation.c_str());
    if (r.count > r.examples.size())
      std::printf("      ... and %llu more\n", static_cast<unsigned long long>(r.count - r.examples.size()));
  }
  if (history.warning_count > 0) {
    std::printf("\n  the trace had %llu oddities the checkers worked around:\n",
                static_cast<unsigned long long>(history.warning_count));
    for (const auto& w : history.warnings) std::printf("      %s\n", w.c_str());
  }
  std::printf("\n%llu anomal%s\n", static_cast<unsigned long long>(anomalies), anomalies == 1 ? "y" : "ies");
  return anomalies == 0 ? kExitOk : kExitExpectationFailed;
}

}  // namespace

void register_check_commands(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand("check", "Run the history checkers (lost-write, duplicate, ...) on a trace file");
  cmd->add_option("trace", args->trace_path, "A JSON Lines trace written by a run");
  cmd->add_option("--check", args->checks, "Run only this checker (repeatable; lost_write or lost-write)");
  cmd->add_flag("--list", args->list, "List the checkers and what each finds");
  cmd->callback([args] { set_exit_code(run_check(*args)); });
}

}  // namespace ksim::cli
