// The replay model on replication events: a hand-written acks=1 failover,
// where the old leader comes back and truncates a record it had acknowledged.
// The model must rebuild each replica's log, LEO, HW and epoch cache, the
// controller's leader, epoch and ISR, the truncation, and find the lost write.
#include <catch2/catch.hpp>

#include "tests/viz/trace_builder.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using test::ids;
using test::TraceBuilder;

const NodeId kP1{4};
RecordId rec(uint64_t i) { return make_record_id(kP1, i); }
std::vector<RecordId> rs(std::initializer_list<uint64_t> v) {
  std::vector<RecordId> out;
  for (auto i : v) out.push_back(rec(i));
  return out;
}

const TopicPartition kOrders0{"orders", PartitionId(0)};

// Event times in ms; the comments name the steps the checks seek to.
TraceBuilder acks1_failover() {
  TraceBuilder b({{"controller", "controller"},
                  {"broker-1", "broker"},
                  {"broker-2", "broker"},
                  {"broker-3", "broker"},
                  {"p1", "producer"}});
  for (auto n : {"controller", "broker-1", "broker-2", "broker-3", "p1"}) b.at(0, n, trace::NodeStarted{1});
  const PartitionId p0(0);
  b.at(1, "controller", trace::TopicCreated{"orders", 1, 3, {{1, 2, 3}}});
  b.at(2, "controller",
       trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 0, ids({1, 2, 3}), {}, ids({1, 2, 3}), "created"});
  b.at(3, "broker-1", trace::ReplicaRoleChanged{"orders", p0, "leader", BrokerId(1), LeaderEpoch(0)});
  b.at(3, "broker-2", trace::ReplicaRoleChanged{"orders", p0, "follower", BrokerId(1), LeaderEpoch(0)});
  b.at(3, "broker-3", trace::ReplicaRoleChanged{"orders", p0, "follower", BrokerId(1), LeaderEpoch(0)});
  b.at(10, "p1", trace::ProducerSend{rec(1), "orders", p0, "", false, 1});
  b.at(10, "p1", trace::ProducerSend{rec(2), "orders", p0, "", false, 1});
  b.at(11, "broker-1", trace::LogAppended{"orders", p0, Offset(0), LeaderEpoch(0), ProducerId(-1), rs({1, 2}), Offset(2), true});
  b.at(12, "p1", trace::ProducerAcked{rec(1), "orders", p0, Offset(0)});
  b.at(12, "p1", trace::ProducerAcked{rec(2), "orders", p0, Offset(1)});
  b.at(13, "broker-2", trace::LogAppended{"orders", p0, Offset(0), LeaderEpoch(0), ProducerId(-1), rs({1, 2}), Offset(2), false});
  b.at(13, "broker-3", trace::LogAppended{"orders", p0, Offset(0), LeaderEpoch(0), ProducerId(-1), rs({1, 2}), Offset(2), false});
  b.at(14, "broker-1", trace::HighWatermarkChanged{"orders", p0, Offset(0), Offset(2)});
  b.at(15, "broker-2", trace::HighWatermarkChanged{"orders", p0, Offset(0), Offset(2)});
  b.at(15, "broker-3", trace::HighWatermarkChanged{"orders", p0, Offset(0), Offset(2)});
  // acks=1: record 3 is acknowledged once the leader alone has it.
  b.at(20, "p1", trace::ProducerSend{rec(3), "orders", p0, "", false, 1});
  b.at(20, "broker-1", trace::LogAppended{"orders", p0, Offset(2), LeaderEpoch(0), ProducerId(-1), rs({3}), Offset(3), true});
  b.at(21, "p1", trace::ProducerAcked{rec(3), "orders", p0, Offset(2)});
  // t=22..31: the leader crashes before any follower fetched record 3.
  b.at(22, "-", trace::FaultInjected{"crash", "broker-1"});
  b.at(22, "broker-1", trace::NodeCrashed{false});
  b.at(30, "controller", trace::BrokerFencing{BrokerId(1), true, "heartbeat session expired"});
  b.at(30, "controller",
       trace::PartitionChanged{"orders", p0, BrokerId(2), LeaderEpoch(1), 1, ids({2, 3}), {}, ids({1, 2, 3}), "election"});
  b.at(31, "broker-2", trace::ReplicaRoleChanged{"orders", p0, "leader", BrokerId(2), LeaderEpoch(1)});
  // t=40..43: the new leader writes record 4 at offset 2, in epoch 1.
  b.at(40, "p1", trace::ProducerSend{rec(4), "orders", p0, "", false, 1});
  b.at(40, "broker-2", trace::LogAppended{"orders", p0, Offset(2), LeaderEpoch(1), ProducerId(-1), rs({4}), Offset(3), true});
  b.at(41, "p1", trace::ProducerAcked{rec(4), "orders", p0, Offset(2)});
  b.at(42, "broker-3", trace::LogAppended{"orders", p0, Offset(2), LeaderEpoch(1), ProducerId(-1), rs({4}), Offset(3), false});
  b.at(43, "broker-2", trace::HighWatermarkChanged{"orders", p0, Offset(2), Offset(3)});
  b.at(43, "broker-3", trace::HighWatermarkChanged{"orders", p0, Offset(2), Offset(3)});
  // t=50..51: broker-1 restarts, learns epoch 0 ended at offset 2 and truncates record 3 (KIP-101).
  b.at(50, "broker-1", trace::NodeStarted{2});
  b.at(50, "broker-1", trace::ReplicaRoleChanged{"orders", p0, "follower", BrokerId(2), LeaderEpoch(1)});
  b.at(50, "broker-1", trace::LogTruncated{"orders", p0, Offset(2), rs({3}), "leader_epoch"});
  b.at(51, "broker-1", trace::LogAppended{"orders", p0, Offset(2), LeaderEpoch(1), ProducerId(-1), rs({4}), Offset(3), false});
  b.at(51, "broker-1", trace::HighWatermarkChanged{"orders", p0, Offset(2), Offset(3)});
  // t=52..55: the leader asks for broker-1 back in the ISR; the controller agrees.
  b.at(52, "broker-2", trace::IsrChangeProposed{"orders", p0, ids({2, 3, 1}), "expand: follower 1 caught up"});
  b.at(55, "controller", trace::BrokerFencing{BrokerId(1), false, "registered"});
  b.at(55, "controller",
       trace::PartitionChanged{"orders", p0, BrokerId(2), LeaderEpoch(1), 2, ids({2, 3, 1}), {}, ids({1, 2, 3}), "isr_expand"});
  return b;
}

