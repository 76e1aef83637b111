// `ksim demo`: the kernel demo (sim/demo_run.h) as a readable timeline.
// `ksim check-determinism`: runs it twice per seed and compares trace hashes.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/demo/gossip_node.h"
#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"
#include "sim/demo_run.h"
#include "sim/determinism.h"
#include "sim/report/event_text.h"
#include "sim/trace/jsonl.h"

namespace ksim::cli {
namespace {

struct DemoArgs {
  uint64_t seed = 1;
  int64_t until_ms = 5000;
  bool verbose = false;
  std::string trace_path;
};

class TimelinePrinter : public TraceSink {
 public:
  explicit TimelinePrinter(bool verbose) : verbose_(verbose) {}
  void on_event(const TraceHeader& header, const TraceEvent& event) override {
    if (!verbose_ && !is_notable(event)) return;
    std::cout << format_time(event.time) << "  " << describe_event(header, event) << "\n";
  }

 private:
  bool verbose_;
};

int run_demo(const DemoArgs& args) {
  std::cout << "ksim demo  seed=" << args.seed << "  until=" << args.until_ms << " ms\n"
            << "  5 nodes gossip a counter every 100 ms over links of 1-5 ms latency;\n"
            << "  disk write-back after 500 ms; faults: a lost message, an isolation, a process\n"
            << "  crash, a power loss and a GC pause. (Kafka scenarios arrive with `ksim run FILE`.)\n\n";
  DemoOptions options;
  options.seed = args.seed;
  options.until = SimTime::from_ms(args.until_ms);
  options.keep_trace_events = false;

  TimelinePrinter printer(args.verbose);
  options.sinks.push_back(&printer);
  std::ofstream trace_file;
  std::unique_ptr<JsonlTraceWriter> writer;
  if (!args.trace_path.empty()) {
    trace_file.open(args.trace_path);
    if (!trace_file) {
      std::cerr << "ksim: cannot write trace file " << args.trace_path << "\n";
      return kExitBadInput;
    }
    writer = std::make_unique<JsonlTraceWriter>(trace_file);
    options.sinks.push_back(writer.get());
  }
  auto sim = build_demo(options);
  sim->run_until(options.until);
  if (writer) writer->finish(sim->trace().header());

  std::cout << "\nfinal counters at " << args.until_ms << " ms:\n";
  for (size_t i = 0; i < sim->node_count(); ++i) {
    const NodeId id(static_cast<uint32_t>(i));
    auto* node = sim->process_as<demo::GossipNode>(id);
    std::cout << "  " << sim->node_name(id) << "  " << (node ? std::to_string(node->counter()) : "(down)") << "\n";
  }
  std::printf("\n%llu events, trace hash %016llx\n", static_cast<unsigned long long>(sim->trace().event_count()),
              static_cast<unsigned long long>(sim->trace().hash()));
  return kExitOk;
}

}  // namespace

void register_demo_commands(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  for (const char* name : {"demo", "run"}) {
    CLI::App* cmd = app.add_subcommand(
        name, std::string(name) == "run"
                  ? "Run the default scenario (for now the kernel demo; scenario files come next)"
                  : "Run the simulation-kernel demo and print its timeline");
    cmd->add_option("--seed", args->seed, "Root seed of the run")->capture_default_str();
    cmd->add_option("--until", args->until_ms, "Virtual milliseconds to simulate")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_flag("-v,--verbose", args->verbose, "Print every message and disk flush too");
    cmd->add_option("--trace", args->trace_path, "Write the JSON Lines trace to this file");
    cmd->callback([args] { set_exit_code(run_demo(*args)); });
  }

  auto seeds = std::make_shared<uint64_t>(100);
  auto first = std::make_shared<uint64_t>(1);
  CLI::App* det = app.add_subcommand("check-determinism", "Run the demo twice per seed and compare trace hashes");
  det->add_option("--seeds", *seeds, "How many seeds")->capture_default_str();
  det->add_option("--first-seed", *first, "First seed")->capture_default_str();
  det->callback([seeds, first] {
    uint64_t bad = 0;
    for (uint64_t s = *first; s < *first + *seeds; ++s) {
      auto v = check_determinism(
          [](uint64_t seed) {
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
    std::printf("%llu seeds, %llu not deterministic\n", static_cast<unsigned long long>(*seeds),
                static_cast<unsigned long long>(bad));
    set_exit_code(bad == 0 ? kExitOk : kExitExpectationFailed);
  });
}

}  // namespace ksim::cli
