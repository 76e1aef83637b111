// The record inspector's producer side: every produce attempt of the batch
// holding a record, what came back for each (an error and a retry, or the
// ack), a new producer id or epoch while it was in flight, a leader
// recognising a retried idempotent batch (KIP-98), and a duplicate: the same
// record appended again while the log still holds it at an earlier offset.
#include <catch2/catch.hpp>

#include <algorithm>

#include "scenario_lib/format/scenario_dir.h"
#include "tests/viz/trace_builder.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using test::recs;
using test::TraceBuilder;

const PartitionId p0(0);
const TopicPartition orders0{"orders", p0};

std::vector<JourneyKind> kinds(const RecordJourney& j) {
  std::vector<JourneyKind> out;
  for (const JourneyStep& s : j.steps) out.push_back(s.kind);
  return out;
}

// p1 sends record 7; the leader appends it, the answer is lost, p1 retries.
// Idempotent: the leader recognises the retry. Not idempotent: it appends the
// record a second time.
TraceBuilder lost_answer(bool idempotent) {
  TraceBuilder b({{"broker-1", "broker"}, {"p1", "producer"}});
  b.at(0, "broker-1", trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 0, {1}, {}, {1}, "created"});
  const ProducerId pid(idempotent ? 1000 : -1);
  const ProducerEpoch epoch(idempotent ? 0 : -1);
  const Sequence seq(idempotent ? 0 : -1);
  b.at(1, "p1", trace::ProducerSend{RecordId(7), "orders", p0, "", false, 1});
  b.at(1, "p1", trace::ProducerAttempt{1, "orders", p0, NodeId(0), 1, recs({7}), pid, epoch, seq});
  b.at(2, "broker-1", trace::LogAppended{"orders", p0, Offset(0), LeaderEpoch(0), pid, recs({7}), Offset(1), true});
  b.at(6, "p1", trace::ProducerResponse{1, "orders", p0, 1, "REQUEST_TIMED_OUT", Offset(-1), "retry"});
  b.at(7, "p1", trace::ProducerAttempt{1, "orders", p0, NodeId(0), 2, recs({7}), pid, epoch, seq});
  if (idempotent) {
    b.at(8, "broker-1", trace::ProduceDuplicate{"orders", p0, pid, epoch, seq, seq, Offset(0), Offset(0)});
    b.at(8.5, "p1", trace::ProducerResponse{1, "orders", p0, 2, "NONE", Offset(0), "acked"});
    b.at(8.5, "p1", trace::ProducerAcked{RecordId(7), "orders", p0, Offset(0)});
  } else {
    b.at(8, "broker-1", trace::LogAppended{"orders", p0, Offset(1), LeaderEpoch(0), pid, recs({7}), Offset(2), true});
    // The only ISR member's HW covers both copies: both are committed.
    b.at(8.2, "broker-1", trace::HighWatermarkChanged{"orders", p0, Offset(0), Offset(2)});
    b.at(8.5, "p1", trace::ProducerResponse{1, "orders", p0, 2, "NONE", Offset(1), "acked"});
    b.at(8.5, "p1", trace::ProducerAcked{RecordId(7), "orders", p0, Offset(1)});
  }
  // An id change after the batch completed is not part of its journey.
  b.at(9, "p1", trace::ProducerIdChanged{ProducerId(1001), ProducerEpoch(0), "init_producer_id"});
  return b;
}

