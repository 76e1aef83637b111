// KAFKA-6361 read from the trace: the follower's OffsetsForLeaderEpoch
// question and the leader's v0 answer ("epoch 1 ends at offset 2") are trace
// events, printed by the timeline and shown in the record inspector beside
// the record whose fate they decide (m3, kept by the follower at offset 1).
#include <catch2/catch.hpp>

#include <algorithm>
#include <variant>

#include "scenario_lib/format/scenario_dir.h"
#include "sim/report/event_text.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

TEST_CASE("KAFKA-6361: the trace holds the epoch the follower asked and the leader's v0 answer, offset 2, and the "
          "inspector shows it beside m3",
          "[viz][kip101]") {
  std::string error;
  auto model = ReplayModel::open(scenarios::bundled_scenario_dir() + "/kafka6361_v0.json", error);
  REQUIRE(model);
  const TraceHeader& h = model->header();
  const NodeId a = h.find_node("broker-1");
  const NodeId b = h.find_node("broker-2");
  std::optional<uint64_t> asked, answered;
  for (uint64_t i = 0; i < model->size(); ++i) {
    const TraceEvent& e = model->events()[i];
    if (const auto* q = std::get_if<trace::EpochEndOffsetRequested>(&e.payload);
        q && e.node == b && q->to == a && q->leader_epoch == LeaderEpoch(1) && !asked)
      asked = i;
    if (const auto* r = std::get_if<trace::EpochEndOffsetAnswered>(&e.payload);
        r && e.node == a && r->to == b && r->requested_epoch == LeaderEpoch(1) && !answered)
      answered = i;
  }
  REQUIRE(asked);
  REQUIRE(answered);
  CHECK(*asked < *answered);
  const TraceEvent& e = model->events()[*answered];
  const auto& answer = std::get<trace::EpochEndOffsetAnswered>(e.payload);
  CHECK(answer.version == 0);
  CHECK(answer.error == "NONE");
  CHECK(answer.end_offset == Offset(2));       // where A's next epoch, 2, starts
  CHECK(answer.leader_epoch == LeaderEpoch(-1));  // v0 cannot say which epoch that is
  CHECK(std::get<trace::EpochEndOffsetRequested>(model->events()[*asked].payload).version == 0);
  const std::string line = describe_event(h, e);
  CHECK(line.find("answers broker-2: epoch 1 ends at offset 2") != std::string::npos);
  CHECK(is_notable(e));

  // m3 (p1#2) is at offset 1 on B, in epoch 1: the answer keeps it there.
  const RecordJourney* m3 = model->journeys().find(make_record_id(h.find_node("p1"), 2));
  REQUIRE(m3);
  auto step = std::find_if(m3->steps.begin(), m3->steps.end(),
                           [](const JourneyStep& s) { return s.kind == JourneyKind::epoch_answered; });
  REQUIRE(step != m3->steps.end());
  CHECK(step->offset == Offset(1));
  CHECK(step->node == a);
  CHECK(step->peer == b);
  CHECK(step->detail.find("kept") != std::string::npos);
  CHECK_FALSE(step->bad);
}

}  // namespace
}  // namespace ksim::viz
