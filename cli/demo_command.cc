// `ksim demo`: the kernel demo (sim/demo_run.h) as a readable timeline.
// (`ksim check-determinism` with no file runs the demo: cli/run_command.cc.)
#include <cstdio>
#include <fstream>
#include <iostream>

#include "core/demo/gossip_node.h"
#include "host/exit_codes.h"
#include "cli/commands.h"
#include "sim/demo_run.h"
#include "sim/report/timeline_printer.h"
#include "sim/trace/jsonl.h"

namespace ksim::cli {
namespace {

struct DemoArgs {
  uint64_t seed = 1;
  int64_t until_ms = 5000;
  bool verbose = false;
  std::string trace_path;
};

int run_demo(const DemoArgs& args) {
  std::cout << "ksim demo  seed=" << args.seed << "  until=" << args.until_ms << " ms\n"
            << "  5 nodes gossip a counter every 100 ms over links of 1-5 ms latency;\n"
            << "  disk write-back after 500 ms; faults: a lost message, an isolation, a process\n"
            << "  crash, a power loss and a GC pause. (Kafka scenarios: `ksim run`, `ksim list`.)\n\n";
  DemoOptions options;
  options.seed = args.seed;
  options.until = SimTime::from_ms(args.until_ms);
  options.keep_trace_events = false;

  TimelinePrinter printer(std::cout, args.verbose);
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
  printer.finish();
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
  CLI::App* cmd = app.add_subcommand("demo", "Run the simulation-kernel demo and print its timeline");
  cmd->add_option("--seed", args->seed, "Root seed of the run")->capture_default_str();
  cmd->add_option("--until", args->until_ms, "Virtual milliseconds to simulate")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("-v,--verbose", args->verbose, "Print every message and disk flush too");
  cmd->add_option("--trace", args->trace_path, "Write the JSON Lines trace to this file");
  cmd->callback([args] { set_exit_code(run_demo(*args)); });
}

}  // namespace ksim::cli
