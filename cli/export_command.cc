// `ksim export TRACE.jsonl --chrome OUT.json`: converts a recorded JSON Lines
// trace into Chrome's trace-event JSON, which Perfetto's UI (ui.perfetto.dev)
// and chrome://tracing open (sim/trace/chrome_trace.h says what it shows).
// `ksim run FILE --chrome-trace OUT.json` writes the same file during a run.
#include <fstream>
#include <iostream>

#include "host/exit_codes.h"
#include "cli/commands.h"
#include "sim/trace/chrome_trace.h"
#include "sim/trace/jsonl.h"

namespace ksim::cli {
namespace {

struct ExportArgs {
  std::string trace_path;
  std::string chrome_path;
};

int export_trace(const ExportArgs& args) {
  std::ifstream in(args.trace_path);
  if (!in) {
    std::cerr << "ksim export: cannot read " << args.trace_path << "\n";
    return kExitBadInput;
  }
  LoadedTrace trace;
  if (const auto error = read_jsonl_trace(in, trace)) {
    std::cerr << "ksim export: " << args.trace_path << ": " << error->str() << "\n";
    return kExitBadInput;
  }
  std::ofstream out(args.chrome_path);
  if (!out) {
    std::cerr << "ksim export: cannot write " << args.chrome_path << "\n";
    return kExitBadInput;
  }
  ChromeTraceWriter writer(out);
  for (const TraceEvent& e : trace.events) writer.on_event(trace.header, e);
  writer.finish(trace.header);
  std::cout << "wrote " << args.chrome_path << ": " << trace.events.size() << " events of "
            << trace.header.nodes.size() << " nodes (open it in ui.perfetto.dev or chrome://tracing)\n";
  return kExitOk;
}

}  // namespace

void register_export_command(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  CLI::App* cmd = app.add_subcommand("export", "Convert a JSON Lines trace to Chrome trace-event JSON (Perfetto)");
  cmd->add_option("trace", args->trace_path, "Trace file written by ksim run --trace")->required();
  cmd->add_option("--chrome", args->chrome_path, "Output file (Chrome trace-event JSON)")->required();
  cmd->callback([args] { set_exit_code(export_trace(*args)); });
}

}  // namespace ksim::cli