const ReplicaState& replica(const ReplayModel& m, int32_t broker) {
  return m.state().partitions.at(kOrders0).replica_states.at(BrokerId(broker));
}

std::vector<RecordId> log_ids(const ReplicaState& r) {
  std::vector<RecordId> out;
  for (size_t i = 0; i < r.log.size(); ++i) out.push_back(r.log[i].id);
  return out;
}

TEST_CASE("an acks=1 failover: the model rebuilds each replica's log, LEO, HW and epoch cache",
          "[viz][model][replication]") {
  ReplayModel m = acks1_failover().model();

  SECTION("before the crash the leader has record 3 alone, above the HW") {
    m.seek(m.step_at_time(SimTime::from_ms(21)));
    const ReplicaState& leader = replica(m, 1);
    CHECK(log_ids(leader) == rs({1, 2, 3}));
    CHECK(leader.leo == Offset(3));
    CHECK(leader.hw == Offset(2));
    CHECK(leader.role == "leader");
    CHECK(leader.epoch_cache == std::vector<EpochStart>{{LeaderEpoch(0), Offset(0)}});
    CHECK(log_ids(replica(m, 2)) == rs({1, 2}));
    CHECK(replica(m, 3).hw == Offset(2));
    const PartitionState& p = m.state().partitions.at(kOrders0);
    CHECK(p.leader == BrokerId(1));
    CHECK(p.isr == ids({1, 2, 3}));
  }
  SECTION("after the election broker-2 leads in epoch 1 with ISR {2,3}, broker-1 is down and fenced") {
    m.seek(m.step_at_time(SimTime::from_ms(31)));
    const PartitionState& p = m.state().partitions.at(kOrders0);
    CHECK(p.leader == BrokerId(2));
    CHECK(p.leader_epoch == LeaderEpoch(1));
    CHECK(p.partition_epoch == 1);
    CHECK(p.isr == ids({2, 3}));
    CHECK(p.reason == "election");
    CHECK_FALSE(p.in_isr(BrokerId(1)));
    CHECK(m.state().nodes[1].status == NodeStatus::crashed);
    CHECK(m.state().nodes[1].fenced);
    REQUIRE(p.leader_replica());
    CHECK(p.leader_replica()->node == NodeId(2));
  }
  SECTION("the new leader's epoch cache starts epoch 1 at offset 2") {
    m.seek(m.step_at_time(SimTime::from_ms(43)));
    const ReplicaState& leader = replica(m, 2);
    CHECK(leader.epoch_cache == std::vector<EpochStart>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(1), Offset(2)}});
    CHECK(leader.log[2].epoch == LeaderEpoch(1));
    CHECK(leader.hw == Offset(3));
  }
  SECTION("the restarted broker-1 truncates record 3, then fetches record 4 in its place") {
    // The truncation is the third event at t=50.
    m.seek(m.step_at_time(SimTime::from_ms(49)) + 3);
    const ReplicaState& r = replica(m, 1);
    CHECK(log_ids(r) == rs({1, 2}));
    CHECK(r.leo == Offset(2));
    CHECK(r.hw == Offset(2));
    CHECK(r.epoch_cache == std::vector<EpochStart>{{LeaderEpoch(0), Offset(0)}});
    REQUIRE(r.last_truncation);
    CHECK(r.last_truncation->reason == "leader_epoch");
    CHECK(r.last_truncation->to_offset == Offset(2));
    REQUIRE(r.last_truncation->removed.size() == 1);
    CHECK(r.last_truncation->removed[0].record.id == rec(3));
    CHECK(r.last_truncation->removed[0].offset == Offset(2));
    CHECK(r.last_truncation->removed[0].record.epoch == LeaderEpoch(0));
    CHECK(m.state().nodes[1].incarnation == 2);

    m.seek(m.step_at_time(SimTime::from_ms(51)));
    CHECK(log_ids(replica(m, 1)) == rs({1, 2, 4}));
    CHECK(replica(m, 1).epoch_cache.back() == EpochStart{LeaderEpoch(1), Offset(2)});
  }
  SECTION("an ISR proposal is pending until the controller commits it") {
    m.seek(m.step_at_time(SimTime::from_ms(52)));
    const PartitionState* p = &m.state().partitions.at(kOrders0);
    REQUIRE(p->proposed_isr);
    CHECK(*p->proposed_isr == ids({2, 3, 1}));
    CHECK(p->isr == ids({2, 3}));
    m.seek(m.size());
    p = &m.state().partitions.at(kOrders0);
    CHECK_FALSE(p->proposed_isr);
    CHECK(p->isr == ids({2, 3, 1}));
    CHECK_FALSE(m.state().nodes[1].fenced);
  }
  SECTION("seeking back before the truncation gives record 3 back") {
    m.seek(m.size());
    m.seek(m.step_at_time(SimTime::from_ms(21)));
    CHECK(log_ids(replica(m, 1)) == rs({1, 2, 3}));
    CHECK_FALSE(replica(m, 1).last_truncation);
  }
}

