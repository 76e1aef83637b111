#pragma once
// ReplayModel: a run's trace, and the cluster state at any step of it. The
// viewer's panels draw from it; it never includes ImGui (the Tracy split of
// worker and view). One API for every source: events arrive through append(),
// whether read from a JSON Lines file (load_jsonl), copied from a Simulation
// that ran in this process (from_events), or streamed live (a TraceSink).
//
//   append(e)      head state += e; every kSnapshotEvery events the head is
//                  copied into a snapshot; the record journeys and the event
//                  index grow with it.
//   seek(step)     the cursor state := the state after `step` events: restore
//                  the nearest snapshot at or below `step` (or keep the cursor
//                  when it is closer and behind) and replay at most
//                  kSnapshotEvery - 1 events forward. Stepping back costs what
//                  stepping forward does.
//
// Snapshots are cheap to copy: partition logs are chunked copy-on-write
// (cow_chunked_vector.h), everything else is small per node or per partition.
//
// Invariants:
//   1. snapshots_[k] is the state after k * kSnapshotEvery events;
//   2. head_ is the state after all events; cursor_ after cursor_step_ events;
//   3. seek(s) gives the same state as applying events [0, s) to a fresh
//      ClusterState, whatever the seeks before it (the property tests check it).
#include <cstdint>
#include <deque>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/trace/jsonl.h"
#include "sim/trace/trace.h"
#include "viz/model/check_findings.h"
#include "viz/model/cluster_state.h"
#include "viz/model/event_index.h"
#include "viz/model/node_directory.h"
#include "viz/model/record_journey.h"

namespace ksim::viz {

class ReplayModel {
 public:
  static constexpr uint64_t kSnapshotEvery = 4096;

  explicit ReplayModel(TraceHeader header);
  ReplayModel(ReplayModel&&) = default;
  ReplayModel& operator=(ReplayModel&&) = default;

  // Reads a JSON Lines trace. On malformed input returns nullopt and sets
  // `error` to the reader's "line N: what is wrong".
  static std::optional<ReplayModel> load_jsonl(std::istream& in, std::string& error);
  static std::optional<ReplayModel> load_file(const std::string& path, std::string& error);
  // Runs a scenario file (scenarios/README.md) in this process with the
  // scenario runner, its events streamed into the model through append() as
  // they happen (a ReplayModelSink). On an invalid scenario returns nullopt
  // and sets `error` to every problem the loader found, one per line.
  static std::optional<ReplayModel> run_scenario_file(const std::string& path, std::string& error);
  // What `ksim-view PATH` opens: a scenario if PATH ends in .json, else a trace.
  static std::optional<ReplayModel> open(const std::string& path, std::string& error);
  // A trace already in memory (a Simulation kept its events). String views in
  // the events must outlive the model (message type names are static).
  static ReplayModel from_events(const TraceHeader& header, const std::vector<TraceEvent>& events);
  // Takes a loaded trace, with the strings its events point into.
  static ReplayModel from_loaded(LoadedTrace&& loaded);

  void append(const TraceEvent& event);
  void append(TraceEvent&& event);
  // Takes the run's header before any event arrives (a live sink learns it
  // with the first event). Precondition: no event appended yet.
  void adopt_header(const TraceHeader& header);

  const TraceHeader& header() const { return header_; }
  const NodeDirectory& nodes() const { return nodes_; }
  const std::vector<TraceEvent>& events() const { return events_; }
  uint64_t size() const { return events_.size(); }
  SimTime end_time() const { return events_.empty() ? SimTime::zero() : events_.back().time; }

  // --- the cursor ---------------------------------------------------------
  void seek(uint64_t step);  // clamps to [0, size()]
  uint64_t step() const { return cursor_step_; }
  const ClusterState& state() const { return cursor_; }
  const ClusterState& final_state() const { return head_; }
  // How many events happened at or before t: seek(step_at_time(t)) shows time t.
  uint64_t step_at_time(SimTime t) const;
  // How many events the last seek replayed (for the benchmark).
  uint64_t last_seek_replayed() const { return last_seek_replayed_; }

  // --- derived indexes -------------------------------------------------------
  const EventIndex& index() const { return index_; }
  const RecordJourneys& journeys() const { return journeys_; }
  // The records the checkers judge lost (lost-write) and duplicate
  // (duplicate): checked_records.h. Computed with the findings.
  const std::map<RecordId, LostRecord>& lost_acked() const { return checked().records.lost; }
  bool is_lost_acked(RecordId id) const { return lost_acked().count(id) > 0; }
  const std::map<RecordId, std::vector<Offset>>& duplicates() const { return checked().records.duplicates; }
  // The history checkers' findings on the whole trace (check_findings.h),
  // computed on first use and again after appends.
  const std::vector<CheckFinding>& check_findings() const { return checked().findings; }

 private:
  const CheckedRun& checked() const;
  void replay(ClusterState& s, uint64_t from, uint64_t to) const;

  TraceHeader header_;
  std::deque<std::string> strings_;  // backing store of file-loaded string_views
  NodeDirectory nodes_;
  std::vector<TraceEvent> events_;
  ClusterState head_;
  std::vector<ClusterState> snapshots_;
  ClusterState cursor_;
  uint64_t cursor_step_ = 0;
  uint64_t last_seek_replayed_ = 0;
  EventIndex index_;
  RecordJourneys journeys_;
  mutable std::optional<CheckedRun> checked_;  // reset by append
};

// Feeds a live run into a model: add it to a Simulation's trace as a sink.
// The model may start empty (ReplayModel(TraceHeader{})): it takes the run's
// header with the first event.
class ReplayModelSink : public TraceSink {
 public:
  explicit ReplayModelSink(ReplayModel& model) : model_(model) {}
  void on_event(const TraceHeader& header, const TraceEvent& event) override {
    if (model_.size() == 0) model_.adopt_header(header);
    model_.append(event);
  }

 private:
  ReplayModel& model_;
};

}  // namespace ksim::viz
