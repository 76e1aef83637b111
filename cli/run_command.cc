// `ksim run [FILE]`: runs a scenario file (scenarios/README.md) and prints its
// seed and effective configuration, a timeline of notable events, the final
// state, the checkers' findings and the verdict on each expectation.
// `ksim validate FILE`, `ksim list` (the bundled scenarios) and
// `ksim check-determinism [FILE]` (each seed twice, trace hashes compared; the
// kernel demo when no file is given) live here too.
//
// Exit codes (host/exit_codes.h): 0 every expectation holds, 1 one failed,
// 2 bad input (every error is printed, with its JSON path), 3 an internal
// invariant failed (main.cc's handler). Each ends with the exact command that
// reproduces it.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "host/exit_codes.h"
#include "host/progress_line.h"
#include "scenario_lib/run/run_report.h"
#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "cli/commands.h"
#include "cli/progress_sink.h"
#include "cli/scenario_args.h"
#include "sim/demo_run.h"
#include "sim/determinism.h"
#include "sim/report/timeline_printer.h"
#include "sim/trace/chrome_trace.h"
#include "sim/trace/jsonl.h"

namespace ksim::cli {
namespace {


struct RunArgs {
  std::string file;
  std::optional<uint64_t> seed;
  std::optional<int64_t> until_ms;
  std::string trace_path;
  std::string chrome_trace_path;
  std::vector<std::string> sets;
  bool verbose = false;
  std::string format = "text";
};

// The command that replays this run: the file as given (none for the default
// scenario), the seed actually used, and every override.
std::string reproduce(const RunArgs& args, std::optional<uint64_t> seed) {
  std::string cmd = "ksim run";
  if (!args.file.empty()) cmd += " " + shell_quote(args.file);
  if (seed) cmd += " --seed " + std::to_string(*seed);
  for (const auto& s : args.sets) cmd += " --set " + shell_quote(s);
  if (args.until_ms) cmd += " --until " + std::to_string(*args.until_ms);
  return cmd;
}

int run_scenario_command(const RunArgs& args) {
  const std::string path = args.file.empty() ? default_scenario_path() : resolve_scenario(args.file);
  if (path.empty()) {
    std::cerr << "ksim run: no scenario file given, and the bundled scenarios were not found\n";
    return kExitBadInput;
  }
  if (args.format != "text" && args.format != "json") {
    std::cerr << "ksim run: --format: expected text or json, got \"" << args.format << "\"\n";
    return kExitBadInput;
  }
  auto loaded = scenarios::load_scenario_file(path, args.sets);
  if (!loaded.ok()) {
    print_errors("run", path, loaded.errors, true);
    std::cerr << "command: " << reproduce(args, args.seed) << "\n";
    return kExitBadInput;
  }
  scenarios::Scenario scenario = std::move(*loaded.scenario);
  if (args.seed) scenario.seed = *args.seed;
  const std::string replay = reproduce(args, scenario.seed);

  const bool text = args.format == "text";
  if (text) {
    std::cout << "ksim run " << display_path(path) << "  seed " << scenario.seed << "\n\n"
              << scenarios::describe_scenario(scenario) << "\ntimeline"
              << (args.verbose ? " (every event)" : " (notable events; -v for every message)") << "\n";
  }

  scenarios::RunOptions options;
  options.until_ms = args.until_ms;
  options.reproduce_command = replay;
  options.keep_all_trace_events = false;  // the sinks stream; the checkers build their history as it goes
  TimelinePrinter printer(std::cout, args.verbose);
  if (text) options.sinks.push_back(&printer);
  std::ofstream trace_file;
  std::unique_ptr<JsonlTraceWriter> writer;
  if (!args.trace_path.empty()) {
    trace_file.open(args.trace_path);
    if (!trace_file) {
      std::cerr << "ksim run: cannot write trace file " << args.trace_path << "\n";
      return kExitBadInput;
    }
    writer = std::make_unique<JsonlTraceWriter>(trace_file);
    options.sinks.push_back(writer.get());
  }
  std::ofstream chrome_file;
  std::unique_ptr<ChromeTraceWriter> chrome;
  if (!args.chrome_trace_path.empty()) {
    chrome_file.open(args.chrome_trace_path);
    if (!chrome_file) {
      std::cerr << "ksim run: cannot write Chrome trace file " << args.chrome_trace_path << "\n";
      return kExitBadInput;
    }
    chrome = std::make_unique<ChromeTraceWriter>(chrome_file);
    options.sinks.push_back(chrome.get());
  }

  host::ProgressLine progress(args.until_ms ? std::min(*args.until_ms, scenario.run_until_ms) : scenario.run_until_ms,
                        args.verbose && text);
  ProgressSink progress_sink(progress);
  if (progress.enabled()) options.sinks.insert(options.sinks.begin(), &progress_sink);  // before the printer

  scenarios::ScenarioRun run(scenario, options);
  const scenarios::RunResult result = run.run();
  progress.finish();
  printer.finish();
  if (writer) writer->finish(run.trace().header());
  if (chrome) chrome->finish(run.trace().header());

  const int code = result.passed() ? kExitOk : kExitExpectationFailed;
  if (!text) {
    std::cout << scenarios::result_json(scenario, result, code, replay).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return code;
  }
  std::cout << "\n" << scenarios::describe_result(scenario, result) << "\n";
  const size_t total = result.expectations.size();
  const size_t failed = result.failed_expectations();
  const size_t unjudged = result.unjudged_expectations();
  if (unjudged > 0) {
    std::cout << "run cut short at " << result.ran_until_ms << " ms (the scenario runs to " << scenario.run_until_ms
              << " ms): " << unjudged << " expectation" << (unjudged == 1 ? "" : "s") << " not judged\n";
  }
  if (failed == 0 && unjudged == total && total > 0) {
    // The line above said it all.
  } else if (failed == 0 && unjudged > 0) {
    std::cout << "OK so far: the " << total - unjudged << " expectation" << (total - unjudged == 1 ? "" : "s")
              << " judged hold\n";
  } else if (failed == 0) {
    std::cout << "OK: " << total << " of " << total << " expectation" << (total == 1 ? "" : "s") << " hold\n";
  } else {
    std::cout << "FAILED: " << failed << " of " << total << " expectation" << (total == 1 ? "" : "s")
              << " did not hold\n";
  }
  std::printf("%llu events, trace hash %016llx\n", static_cast<unsigned long long>(result.events),
              static_cast<unsigned long long>(result.trace_hash));
  std::cout << "reproduce: " << replay << std::endl;
  if (!args.trace_path.empty())
    std::cout << "trace: " << args.trace_path << " (ksim check " << shell_quote(args.trace_path) << ", ksim-view)\n";
  if (!args.chrome_trace_path.empty())
    std::cout << "chrome trace: " << args.chrome_trace_path << " (open it in ui.perfetto.dev or chrome://tracing)\n";
  if (args.file.empty())
    std::cout << "\nThis was the default scenario. `ksim list` shows the other lessons, `ksim run FILE -v` shows\n"
                 "every message, and `--set clients.p1.config.acks=all` reruns this one with acks=all.\n";
  return code;
}

int validate_command(const std::string& given, const std::vector<std::string>& sets) {
  const std::string file = resolve_scenario(given);
  auto loaded = scenarios::load_scenario_file(file, sets);
  if (!loaded.ok()) {
    print_errors("validate", file, loaded.errors, false);
    return kExitBadInput;
  }
  const auto& s = *loaded.scenario;
  std::cout << file << ": valid: \"" << s.name << "\" (" << s.brokers << " brokers, " << s.topics.size() << " topic"
            << (s.topics.size() == 1 ? "" : "s") << ", " << s.clients.size() << " client"
            << (s.clients.size() == 1 ? "" : "s") << ", " << s.faults.size() << " fault"
            << (s.faults.size() == 1 ? "" : "s") << ", " << s.expect.size() << " expectation"
            << (s.expect.size() == 1 ? "" : "s") << ", " << s.run_until_ms << " ms)\n";
  return kExitOk;
}

// The bundled scenarios in `sub` of the bundled directory ("" for the lessons,
// "explore" for the explore bases).
std::vector<std::filesystem::path> bundled_files(const std::string& sub = "") {
  std::vector<std::filesystem::path> files;
  const std::string dir = scenarios::bundled_scenario_dir();
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(std::filesystem::path(dir) / sub, ec)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(dir) / sub))
    if (entry.path().extension() == ".json" && entry.path().filename() != "scenario.schema.json")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

int list_command() {
  const auto files = bundled_files();
  if (files.empty()) {
    std::cerr << "ksim list: the bundled scenarios were not found\n";
    return kExitBadInput;
  }
  size_t width = 0;
  for (const auto& f : files) width = std::max(width, f.stem().string().size());
  std::cout << "Bundled scenarios (" << display_path(scenarios::bundled_scenario_dir())
            << "); run one with `ksim run NAME`:\n";
  for (const auto& f : files) {
    auto loaded = scenarios::load_scenario_file(f.string());
    const std::string title = loaded.ok() ? loaded.scenario->name
                                          : "(invalid: " + std::to_string(loaded.errors.size()) + " errors; ksim validate it)";
    std::printf("  %-*s  %s%s\n", static_cast<int>(width), f.stem().string().c_str(), title.c_str(),
                f.filename() == kDefaultScenario ? "  [default]" : "");
  }
  const auto bases = bundled_files("explore");
  if (!bases.empty()) {
    std::cout << "\nExplore bases (random fault schedules over one setup); `ksim explore NAME --seeds 1000`:\n";
    for (const auto& f : bases) {
      auto loaded = scenarios::load_scenario_file(f.string());
      std::printf("  %-*s  %s\n", static_cast<int>(width), f.stem().string().c_str(),
                  loaded.ok() ? loaded.scenario->name.c_str() : "(invalid: ksim validate it)");
    }
  }
  return kExitOk;
}

int determinism_command(const std::string& given, std::optional<uint64_t> seeds_given, uint64_t first) {
  const std::string file = resolve_scenario(given);
  std::optional<scenarios::Scenario> scenario;
  if (!file.empty()) {
    auto loaded = scenarios::load_scenario_file(file);
    if (!loaded.ok()) {
      print_errors("check-determinism", file, loaded.errors, true);
      return kExitBadInput;
    }
    scenario = std::move(*loaded.scenario);
  }
  const uint64_t seeds = seeds_given.value_or(scenario ? 10 : 100);
  uint64_t bad = 0;
  for (uint64_t s = first; s < first + seeds; ++s) {
    auto v = check_determinism(
        [&](uint64_t seed) {
          if (scenario) {
            scenarios::Scenario copy = *scenario;
            copy.seed = seed;
            scenarios::RunOptions o;
            o.keep_all_trace_events = false;
            const auto r = scenarios::run_scenario(copy, o);
            return RunFingerprint{r.trace_hash, r.events};
          }
          DemoOptions o;
          o.seed = seed;
          o.keep_trace_events = false;
          auto sim = build_demo(o);
          sim->run_until(o.until);
          return RunFingerprint{sim->trace().hash(), sim->trace().event_count()};
        },
        s);
    if (!v.deterministic()) {
      ++bad;
      std::printf("seed %llu: NOT deterministic (%016llx vs %016llx)\n", static_cast<unsigned long long>(s),
                  static_cast<unsigned long long>(v.first.trace_hash),
                  static_cast<unsigned long long>(v.second.trace_hash));
    }
  }
  std::printf("%llu seeds, %llu not deterministic\n", static_cast<unsigned long long>(seeds),
              static_cast<unsigned long long>(bad));
  return bad == 0 ? kExitOk : kExitExpectationFailed;
}

}  // namespace