TEST_CASE("a retried idempotent batch: each attempt, its answer, and the leader recognising the retry",
          "[viz][model][journey]") {
  const ReplayModel m = lost_answer(true).model();
  const RecordJourney* j = m.journeys().find(RecordId(7));
  REQUIRE(j);
  using K = JourneyKind;
  CHECK(kinds(*j) == std::vector<K>{K::sent, K::produce_attempt, K::appended_by_leader, K::produce_response,
                                    K::produce_attempt, K::deduplicated, K::produce_response, K::acked});
  CHECK(j->attempts == 2);
  CHECK(j->deduplicated);
  CHECK(j->duplicate_offsets.empty());
  CHECK(m.duplicates().empty());
  const JourneyStep& first = j->steps[1];
  CHECK(first.peer == NodeId(0));  // sent to broker-1
  CHECK(first.detail.find("sequence 0") != std::string::npos);
  CHECK_FALSE(first.bad);
  CHECK(j->steps[3].detail == "answer to attempt 1: REQUEST_TIMED_OUT -> retry");
  CHECK(j->steps[3].bad);
  CHECK(j->steps[4].bad);  // a retry
  CHECK(j->steps[4].detail.find("a retry") != std::string::npos);
  CHECK(j->steps[5].node == NodeId(0));
  CHECK(j->steps[5].offset == Offset(0));  // the original offset it answers with
  CHECK(j->steps[6].offset == Offset(0));
  CHECK_FALSE(j->steps[6].bad);
}

TEST_CASE("without idempotence the retry is appended again: the second copy is marked as a duplicate",
          "[viz][model][journey]") {
  const ReplayModel m = lost_answer(false).model();
  const RecordJourney* j = m.journeys().find(RecordId(7));
  REQUIRE(j);
  CHECK_FALSE(j->deduplicated);
  CHECK(j->duplicate_offsets == std::vector<Offset>{Offset(1)});
  const auto second = std::find_if(j->steps.begin(), j->steps.end(), [](const JourneyStep& s) {
    return s.kind == JourneyKind::appended_by_leader && s.offset == Offset(1);
  });
  REQUIRE(second != j->steps.end());
  CHECK(second->bad);
  CHECK(second->detail.find("DUPLICATE") != std::string::npos);
  CHECK(j->steps[1].detail.find("not idempotent") != std::string::npos);
  REQUIRE(m.duplicates().count(RecordId(7)));
  CHECK(m.duplicates().at(RecordId(7)) == std::vector<Offset>{Offset(0), Offset(1)});
}

TEST_CASE("a record appended again after its first copy was truncated away is not a duplicate",
          "[viz][model][journey]") {
  TraceBuilder b({{"broker-1", "broker"}, {"p1", "producer"}});
  b.at(0, "broker-1", trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 0, {1}, {}, {1}, "created"});
  b.at(1, "broker-1", trace::LogAppended{"orders", p0, Offset(0), LeaderEpoch(0), ProducerId(-1), recs({5, 7}), Offset(2), true});
  b.at(2, "broker-1", trace::LogTruncated{"orders", p0, Offset(1), recs({7}), "diverging epoch"});
  b.at(3, "broker-1", trace::LogAppended{"orders", p0, Offset(1), LeaderEpoch(1), ProducerId(-1), recs({6, 7}), Offset(3), true});
  const ReplayModel m = b.model();
  const RecordJourney* j = m.journeys().find(RecordId(7));
  REQUIRE(j);
  CHECK(j->duplicate_offsets.empty());
  CHECK(m.duplicates().empty());
}