TEST_CASE("an acknowledged record truncated from the only replica that had it is a lost write",
          "[viz][model][replication][lost]") {
  ReplayModel m = acks1_failover().model();
  const auto& lost = m.lost_acked();
  REQUIRE(lost.size() == 1);
  const LostRecord& l = lost.begin()->second;
  CHECK(l.id == rec(3));
  CHECK(l.tp == kOrders0);
  REQUIRE(l.truncation_event);
  CHECK(std::holds_alternative<trace::LogTruncated>(m.events()[*l.truncation_event].payload));
  CHECK(m.is_lost_acked(rec(3)));
  CHECK_FALSE(m.is_lost_acked(rec(4)));
  CHECK_FALSE(m.is_lost_acked(rec(1)));
}

TEST_CASE("a record's journey runs from send through append, fetch, HW and ack", "[viz][model][journey]") {
  ReplayModel m = acks1_failover().model();
  auto kinds = [&](uint64_t i) {
    std::vector<JourneyKind> out;
    for (const auto& s : m.journeys().find(rec(i))->steps) out.push_back(s.kind);
    return out;
  };
  using K = JourneyKind;
  CHECK(kinds(1) == std::vector<K>{K::sent, K::appended_by_leader, K::acked, K::fetched_by_follower,
                                   K::fetched_by_follower, K::covered_by_hw, K::covered_by_hw, K::covered_by_hw});
  CHECK(kinds(3) == std::vector<K>{K::sent, K::appended_by_leader, K::acked, K::truncated});
  const auto* j3 = m.journeys().find(rec(3));
  CHECK(j3->acked);
  CHECK(j3->acked_offset == Offset(2));
  CHECK(j3->steps.back().node == NodeId(1));
  CHECK(j3->steps.back().detail == "leader_epoch");
  CHECK(record_label(m.header(), rec(3)) == "p1#3");
}

