// `ksim explore FILE`: property-based testing of a scenario's checks over
// random fault schedules (explore/explorer.h; docs/explore.md).
//
//   ksim explore FILE [--seeds N | --time-budget S] [--first-seed K]
//       [--faults KINDS] [--max-concurrent-faults M] [--max-faults F]
//       [--jobs J] [--shard I/N] [--out RESULTS.jsonl] [--shrink-out DIR]
//
// Per seed: a random fault schedule, the run, the scenario's check
// expectations and liveness after the heal. Prints failing seeds as they
// come (in seed order), then a summary: seeds, seeds/s, failures per check and
// the first failing seed of each. With --shrink-out, the first failing seed of
// each check is shrunk and written as a scenario `ksim run` replays.
//
// Exit codes: 0 every seed passed, 1 some seed failed, 2 bad input.
// The wall clock is read here only (seeds/s, --time-budget, progress), never
// by a run.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "host/exit_codes.h"
#include "host/ordered_parallel.h"
#include "host/stopwatch.h"
#include "scenario_lib/format/scenario_dir.h"
#include "sim/check/registry.h"
#include "cli/commands.h"
#include "explore/explorer.h"
#include "explore/shrinker.h"

namespace ksim::cli {
namespace {

struct ExploreArgs {
  std::string file;
  std::optional<uint64_t> seeds;
  std::optional<double> time_budget_s;
  uint64_t first_seed = 1;
  std::string faults = "all";
  int32_t max_concurrent = 2;
  int32_t max_faults = 6;
  int64_t converge_ms = 15000;
  bool no_swarm = false;
  std::vector<std::string> checks;
  int jobs = 1;
  std::string shard;
  std::string out;
  std::string shrink_out;
  int shrink_runs = 400;
  std::vector<std::string> sets;
  bool quiet = false;
};

// "I/N" with 0 <= I < N.
bool parse_shard(const std::string& s, uint64_t& index, uint64_t& count) {
  const size_t slash = s.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == s.size()) return false;
  try {
    size_t used = 0;
    index = std::stoull(s.substr(0, slash), &used);
    if (used != slash) return false;
    count = std::stoull(s.substr(slash + 1), &used);
    if (used != s.size() - slash - 1) return false;
  } catch (const std::exception&) {
    return false;
  }
  return count >= 1 && index < count;
}

std::string seconds_text(double s) {
  std::ostringstream out;
  out << s;
  return out.str();
}

std::string file_safe(std::string s) {
  for (char& c : s)
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return s;
}

int explore_command(const ExploreArgs& args) {
  auto bad = [](const std::string& what) {
    std::cerr << "ksim explore: " << what << "\n";
    return kExitBadInput;
  };
  if (args.seeds && args.time_budget_s) return bad("give --seeds or --time-budget, not both");
  if (args.seeds && *args.seeds == 0) return bad("--seeds: expected at least 1");
  if (args.time_budget_s && !(*args.time_budget_s > 0)) return bad("--time-budget: expected a positive number of seconds");
  if (args.jobs < 1) return bad("--jobs: expected at least 1, got " + std::to_string(args.jobs));
  if (args.shrink_runs < 1) return bad("--shrink-runs: expected at least 1");
  uint64_t shard_index = 0, shard_count = 1;
  if (!args.shard.empty() && !parse_shard(args.shard, shard_index, shard_count))
    return bad("--shard: expected I/N with 0 <= I < N (e.g. 0/4 .. 3/4), got \"" + args.shard + "\"");
  const auto kinds = explore::parse_fault_kinds(args.faults);
  if (!kinds.error.empty()) return bad("--faults: " + kinds.error);

  explore::ExploreOptions options;
  options.kinds = kinds.kinds;
  options.max_concurrent_faults = args.max_concurrent;
  options.max_faults = args.max_faults;
  options.converge_ms = args.converge_ms;
  options.swarm = !args.no_swarm;
  options.checks = args.checks;
  // A file as given, or a bundled scenario or explore base by name.
  const std::string path = resolve_scenario(args.file);
  auto made = explore::Explorer::make_from_file(path, args.sets, options);
  if (!made.errors.empty()) {
    for (const auto& e : made.errors) {
      if (e.path.rfind("--", 0) == 0)
        std::cerr << "ksim explore: " << e.str() << "\n";
      else
        std::cerr << "ksim explore: " << path << ": " << e.str() << "\n";
    }
    std::cerr << made.errors.size() << " error" << (made.errors.size() == 1 ? "" : "s") << "; nothing was run\n";
    return kExitBadInput;
  }
  const explore::Explorer& explorer = *made.explorer;

  std::ofstream out;
  if (!args.out.empty()) {
    out.open(args.out);
    if (!out) return bad("--out: cannot write " + args.out);
  }
  if (!args.shrink_out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(args.shrink_out, ec);
    if (ec) return bad("--shrink-out: cannot create " + args.shrink_out + ": " + ec.message());
  }

  // --seeds N is the whole range first .. first+N-1; a shard runs its share of it.
  const uint64_t range = args.seeds.value_or(100);
  const uint64_t count = args.time_budget_s ? (uint64_t{1} << 40)
                                            : (range > shard_index ? (range - shard_index + shard_count - 1) / shard_count : 0);
  auto seed_of = [&](size_t i) { return args.first_seed + shard_index + static_cast<uint64_t>(i) * shard_count; };

  std::string check_names;
  for (const auto& c : explorer.judged_checks())
    check_names += (check_names.empty() ? "" : ", ") + c["check"].get<std::string>() +
                   (c.value("holds", true) ? "" : " (must not hold)");
  std::cout << "ksim explore " << args.file << ": "
            << (args.time_budget_s ? "seeds from " + std::to_string(args.first_seed) + " for " +
                                         seconds_text(*args.time_budget_s) + " s"
                                   : "seeds " + std::to_string(args.first_seed) + ".." +
                                         std::to_string(args.first_seed + range - 1))
            << (shard_count > 1 ? ", shard " + std::to_string(shard_index) + "/" + std::to_string(shard_count) + " (" +
                                      std::to_string(count) + " of them)"
                                : "")
            << ", " << args.jobs << " job" << (args.jobs == 1 ? "" : "s") << "\n"
            << "faults: " << args.faults << (options.swarm ? " (swarm: a random subset per seed)" : "")
            << ", 1.." << options.max_faults << " per seed, at most " << options.max_concurrent_faults
            << " at once, from " << explore::fault_phase_start_ms(explorer.base()) << " to "
            << explorer.base().run_until_ms << " ms\n"
            << "checks: " << check_names << "; liveness within " << options.converge_ms << " ms of the heal\n";

  explore::ThrowOnInvariantFailure throwing;
  const host::Stopwatch sweep_time;
  auto elapsed_s = [&] { return sweep_time.elapsed_s(); };
  const bool progress = !args.quiet && isatty(STDERR_FILENO);
  host::Pacer redraw(std::chrono::milliseconds(250));

  struct PerCheck {
    uint64_t failed = 0;
    uint64_t first_seed = 0;
  };
  std::map<std::string, PerCheck> per_check;
  std::vector<std::string> check_order;
  for (const auto& c : explorer.judged_checks()) {
    const std::string name = c["check"].get<std::string>();
    const auto* info = check::find_checker(name);
    check_order.push_back(info ? std::string(info->name) : name);
  }
  check_order.push_back(explore::kLiveness);
  uint64_t done = 0, failed = 0, printed = 0;
  constexpr uint64_t kMaxPrinted = 20;

  host::OrderedParallel<explore::SeedOutcome> p;
  p.count = count;
  p.jobs = args.jobs;
  p.run = [&](size_t i) { return explorer.run_seed(seed_of(i)); };
  p.deliver = [&](size_t, explore::SeedOutcome&& o) {
    ++done;
    if (out) out << o.json_line() << "\n";
    if (o.ok()) return;
    ++failed;
    for (const auto& f : o.findings) {
      if (std::find(check_order.begin(), check_order.end(), f.check) == check_order.end()) check_order.push_back(f.check);
      PerCheck& pc = per_check[f.check];
      if (pc.failed++ == 0) pc.first_seed = o.seed;
    }
    if (printed++ < kMaxPrinted) {
      if (progress) std::cerr << "\r\033[K";
      std::cout << "seed " << o.seed << " FAILED";
      for (const auto& f : o.findings) std::cout << "\n  " << f.check << ": " << f.detail;
      std::cout << std::endl;
    } else if (printed == kMaxPrinted + 1) {
      std::cout << "(more failing seeds: see the summary" << (args.out.empty() ? "" : " and " + args.out) << ")\n";
    }
  };
  p.stop = [&] { return args.time_budget_s && elapsed_s() >= *args.time_budget_s; };
  p.tick = [&] {
    if (!progress || !redraw.due()) return;
    const double s = elapsed_s();
    std::cerr << "\r\033[K" << done << " seeds, " << static_cast<int64_t>(s > 0 ? done / s : 0) << " seeds/s, "
              << failed << " failed" << std::flush;
  };
  host::run_ordered(p);
  const double wall_s = elapsed_s();
  if (progress) std::cerr << "\r\033[K" << std::flush;

  std::printf("\n%llu seeds in %.1f s: %.1f seeds/s (%d job%s); %llu failed\n", static_cast<unsigned long long>(done),
              wall_s, wall_s > 0 ? static_cast<double>(done) / wall_s : 0.0, args.jobs, args.jobs == 1 ? "" : "s",
              static_cast<unsigned long long>(failed));
  std::printf("  %-22s %8s  %s\n", "check", "failed", "first failing seed");
  for (const auto& name : check_order) {
    const auto it = per_check.find(name);
    if (it == per_check.end()) {
      std::printf("  %-22s %8d  -\n", name.c_str(), 0);
    } else {
      std::printf("  %-22s %8llu  %llu\n", name.c_str(), static_cast<unsigned long long>(it->second.failed),
                  static_cast<unsigned long long>(it->second.first_seed));
    }
  }
  if (failed > 0 && args.shrink_out.empty())
    std::cout << "shrink a failing seed to a small replayable scenario with --shrink-out DIR\n";

  if (!args.shrink_out.empty()) {
    for (const auto& name : check_order) {
      const auto it = per_check.find(name);
      if (it == per_check.end()) continue;
      const uint64_t seed = it->second.first_seed;
      const explore::ShrinkResult r = explore::shrink_seed(explorer, seed, name, args.shrink_runs);
      if (!r.reproduced) {
        std::cout << "shrinking seed " << seed << " (" << name << "): it did not fail again, nothing written\n";
        continue;
      }
      const std::string file =
          (std::filesystem::path(args.shrink_out) / ("seed" + std::to_string(seed) + "-" + file_safe(name) + ".json"))
              .string();
      std::ofstream shrunk(file);
      if (!shrunk) return bad("--shrink-out: cannot write " + file);
      shrunk << r.scenario.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
      std::cout << "shrunk seed " << seed << " (" << r.signature << "): " << r.faults_before << " faults -> "
                << r.faults_after << ", " << r.records_before << " records -> " << r.records_after << ", in " << r.runs
                << " runs\n  " << name << ": " << r.detail << "\n  wrote " << file << "\n  replay: ksim run " << file
                << "\n";
    }
  }
  return failed == 0 ? kExitOk : kExitExpectationFailed;
}

}  // namespace