void register_run_commands(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand("run", "Run a scenario file (default: the acks=1 lesson) and judge its expectations");
  run->add_option("file", args->file,
                  "Scenario JSON file, or a bundled scenario's name (default: acks1_leader_crash; see ksim list)");
  run->add_option("--seed", args->seed, "Root seed (default: the scenario's \"seed\")");
  run->add_option("--until", args->until_ms, "Stop at this virtual ms (expectations are then not judged)")
      ->check(CLI::PositiveNumber);
  run->add_option("--trace", args->trace_path, "Write the JSON Lines trace to this file (for ksim check, ksim-view)");
  run->add_option("--chrome-trace", args->chrome_trace_path,
                  "Also write the trace as Chrome trace-event JSON (Perfetto: one track per node, messages as flows)");
  run->add_option("--set", args->sets, "Override a value: PATH=VALUE, e.g. clients.p1.config.acks=all (repeatable)")
      ->type_name("PATH=VALUE");
  run->add_flag("-v,--verbose", args->verbose, "Print every event (messages, appends, HW moves) in the timeline");
  run->add_option("--format", args->format, "text (default) or json (a machine-readable result, no timeline)");
  run->footer(
      "\n--set paths walk the scenario's JSON: cluster.brokers=5, cluster.broker.replication.truncation=high-watermark,\n"
      "topics.orders.config.min.insync.replicas=2 (topics by name), clients.p1.config.acks=all (clients by id),\n"
      "faults.0.at_ms=1500 (lists by index). Inside a config map the rest of the path is one Kafka name.\n"
      "Values are JSON when they parse (2, true, [1,5]), else strings (all, high-watermark).\n"
      "\nExit codes: 0 every expectation holds, 1 one did not, 2 bad input, 3 internal invariant violated.\n");
  run->callback([args] { set_exit_code(run_scenario_command(*args)); });

  auto vfile = std::make_shared<std::string>();
  auto vsets = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario file without running it (every error, with its path)");
  validate->add_option("file", *vfile, "Scenario JSON file")->required();
  validate->add_option("--set", *vsets, "Override a value first, as ksim run does")->type_name("PATH=VALUE");
  validate->callback([vfile, vsets] { set_exit_code(validate_command(*vfile, *vsets)); });

  CLI::App* list = app.add_subcommand("list", "List the bundled scenarios with their one-line titles");
  list->callback([] { set_exit_code(list_command()); });

  auto dfile = std::make_shared<std::string>();
  auto seeds = std::make_shared<std::optional<uint64_t>>();
  auto first = std::make_shared<uint64_t>(1);
  CLI::App* det = app.add_subcommand(
      "check-determinism", "Run a scenario (default: the kernel demo) twice per seed and compare trace hashes");
  det->add_option("file", *dfile, "Scenario JSON file (default: the kernel demo)");
  det->add_option("--seeds", *seeds, "How many seeds (default 100 for the demo, 10 for a scenario)");
  det->add_option("--first-seed", *first, "First seed")->capture_default_str();
  det->callback([dfile, seeds, first] { set_exit_code(determinism_command(*dfile, *seeds, *first)); });
}

}  // namespace ksim::cli
