#include "viz/model/replay_model.h"

#include <algorithm>
#include <fstream>

#include "core/base/assert.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "viz/model/reducers.h"

namespace ksim::viz {

ReplayModel::ReplayModel(TraceHeader header)
    : header_(std::move(header)),
      nodes_(header_),
      head_(header_.nodes.size()),
      cursor_(header_.nodes.size()) {
  snapshots_.push_back(head_);
}

std::optional<ReplayModel> ReplayModel::load_jsonl(std::istream& in, std::string& error) {
  LoadedTrace loaded;
  if (const auto bad = read_jsonl_trace(in, loaded)) {
    error = bad->str();
    return std::nullopt;
  }
  return from_loaded(std::move(loaded));
}

std::optional<ReplayModel> ReplayModel::load_file(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  auto model = load_jsonl(in, error);
  if (!model) error = path + ": " + error;
  return model;
}

std::optional<ReplayModel> ReplayModel::run_scenario_file(const std::string& path, std::string& error) {
  const scenarios::LoadResult loaded = scenarios::load_scenario_file(path);
  if (!loaded.ok()) {
    error = path + ": not a valid scenario:";
    for (const InputError& e : loaded.errors) error += "\n  " + e.str();
    return std::nullopt;
  }
  ReplayModel model{TraceHeader{}};
  ReplayModelSink sink(model);
  scenarios::RunOptions options;
  options.sinks.push_back(&sink);
  options.reproduce_command = "ksim run " + path;
  scenarios::run_scenario(*loaded.scenario, options);
  return model;
}

std::optional<ReplayModel> ReplayModel::open(const std::string& path, std::string& error) {
  const bool scenario = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  return scenario ? run_scenario_file(path, error) : load_file(path, error);
}

ReplayModel ReplayModel::from_events(const TraceHeader& header, const std::vector<TraceEvent>& events) {
  ReplayModel m(header);
  m.events_.reserve(events.size());
  for (const TraceEvent& e : events) m.append(e);
  return m;
}

ReplayModel ReplayModel::from_loaded(LoadedTrace&& loaded) {
  ReplayModel m(std::move(loaded.header));
  m.strings_ = std::move(loaded.strings);  // a deque move keeps the strings where the events point
  m.events_.reserve(loaded.events.size());
  for (TraceEvent& e : loaded.events) m.append(std::move(e));
  loaded.events = {};
  return m;
}

void ReplayModel::adopt_header(const TraceHeader& header) {
  KSIM_ASSERT_MSG(events_.empty(), "a model's header can only change before its first event");
  *this = ReplayModel(header);
}

void ReplayModel::append(const TraceEvent& event) { append(TraceEvent(event)); }

void ReplayModel::append(TraceEvent&& event) {
  const uint64_t index = events_.size();
  events_.push_back(std::move(event));
  apply_event(head_, EventContext{events_.back(), index, nodes_, &journeys_});
  index_.add(events_.back(), index);
  if (events_.size() % kSnapshotEvery == 0) snapshots_.push_back(head_);
  checked_.reset();
}

void ReplayModel::replay(ClusterState& s, uint64_t from, uint64_t to) const {
  for (uint64_t i = from; i < to; ++i) apply_event(s, EventContext{events_[i], i, nodes_, nullptr});
}

void ReplayModel::seek(uint64_t step) {
  step = std::min<uint64_t>(step, events_.size());
  last_seek_replayed_ = 0;
  if (step == cursor_step_) return;
  if (step == events_.size()) {
    cursor_ = head_;
  } else {
    const uint64_t base = step / kSnapshotEvery * kSnapshotEvery;
    uint64_t from = cursor_step_;
    if (!(cursor_step_ < step && cursor_step_ >= base)) {
      cursor_ = snapshots_[step / kSnapshotEvery];
      from = base;
    }
    replay(cursor_, from, step);
    last_seek_replayed_ = step - from;
  }
  cursor_step_ = step;
}

uint64_t ReplayModel::step_at_time(SimTime t) const {
  auto it = std::upper_bound(events_.begin(), events_.end(), t,
                             [](SimTime time, const TraceEvent& e) { return time < e.time; });
  return static_cast<uint64_t>(it - events_.begin());
}

const CheckedRun& ReplayModel::checked() const {
  if (!checked_) checked_ = check_run(header_, events_, head_, journeys_);
  return *checked_;
}

}  // namespace ksim::viz