void register_explore_command(CLI::App& app) {
  auto a = std::make_shared<ExploreArgs>();
  CLI::App* c = app.add_subcommand(
      "explore", "Run a scenario's checks over many seeds of random fault schedules, and shrink what fails");
  c->add_option("file", a->file, "Scenario JSON file, or a bundled scenario's name (its faults are replaced)")->required();
  c->add_option("--seeds", a->seeds, "How many seeds (default 100)");
  c->add_option("--time-budget", a->time_budget_s, "Run seeds for this many wall-clock seconds instead");
  c->add_option("--first-seed", a->first_seed, "First seed")->capture_default_str();
  c->add_option("--faults", a->faults, "Fault kinds to draw: all, or a list like crash,pause,drop")->capture_default_str();
  c->add_option("--max-concurrent-faults", a->max_concurrent, "Faults with a duration active at once")
      ->capture_default_str();
  c->add_option("--max-faults", a->max_faults, "Faults drawn per seed: 1 .. this")->capture_default_str();
  c->add_option("--converge-ms", a->converge_ms, "Liveness: virtual ms after the heal for the cluster to converge")
      ->capture_default_str();
  c->add_flag("--no-swarm", a->no_swarm, "Draw every enabled kind with equal weight in every seed");
  c->add_option("--check", a->checks, "Judge this check (must hold) instead of the scenario's (repeatable)");
  c->add_option("-j,--jobs", a->jobs, "Threads, one simulation each")->capture_default_str();
  c->add_option("--shard", a->shard, "Run only shard I of N (0 <= I < N) of the seed range: seeds first+I, first+I+N, ...")
      ->type_name("I/N");
  c->add_option("--out", a->out, "Write one JSON line per seed (merge shards by concatenation)");
  c->add_option("--shrink-out", a->shrink_out, "Shrink the first failing seed of each check into DIR/seedS-CHECK.json");
  c->add_option("--shrink-runs", a->shrink_runs, "At most this many runs per shrink")->capture_default_str();
  c->add_option("--set", a->sets, "Override a scenario value first, as ksim run does (repeatable)")->type_name("PATH=VALUE");
  c->add_flag("-q,--quiet", a->quiet, "No progress line");
  c->footer("\nExit codes: 0 every seed passed, 1 some seed failed, 2 bad input. docs/explore.md has the details.\n");
  c->callback([a] { set_exit_code(explore_command(*a)); });
}

}  // namespace ksim::cli
