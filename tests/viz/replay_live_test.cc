// One API for every source: a model fed live, event by event, while the
// Simulation runs is the same model as one built afterwards from its trace.
// And the copy-on-write logs behind cheap snapshots really are copies.
#include <catch2/catch.hpp>

#include "sim/demo_run.h"
#include "viz/model/cow_chunked_vector.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

TEST_CASE("a model fed live by a trace sink equals one built from the finished trace", "[viz][model][live]") {
  ReplayModel live{TraceHeader{}};
  ReplayModelSink sink(live);
  DemoOptions o;
  o.seed = 4;
  o.until = SimTime::from_ms(12000);  // more than one snapshot's worth
  o.sinks.push_back(&sink);
  auto sim = build_demo(o);
  sim->run_until(SimTime::from_ms(6000));
  // Mid-run: the live model already shows the run so far.
  REQUIRE(live.size() == sim->trace().event_count());
  live.seek(live.size());
  CHECK(live.state().nodes[0].incarnation == 2);  // node-1 restarted at 2600 ms
  sim->run_until(o.until);

  ReplayModel after = ReplayModel::from_events(sim->trace().header(), sim->trace().events());
  REQUIRE(live.size() == after.size());
  REQUIRE(live.size() > ReplayModel::kSnapshotEvery);
  CHECK(live.header().nodes.size() == 5);
  for (uint64_t step : {uint64_t{0}, uint64_t{100}, ReplayModel::kSnapshotEvery + 7, live.size()}) {
    live.seek(step);
    after.seek(step);
    CHECK(live.state() == after.state());
  }
}

TEST_CASE("a copy of a chunked log keeps its records when the original grows or is truncated",
          "[viz][model][snapshot]") {
  CowChunkedVector<int> log;
  const int n = static_cast<int>(CowChunkedVector<int>::kChunk) * 2 + 10;
  for (int i = 0; i < n; ++i) log.push_back(i);
  const CowChunkedVector<int> snapshot = log;
  log.truncate(CowChunkedVector<int>::kChunk + 3);  // cuts into a shared chunk
  for (int i = 0; i < 50; ++i) log.push_back(-i);    // and writes over it
  REQUIRE(snapshot.size() == static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) CHECK(snapshot[static_cast<size_t>(i)] == i);
  CHECK(log.size() == CowChunkedVector<int>::kChunk + 53);
  CHECK(log[CowChunkedVector<int>::kChunk + 2] == static_cast<int>(CowChunkedVector<int>::kChunk) + 2);
  CHECK(log[CowChunkedVector<int>::kChunk + 3] == 0);
  CHECK(log[CowChunkedVector<int>::kChunk + 4] == -1);
  CHECK_FALSE(log == snapshot);
  CowChunkedVector<int> again = snapshot;
  CHECK(again == snapshot);
}

}  // namespace
}  // namespace ksim::viz
