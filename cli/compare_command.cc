// `ksim compare FILE --set A --set B [--set C ...] [--common X]... [--seed N]`:
// runs one scenario once per variant (each --set is one variant, e.g.
// clients.p1.config.acks=1 vs clients.p1.config.acks=all) with the same seed,
// and prints the outcomes side by side: expectations, checkers, client
// tallies, each partition's final leader / ISR / HW / LEO, and the first
// event where the runs went different ways. Rows that differ are marked '*'.
// The question it answers: "what does this one setting change?".
//
// Exit codes: 0 the comparison ran, 2 bad input (the loader's errors, each
// naming its JSON path or --set), 3 an internal invariant failed.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "host/exit_codes.h"
#include "scenario_lib/run/scenario_runner.h"
#include "cli/commands.h"
#include "cli/scenario_args.h"
#include "sim/report/event_text.h"
#include "sim/trace/jsonl.h"

namespace ksim::cli {
namespace {

struct CompareArgs {
  std::string file;
  std::vector<std::string> variants;
  std::vector<std::string> common;
  std::optional<uint64_t> seed;
};

// Keeps every event of a run, to find where two runs part ways.
class EventKeeper : public TraceSink {
 public:
  void on_event(const TraceHeader&, const TraceEvent& event) override { events.push_back(event); }
  std::vector<TraceEvent> events;
};

struct VariantRun {
  std::string label;
  scenarios::Scenario scenario;
  scenarios::RunResult result;
  EventKeeper keeper;
  TraceHeader header;
};

// "clients.p1.config.acks=all" -> "acks=all": the Kafka name and value, which
// is what a reader compares; other paths are shown whole.
std::string variant_label(const std::string& assignment) {
  const auto eq = assignment.find('=');
  const std::string path = assignment.substr(0, eq);
  const auto config = path.find(".config.");
  if (config != std::string::npos) return path.substr(config + 8) + assignment.substr(eq);
  const auto broker = path.find("cluster.broker.");
  if (broker == 0) return path.substr(15) + assignment.substr(eq);
  return assignment;
}

std::string join_ints(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

class Table {
 public:
  explicit Table(std::vector<std::string> columns) : columns_(std::move(columns)) {}
  void section(std::string title) { rows_.push_back({std::move(title), {}, true}); }
  void row(std::string name, std::vector<std::string> cells) { rows_.push_back({std::move(name), std::move(cells), false}); }

  void print() const {
    size_t name_w = 0;
    std::vector<size_t> w(columns_.size(), 0);
    for (size_t c = 0; c < columns_.size(); ++c) w[c] = columns_[c].size();
    for (const auto& r : rows_) {
      if (r.section) continue;
      name_w = std::max(name_w, r.name.size() + 2);
      for (size_t c = 0; c < r.cells.size(); ++c) w[c] = std::max(w[c], r.cells[c].size());
    }
    std::printf("%-*s", static_cast<int>(name_w), "");
    for (size_t c = 0; c < columns_.size(); ++c)
      std::printf("  %-*s", static_cast<int>(c + 1 == columns_.size() ? 0 : w[c]), columns_[c].c_str());
    std::printf("\n");
    for (const auto& r : rows_) {
      if (r.section) {
        std::printf("%s\n", r.name.c_str());
        continue;
      }
      const bool differs =
          std::any_of(r.cells.begin(), r.cells.end(), [&](const std::string& s) { return s != r.cells.front(); });
      std::printf("  %-*s", static_cast<int>(name_w - 2), r.name.c_str());
      for (size_t c = 0; c < r.cells.size(); ++c) {
        const bool last = c + 1 == r.cells.size();
        std::printf("  %-*s", static_cast<int>(last && !differs ? 0 : w[c]), r.cells[c].c_str());
      }
      std::printf("%s\n", differs ? "  *" : "");
    }
  }

 private:
  struct Row {
    std::string name;
    std::vector<std::string> cells;
    bool section;
  };
  std::vector<std::string> columns_;
  std::vector<Row> rows_;
};

// The index of the first event whose JSON form differs between the runs (or
// the shorter run's length when one is a prefix of the other); nullopt when
// the runs are identical.
std::optional<size_t> first_difference(const std::vector<VariantRun>& runs) {
  size_t shortest = SIZE_MAX, longest = 0;
  for (const auto& r : runs) {
    shortest = std::min(shortest, r.keeper.events.size());
    longest = std::max(longest, r.keeper.events.size());
  }
  std::string a, b;
  for (size_t i = 0; i < shortest; ++i) {
    a.clear();
    append_jsonl_event(a, runs[0].header, runs[0].keeper.events[i]);
    for (size_t v = 1; v < runs.size(); ++v) {
      b.clear();
      append_jsonl_event(b, runs[v].header, runs[v].keeper.events[i]);
      if (a != b) return i;
    }
  }
  if (shortest != longest) return shortest;
  return std::nullopt;
}

void print_comparison(const std::vector<VariantRun>& runs) {
  std::vector<std::string> labels;
  for (const auto& r : runs) labels.push_back(r.label);
  Table t(labels);
  auto cells = [&](auto&& cell) {
    std::vector<std::string> out;
    for (const auto& r : runs) out.push_back(cell(r));
    return out;
  };

  const auto& first = runs.front().result;
  if (!first.expectations.empty()) {
    t.section("expectations");
    for (size_t i = 0; i < first.expectations.size(); ++i) {
      t.row(first.expectations[i].expectation.str(), cells([&](const VariantRun& r) -> std::string {
              if (i >= r.result.expectations.size()) return "-";
              const auto& e = r.result.expectations[i];
              if (!e.judged) return "not judged";
              return e.passed ? "holds" : "FAILS (" + e.seen + ")";
            }));
    }
  }
  t.section("checkers");
  for (size_t i = 0; i < first.checks.size(); ++i) {
    t.row(first.checks[i].name, cells([&](const VariantRun& r) -> std::string {
            if (i >= r.result.checks.size()) return "-";
            const auto& c = r.result.checks[i];
            return c.holds() ? "ok" : std::to_string(c.count) + " found";
          }));
  }
  if (!first.clients.empty()) {
    t.section("clients (producers: sent / acked / failed; consumers: polled / processed / committed)");
    for (size_t i = 0; i < first.clients.size(); ++i) {
      t.row(first.clients[i].id, cells([&](const VariantRun& r) -> std::string {
              if (i >= r.result.clients.size()) return "-";
              const auto& c = r.result.clients[i];
              if (c.consumer())
                return std::to_string(c.polled_records) + " / " + std::to_string(c.processed) + " / " +
                       std::to_string(c.commits);
              return std::to_string(c.sent) + " / " + std::to_string(c.acked) + " / " + std::to_string(c.failed);
            }));
    }
  }
  t.section("partitions at the end");
  for (size_t i = 0; i < first.partitions.size(); ++i) {
    const std::string tp = first.partitions[i].tp.str();
    auto part = [&](const VariantRun& r) -> const PartitionView* {
      return i < r.result.partitions.size() ? &r.result.partitions[i] : nullptr;
    };
    t.row(tp + " leader (epoch)", cells([&](const VariantRun& r) -> std::string {
            const auto* p = part(r);
            if (!p) return "-";
            return (p->leader < 0 ? std::string("none") : "broker-" + std::to_string(p->leader)) + " (" +
                   std::to_string(p->leader_epoch.value) + ")";
          }));
    t.row(tp + " ISR", cells([&](const VariantRun& r) -> std::string {
            const auto* p = part(r);
            return p ? join_ints(p->isr) : "-";
          }));
    t.row(tp + " HW / LEO per broker", cells([&](const VariantRun& r) -> std::string {
            const auto* p = part(r);
            if (!p) return "-";
            std::string s;
            for (const auto& b : p->brokers) {
              if (!b.has_replica) continue;
              if (!s.empty()) s += " ";
              s += std::to_string(b.broker) + ":" + std::to_string(b.hw.value) + "/" + std::to_string(b.leo.value);
            }
            return s.empty() ? "-" : s;
          }));
  }
  t.section("run");
  t.row("events", cells([](const VariantRun& r) { return std::to_string(r.result.events); }));
  t.row("verdict", cells([](const VariantRun& r) -> std::string {
          const size_t failed = r.result.failed_expectations();
          return failed == 0 ? "OK" : std::to_string(failed) + " expectation" + (failed == 1 ? "" : "s") + " failed";
        }));
  t.print();

  const auto diff = first_difference(runs);
  if (!diff) {
    std::printf("\nThe runs are identical, event for event: this setting changed nothing here.\n");
    return;
  }
  std::printf("\nfirst difference: event #%zu\n", *diff);
  size_t width = 0;
  for (const auto& r : runs) width = std::max(width, r.label.size());
  for (const auto& r : runs) {
    if (*diff < r.keeper.events.size()) {
      const TraceEvent& e = r.keeper.events[*diff];
      std::printf("  %-*s  %s  %s\n", static_cast<int>(width), r.label.c_str(), format_time(e.time).c_str(),
                  describe_event(r.header, e).c_str());
    } else {
      std::printf("  %-*s  (the run had ended)\n", static_cast<int>(width), r.label.c_str());
    }
  }
}

int compare_command(const CompareArgs& args) {
  if (args.variants.size() < 2) {
    std::cerr << "ksim compare: give at least two variants, one --set each, e.g.\n"
                 "  ksim compare acks1_leader_crash --set clients.p1.config.acks=1 --set clients.p1.config.acks=all\n";
    return kExitBadInput;
  }
  const std::string path = args.file.empty() ? default_scenario_path() : resolve_scenario(args.file);
  std::vector<std::unique_ptr<VariantRun>> owned;
  for (const std::string& v : args.variants) {
    std::vector<std::string> sets = args.common;
    sets.push_back(v);
    auto loaded = scenarios::load_scenario_file(path, sets);
    if (!loaded.ok()) {
      print_errors("compare", path, loaded.errors, true);
      return kExitBadInput;
    }
    auto run = std::make_unique<VariantRun>();
    run->label = variant_label(v);
    run->scenario = std::move(*loaded.scenario);
    owned.push_back(std::move(run));
  }
  // The same seed for every variant: the file's, unless --seed overrides it.
  const uint64_t seed = args.seed.value_or(owned.front()->scenario.seed);
  std::printf("ksim compare %s  seed %llu\n", display_path(path).c_str(), static_cast<unsigned long long>(seed));
  if (!args.common.empty()) {
    std::printf("every variant:");
    for (const auto& c : args.common) std::printf(" --set %s", shell_quote(c).c_str());
    std::printf("\n");
  }
  std::printf("\n");

  std::vector<VariantRun> runs;
  runs.reserve(owned.size());
  for (auto& o : owned) {
    VariantRun& r = runs.emplace_back();
    r.label = o->label;
    r.scenario = std::move(o->scenario);
    r.scenario.seed = seed;
    scenarios::RunOptions options;
    std::string cmd = "ksim run " + shell_quote(path) + " --seed " + std::to_string(seed);
    for (const auto& c : args.common) cmd += " --set " + shell_quote(c);
    options.reproduce_command = cmd;
    options.sinks.push_back(&r.keeper);
    options.keep_all_trace_events = false;  // r.keeper holds the whole trace already
    scenarios::ScenarioRun run(r.scenario, options);
    r.result = run.run();
    r.header = run.trace().header();
  }
  print_comparison(runs);
  std::printf("\nreplay one: ksim run %s --seed %llu", shell_quote(display_path(path)).c_str(),
              static_cast<unsigned long long>(seed));
  for (const auto& c : args.common) std::printf(" --set %s", shell_quote(c).c_str());
  std::printf(" --set %s\n", shell_quote(args.variants.front()).c_str());
  return kExitOk;
}

}  // namespace

void register_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Run a scenario under two or more configs with the same seed and show the differences side by side");
  cmd->add_option("file", args->file, "Scenario JSON file or bundled scenario name (default: acks1_leader_crash)");
  cmd->add_option("--set", args->variants, "One variant: PATH=VALUE, as in ksim run (give two or more)")
      ->type_name("PATH=VALUE");
  cmd->add_option("--common", args->common, "An override applied to every variant (repeatable)")
      ->type_name("PATH=VALUE");
  cmd->add_option("--seed", args->seed, "Root seed for every variant (default: the scenario's)");
  cmd->footer(
      "\nExample: ksim compare acks1_leader_crash --set clients.p1.config.acks=1 --set clients.p1.config.acks=all\n"
      "Rows marked * differ between the variants; the last lines show the first event where the runs part ways.\n");
  cmd->callback([args] { set_exit_code(compare_command(*args)); });
}

}  // namespace ksim::cli
