#include "fuzz/fuzz_targets.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/base/assert.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/check/history.h"
#include "sim/check/registry.h"
#include "sim/trace/jsonl.h"

namespace ksim::fuzz {
namespace {

struct AssertionFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace

void scenario_input(std::string_view data, int64_t run_ms) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (true) {
    const size_t nul = data.find('\0', start);
    pieces.emplace_back(data.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  const std::string text = std::move(pieces.front());
  pieces.erase(pieces.begin());
  const scenarios::LoadResult r = scenarios::load_scenario(text, "fuzz.json", pieces);
  std::string shown;
  for (const auto& e : r.errors) shown += e.str();  // what `ksim run` prints
  if (!r.ok() || run_ms <= 0) return;
  scenarios::RunOptions options;
  options.keep_all_trace_events = false;
  options.until_ms = run_ms;
  // A zero-time livelock the loader could not foresee ends the run by design
  // (exit 3 in the CLI); any other failed invariant is a bug the fuzzer found.
  const AssertHandler previous =
      set_assert_handler([](const AssertFailure& f) { throw AssertionFailed(format_assert_failure(f)); });
  try {
    scenarios::run_scenario(*r.scenario, options);
  } catch (const AssertionFailed& e) {
    set_assert_handler(previous);
    if (std::string(e.what()).find("zero-time livelock") == std::string::npos) {
      std::fputs(e.what(), stderr);
      std::abort();
    }
  }
  set_assert_handler(previous);
}

void trace_input(std::string_view data) {
  std::istringstream in{std::string(data)};
  LoadedTrace trace;
  if (read_jsonl_trace(in, trace)) return;
  const check::History history = check::build_history(trace.header, trace.events);
  check::run_all_checks(history);
}

}  // namespace ksim::fuzz
