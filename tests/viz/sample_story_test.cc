// The sample story (sample_story.h) read by the replay model: what a teacher
// will point at. The acknowledged writes broker-1 held alone are lost, no
// consumer ever saw them, and the replicas agree again at the end.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "sim/trace/jsonl.h"
#include "tests/viz/sample_story.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

const TopicPartition kOrders0{"orders", PartitionId(0)};

std::vector<RecordId> log_ids(const ReplicaState& r) {
  std::vector<RecordId> out;
  for (size_t i = 0; i < r.log.size(); ++i) out.push_back(r.log[i].id);
  return out;
}

TEST_CASE("the acks=1 story: the writes only the dead leader had are acknowledged, truncated and lost",
          "[viz][model][story]") {
  const test::SampleStory story = test::acks1_leader_failover_story();
  ReplayModel m = story.trace.model();
  REQUIRE(story.lost.size() == 2);

  std::set<RecordId> lost;
  for (const auto& [id, l] : m.lost_acked()) lost.insert(id);
  // The story's two truncated writes are lost; the lost-write checker (whose
  // records the viewer marks) also counts a third acknowledged record that is
  // not in the committed log (the final leader's log below its HW) at the end.
  for (RecordId id : story.lost) CHECK(lost.count(id));
  for (const CheckFinding& f : m.check_findings())
    if (f.name == "lost-write") CHECK(lost.size() == f.count);
  CHECK(lost.size() == 3);
  for (RecordId id : story.lost) {
    const RecordJourney* j = m.journeys().find(id);
    REQUIRE(j);
    CHECK(j->acked);
    bool truncated = false, polled = false, covered = false;
    for (const JourneyStep& s : j->steps) {
      truncated |= s.kind == JourneyKind::truncated;
      polled |= s.kind == JourneyKind::polled;
      covered |= s.kind == JourneyKind::covered_by_hw;
    }
    CHECK(truncated);
    CHECK_FALSE(polled);   // never below the HW, so no consumer saw it
    CHECK_FALSE(covered);
  }

  m.seek(m.size());
  const PartitionState& p = m.state().partitions.at(kOrders0);
  CHECK(p.leader == BrokerId(2));
  CHECK(p.leader_epoch == LeaderEpoch(1));
  CHECK(p.isr == std::vector<int32_t>{2, 3, 1});
  const auto leader = log_ids(p.replica_states.at(BrokerId(2)));
  const auto old_leader = log_ids(p.replica_states.at(BrokerId(1)));
  REQUIRE(old_leader.size() <= leader.size());
  CHECK(std::equal(old_leader.begin(), old_leader.end(), leader.begin()));
  CHECK(p.replica_states.at(BrokerId(2)).epoch_cache.size() == 2);
  CHECK(m.state().groups.at("g1").generation == GenerationId(3));
}

// Not run by default: writes the story as JSON Lines for screenshots and for
// trying the viewer (`ksim_tests "[viz-sample]"` writes it in the current
// directory). ctest runs it as the fixture of the Partitions screenshot test.
TEST_CASE("write the sample replication trace to viz_sample_replication.jsonl", "[.viz-sample]") {
  const test::SampleStory story = test::acks1_leader_failover_story();
  std::string text;
  append_jsonl_header(text, story.trace.header());
  for (const TraceEvent& e : story.trace.events()) append_jsonl_event(text, story.trace.header(), e);
  {
    std::ofstream out("viz_sample_replication.jsonl");
    out << text;
    REQUIRE(out.good());
  }
  std::string error;
  auto model = ReplayModel::load_file("viz_sample_replication.jsonl", error);
  INFO(error);
  REQUIRE(model);
  CHECK(model->size() == story.trace.events().size());
  CHECK(model->lost_acked().size() == 3);
}

}  // namespace
}  // namespace ksim::viz
