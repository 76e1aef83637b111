// The model opens a scenario file as it opens a trace: ksim-view runs the
// scenario in-process and shows it. Then what the model derives from the run:
// the checkers' findings, each pointing at the event where it happened, and
// the leader-epoch caches exactly as the brokers traced them.
#include <catch2/catch.hpp>

#include <variant>

#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

std::string acks1_path() { return scenarios::bundled_scenario_dir() + "/acks1_leader_crash.json"; }

TEST_CASE("a scenario file opens as the model of its run, event for event the trace the runner writes",
          "[viz][scenario]") {
  REQUIRE_FALSE(scenarios::bundled_scenario_dir().empty());
  std::string error;
  auto model = ReplayModel::open(acks1_path(), error);
  REQUIRE(model);
  CHECK(error.empty());

  auto loaded = scenarios::load_scenario_file(acks1_path());
  REQUIRE(loaded.ok());
  scenarios::ScenarioRun run(*loaded.scenario, {});
  run.run();
  const std::vector<TraceEvent>& events = run.trace().events();
  REQUIRE(model->size() == events.size());
  CHECK(model->header().scenario == run.trace().header().scenario);
  CHECK(model->header().nodes.size() == run.trace().header().nodes.size());
  const ReplayModel reference = ReplayModel::from_events(run.trace().header(), events);
  CHECK(model->final_state() == reference.final_state());
  model->seek(model->size() / 2);
  CHECK(model->state().events_applied == model->size() / 2);
}

TEST_CASE("a scenario with an error is refused with the loader's message and the file's name", "[viz][scenario]") {
  std::string error;
  CHECK_FALSE(ReplayModel::open("/nonexistent/lesson.json", error));
  CHECK(error.find("/nonexistent/lesson.json") != std::string::npos);
}

TEST_CASE("acks=1 with a leader crash: the lost-write finding points at the send of the first lost record",
          "[viz][checks]") {
  std::string error;
  auto model = ReplayModel::open(acks1_path(), error);
  REQUIRE(model);
  const std::vector<CheckFinding>& findings = model->check_findings();
  REQUIRE_FALSE(findings.empty());
  const CheckFinding* lost = nullptr;
  for (const CheckFinding& f : findings) {
    if (f.name == "lost-write") lost = &f;
    // The lesson loses writes; the new leader then hands offsets 10-13 out
    // again to later records (nonmonotonic-send). Nothing else goes wrong.
    else if (f.name != "nonmonotonic-send") CHECK(f.holds());
  }
  REQUIRE(lost);
  CHECK(lost->count == 5);
  REQUIRE_FALSE(lost->examples.empty());
  const FindingExample& ex = lost->examples.front();
  REQUIRE_FALSE(ex.example.records.empty());
  REQUIRE(ex.event < model->size());
  const TraceEvent& e = model->events()[ex.event];
  CHECK(e.time == ex.example.times.front());
  const auto* send = std::get_if<trace::ProducerSend>(&e.payload);
  REQUIRE(send);
  CHECK(send->record == ex.example.records.front());
  CHECK(model->is_lost_acked(send->record));
}

TEST_CASE("the epoch cache shown for each replica is the one its broker last traced, and the new leader's epoch "
          "appears when it is elected, before its first append",
          "[viz][epoch-cache]") {
  std::string error;
  auto model = ReplayModel::open(acks1_path(), error);
  REQUIRE(model);
  size_t traced = 0;
  std::optional<uint64_t> new_epoch_at;
  for (uint64_t i = 0; i < model->size(); ++i) {
    const auto* c = std::get_if<trace::EpochCacheChanged>(&model->events()[i].payload);
    if (!c) continue;
    ++traced;
    model->seek(i + 1);
    const auto& p = model->state().partitions.at(TopicPartition{c->topic, c->partition});
    const auto broker = model->nodes().broker_of(model->events()[i].node);
    const ReplicaState& r = p.replica_states.at(broker);
    REQUIRE(r.epoch_cache.size() == c->entries.size());
    for (size_t k = 0; k < r.epoch_cache.size(); ++k) {
      CHECK(r.epoch_cache[k].epoch.value == c->entries[k][0]);
      CHECK(r.epoch_cache[k].start_offset.value == c->entries[k][1]);
    }
    if (!new_epoch_at && c->reason == "assigned" && c->entries.size() >= 2) new_epoch_at = i;
  }
  CHECK(traced >= 4);
  // The first cache with a second epoch: the failover's new leader, which
  // assigns the epoch at its LEO (before any record of that epoch exists).
  REQUIRE(new_epoch_at);
  const TraceEvent& e = model->events()[*new_epoch_at];
  const auto& c = std::get<trace::EpochCacheChanged>(e.payload);
  bool appended_before = false;
  for (uint64_t i = 0; i < *new_epoch_at; ++i)
    if (const auto* a = std::get_if<trace::LogAppended>(&model->events()[i].payload))
      appended_before = appended_before || (a->leader_epoch.value == c.entries.back()[0]);
  CHECK_FALSE(appended_before);
}

}  // namespace
}  // namespace ksim::viz