TEST_CASE("a new producer epoch while a batch is in flight shows in that batch's records' journeys",
          "[viz][model][journey]") {
  TraceBuilder b({{"broker-1", "broker"}, {"p1", "producer"}});
  b.at(1, "p1", trace::ProducerSend{RecordId(3), "orders", p0, "", false, 1});
  b.at(1, "p1", trace::ProducerAttempt{4, "orders", p0, NodeId(0), 1, recs({3}), ProducerId(1000), ProducerEpoch(0), Sequence(9)});
  b.at(2, "broker-1",
       trace::ProduceRejectedSequence{"orders", p0, ProducerId(1000), ProducerEpoch(0), Sequence(9), Sequence(9),
                                      ProducerEpoch(0), Sequence(2), "OUT_OF_ORDER_SEQUENCE_NUMBER"});
  b.at(3, "p1", trace::ProducerResponse{4, "orders", p0, 1, "OUT_OF_ORDER_SEQUENCE_NUMBER", Offset(-1), "retry"});
  b.at(3, "p1", trace::ProducerIdChanged{ProducerId(1000), ProducerEpoch(1), "epoch_bump"});
  b.at(4, "p1", trace::ProducerAttempt{4, "orders", p0, NodeId(0), 2, recs({3}), ProducerId(1000), ProducerEpoch(1), Sequence(0)});
  const ReplayModel m = b.model();
  const RecordJourney* j = m.journeys().find(RecordId(3));
  REQUIRE(j);
  using K = JourneyKind;
  CHECK(kinds(*j) == std::vector<K>{K::sent, K::produce_attempt, K::sequence_rejected, K::produce_response,
                                    K::producer_id_changed, K::produce_attempt});
  CHECK(j->steps[2].detail.find("OUT_OF_ORDER_SEQUENCE_NUMBER") != std::string::npos);
  CHECK(j->steps[4].detail == "now producer id 1000 epoch 1 (epoch_bump)");
  CHECK(j->steps[5].detail.find("epoch 1, sequence 0") != std::string::npos);
}

const RecordJourney* record_with(const ReplayModel& m, bool (*pred)(const RecordJourney&)) {
  for (const auto& [id, j] : m.journeys().all())
    if (pred(j)) return &j;
  return nullptr;
}

std::optional<ReplayModel> lesson(const std::string& name) {
  std::string error;
  return ReplayModel::open(scenarios::bundled_scenario_dir() + "/" + name + ".json", error);
}

TEST_CASE("the bundled lessons: a recognised retry, a retry appended twice, a restart's duplicate",
          "[viz][scenario][journey]") {
  SECTION("idempotence_hides_lost_ack: the retried record is written once") {
    auto m = lesson("idempotence_hides_lost_ack");
    REQUIRE(m);
    CHECK(m->duplicates().empty());
    const RecordJourney* j = record_with(*m, [](const RecordJourney& r) { return r.deduplicated; });
    REQUIRE(j);
    CHECK(j->attempts >= 2);
    CHECK(j->acked);
    CHECK(j->duplicate_offsets.empty());
  }
  SECTION("lost_ack_duplicates: the retried record is in the log twice") {
    auto m = lesson("lost_ack_duplicates");
    REQUIRE(m);
    REQUIRE(m->duplicates().size() == 1);
    const auto& [id, offsets] = *m->duplicates().begin();
    CHECK(offsets.size() == 2);
    CHECK(record_label(m->header(), id) == "p1#5");
    const RecordJourney* j = m->journeys().find(id);
    REQUIRE(j);
    CHECK(j->attempts >= 2);
    CHECK(j->duplicate_offsets.size() == 1);
    CHECK_FALSE(j->deduplicated);
  }
  SECTION("producer_restart_duplicates: two producer ids, the record twice") {
    auto m = lesson("producer_restart_duplicates");
    REQUIRE(m);
    REQUIRE(m->duplicates().size() == 1);
    const RecordJourney* j = m->journeys().find(m->duplicates().begin()->first);
    REQUIRE(j);
    std::vector<std::string> ids;
    for (const JourneyStep& s : j->steps)
      if (s.kind == JourneyKind::produce_attempt) {
        const size_t at = s.detail.find("producer id ");
        REQUIRE(at != std::string::npos);
        ids.push_back(s.detail.substr(at, s.detail.find(' ', at + 12) - at));
      }
    // Between them, the process died with the first attempt unanswered.
    CHECK(std::any_of(j->steps.begin(), j->steps.end(),
                      [](const JourneyStep& s) { return s.kind == JourneyKind::producer_crashed; }));
    REQUIRE(ids.size() >= 2);
    CHECK(ids.front() != ids.back());  // the restarted process has a new producer id
    CHECK(j->duplicate_offsets.size() == 1);
  }
}

}  // namespace
}  // namespace ksim::viz
