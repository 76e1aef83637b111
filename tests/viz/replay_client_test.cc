// The replay model on client events: a consumer group's generations and
// assignments through a cooperative rebalance, committed offsets and lag, and
// producer outcomes.
#include <catch2/catch.hpp>

#include "tests/viz/trace_builder.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using test::TraceBuilder;

const NodeId kP1{1};
RecordId rec(uint64_t i) { return make_record_id(kP1, i); }

TraceBuilder group_story() {
  TraceBuilder b({{"broker-1", "broker"}, {"p1", "producer"}, {"c1", "consumer"}, {"c2", "consumer"}});
  const PartitionId p0(0);
  for (auto n : {"broker-1", "p1", "c1", "c2"}) b.at(0, n, trace::NodeStarted{1});
  b.at(0.5, "broker-1",
       trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 0, {1}, {}, {1}, "created"});
  b.at(0.5, "broker-1",
       trace::LogAppended{"orders", p0, Offset(0), LeaderEpoch(0), ProducerId(7),
                          {rec(1), rec(2), rec(3), rec(4), rec(5)}, Offset(5), true});
  b.at(0.6, "broker-1", trace::HighWatermarkChanged{"orders", p0, Offset(0), Offset(5)});
  // t=1: c1 joins alone and gets both partitions (generation 1).
  b.at(1, "c1", trace::AssignmentChanged{"g1", GenerationId(1), {"orders-0", "orders-1"}, {}});
  b.at(2, "c1", trace::ConsumerPolled{"g1", GenerationId(1), "orders", p0, {Offset(0), Offset(1)}, {rec(1), rec(2)}});
  b.at(3, "c1", trace::OffsetCommitted{"g1", GenerationId(1), "orders", p0, Offset(2), "NONE"});
  // t=5..6: c2 joins; cooperative: c1 gives up orders-1 only (generation 2).
  b.at(5, "c2", trace::AssignmentChanged{"g1", GenerationId(2), {"orders-1"}, {}});
  b.at(6, "c1", trace::AssignmentChanged{"g1", GenerationId(2), {}, {"orders-1"}});
  // t=7: a commit with the old generation is refused.
  b.at(7, "c1", trace::OffsetCommitted{"g1", GenerationId(1), "orders", p0, Offset(3), "ILLEGAL_GENERATION"});
  b.at(8, "p1", trace::ProducerSend{rec(6), "orders", p0, "k", true, 1});
  b.at(9, "p1", trace::ProducerFailed{rec(6), "orders", p0, "NOT_ENOUGH_REPLICAS"});
  b.at(10, "c2", trace::NodeCrashed{false});
  b.at(11, "c1", trace::NodeCrashed{false});
  return b;
}

const GroupState& g1(const ReplayModel& m) { return m.state().groups.at("g1"); }

TEST_CASE("a cooperative rebalance: generations, assignments and the group's phase", "[viz][model][group]") {
  ReplayModel m = group_story().model();
  using V = std::vector<std::string>;

  m.seek(m.step_at_time(SimTime::from_ms(1)));
  CHECK(g1(m).generation == GenerationId(1));
  CHECK(g1(m).members.at(NodeId(2)).assigned == V{"orders-0", "orders-1"});
  CHECK(group_phase(g1(m), m.state()) == "Stable");

  m.seek(m.step_at_time(SimTime::from_ms(5)));
  CHECK(g1(m).generation == GenerationId(2));
  CHECK(g1(m).rebalances == 1);
  CHECK(group_phase(g1(m), m.state()) == "Rebalancing");  // c1 still holds generation 1

  m.seek(m.step_at_time(SimTime::from_ms(6)));
  const MemberState& c1 = g1(m).members.at(NodeId(2));
  CHECK(c1.assigned == V{"orders-0"});
  CHECK(c1.revoked == V{"orders-1"});
  CHECK(c1.added.empty());
  CHECK(g1(m).members.at(NodeId(3)).assigned == V{"orders-1"});
  CHECK(group_phase(g1(m), m.state()) == "Stable");

  m.seek(m.step_at_time(SimTime::from_ms(10)));
  CHECK(group_phase(g1(m), m.state()) == "Stable");  // c1 alone is live and current
  m.seek(m.size());
  CHECK(group_phase(g1(m), m.state()) == "Empty");
}

TEST_CASE("committed offsets, lag against the leader's HW, and refused commits", "[viz][model][group]") {
  ReplayModel m = group_story().model();
  const TopicPartition orders0{"orders", PartitionId(0)};

  m.seek(m.step_at_time(SimTime::from_ms(3)));
  REQUIRE(g1(m).committed.count("orders-0"));
  CHECK(g1(m).committed.at("orders-0").offset == Offset(2));
  CHECK(g1(m).members.at(NodeId(2)).position.at("orders-0") == Offset(2));
  CHECK(consumer_lag(m.state(), orders0, Offset(2)) == 3);

  m.seek(m.step_at_time(SimTime::from_ms(7)));
  CHECK(g1(m).committed.at("orders-0").offset == Offset(2));  // unchanged
  CHECK(g1(m).last_commit_error == "ILLEGAL_GENERATION");

  const auto* j1 = m.journeys().find(rec(1));
  REQUIRE(j1);
  CHECK(j1->steps.back().kind == JourneyKind::committed);
  const auto* j3 = m.journeys().find(rec(3));
  CHECK(j3->steps.back().kind == JourneyKind::covered_by_hw);  // never consumed
}

TEST_CASE("producer counters: sent, acknowledged, failed with Kafka's error", "[viz][model][producer]") {
  ReplayModel m = group_story().model();
  m.seek(m.size());
  const ProducerState& p = m.state().producers.at(kP1);
  CHECK(p.sent == 1);
  CHECK(p.acked == 0);
  CHECK(p.failed == 1);
  CHECK(p.last_error == "NOT_ENOUGH_REPLICAS");
  CHECK(m.journeys().find(rec(6))->failed);
  CHECK(m.lost_acked().empty());
}

TEST_CASE("\"topic-partition\" strings parse at the last dash", "[viz][model]") {
  CHECK(parse_topic_partition("orders-3") == TopicPartition{"orders", PartitionId(3)});
  CHECK(parse_topic_partition("my-topic-12") == TopicPartition{"my-topic", PartitionId(12)});
  CHECK_FALSE(parse_topic_partition("orders"));
  CHECK_FALSE(parse_topic_partition("orders-x"));
  CHECK_FALSE(parse_topic_partition("-1"));
}

}  // namespace
}  // namespace ksim::viz
