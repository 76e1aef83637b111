#include "viz/model/check_findings.h"

#include <algorithm>
#include <variant>

#include "sim/check/history.h"
#include "sim/check/registry.h"

namespace ksim::viz {
namespace {

bool mentions(const TraceEvent& e, RecordId id) {
  return std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (requires { p.record; }) {
          if constexpr (std::is_same_v<std::decay_t<decltype(p.record)>, RecordId>) return p.record == id;
        }
        if constexpr (requires { p.records; }) {
          if constexpr (std::is_same_v<std::decay_t<decltype(p.records)>, std::vector<RecordId>>)
            return std::find(p.records.begin(), p.records.end(), id) != p.records.end();
        }
        if constexpr (std::is_same_v<P, trace::LogTruncated>)
          return std::find(p.removed.begin(), p.removed.end(), id) != p.removed.end();
        return false;
      },
      e.payload);
}

}  // namespace

uint64_t example_event(const std::vector<TraceEvent>& events, const check::AnomalyExample& example) {
  if (example.times.empty()) return events.size() - 1;
  const SimTime t = example.times.front();
  auto first = std::lower_bound(events.begin(), events.end(), t,
                                [](const TraceEvent& e, SimTime time) { return e.time < time; });
  auto last = std::upper_bound(first, events.end(), t, [](SimTime time, const TraceEvent& e) { return time < e.time; });
  if (!example.records.empty())
    for (auto it = first; it != last; ++it)
      if (mentions(*it, example.records.front())) return static_cast<uint64_t>(it - events.begin());
  if (last == events.begin()) return 0;
  return static_cast<uint64_t>(std::prev(last) - events.begin());
}

CheckedRun check_run(const TraceHeader& header, const std::vector<TraceEvent>& events,
                     const ClusterState& final_state, const RecordJourneys& journeys) {
  CheckedRun out;
  if (events.empty()) return out;
  const check::History history = check::build_history(header, events);
  const check::CheckContext ctx(history);  // shared by every checker and the marked records
  for (const check::CheckerInfo& checker : check::all_checkers()) {
    const check::CheckResult result = checker.run(ctx);
    CheckFinding f{result.name, std::string(checker.description), result.count, {}};
    for (const check::AnomalyExample& ex : result.examples)
      f.examples.push_back({ex, example_event(events, ex), ex.times.empty()});
    out.findings.push_back(std::move(f));
  }
  out.records = find_checked_records(ctx, final_state, journeys, header);
  return out;
}

}  // namespace ksim::viz