TEST_CASE("a follower append past its LEO leaves a gap of unknown records rather than failing",
          "[viz][model][replication]") {
  TraceBuilder b({{"broker-1", "broker"}});
  b.at(1, "broker-1",
       trace::LogAppended{"t", PartitionId(0), Offset(3), LeaderEpoch(2), ProducerId(-1), rs({9}), Offset(4), false});
  ReplayModel m = b.model();
  m.seek(m.size());
  const ReplicaState& r = m.state().partitions.at({"t", PartitionId(0)}).replica_states.at(BrokerId(1));
  REQUIRE(r.log.size() == 4);
  CHECK(r.log[0].id == RecordId(0));
  CHECK(r.log[3].id == rec(9));
  CHECK(r.epoch_cache == std::vector<EpochStart>{{LeaderEpoch(2), Offset(3)}});
}

}  // namespace
}  // namespace ksim::viz

namespace ksim::viz {

TEST_CASE("the timeline puts an ISR shrunk by fencing on the ISR lane and a new leader on the elections lane",
          "[viz][model][timeline]") {
  const PartitionId p0(0);
  test::TraceBuilder b({{"controller", "controller"}, {"broker-1", "broker"}});
  // Lecture 2's run 2: the controller fences both followers (the ISR shrinks
  // twice, leader and epoch unchanged), then a new leader is elected.
  b.at(0, "controller", trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 0, {1, 2, 3}, {}, {1, 2, 3}, "created"});
  b.at(11000, "controller", trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 1, {1, 2}, {}, {1, 2, 3}, "broker_fenced"});
  b.at(11001, "controller", trace::PartitionChanged{"orders", p0, BrokerId(1), LeaderEpoch(0), 2, {1}, {}, {1, 2, 3}, "broker_fenced"});
  b.at(20000, "controller", trace::PartitionChanged{"orders", p0, BrokerId(2), LeaderEpoch(1), 3, {2}, {}, {1, 2, 3}, "broker_fenced"});
  b.at(21000, "controller", trace::PartitionChanged{"orders", PartitionId(1), BrokerId(1), LeaderEpoch(0), 0, {1}, {}, {1}, "created"});
  const ReplayModel m = b.model();
  std::vector<MarkerLane> lanes;
  for (const Marker& mk : m.index().markers()) lanes.push_back(mk.lane);
  CHECK(lanes == std::vector<MarkerLane>{MarkerLane::election, MarkerLane::isr, MarkerLane::isr, MarkerLane::election,
                                         MarkerLane::election});
}

}  // namespace ksim::viz
