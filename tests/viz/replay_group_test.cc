// The replay model on the group coordinator's events: the group's state,
// generation, leader, protocol and members as the coordinator traced them at
// each step; the assignment with what moved in the latest rebalance (eager:
// everything; cooperative: only the moved partition); committed offsets as the
// coordinator stored them and the lag against the leader's HW; and the
// timeline's rebalance markers.
#include <catch2/catch.hpp>

#include "tests/viz/trace_builder.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using test::TraceBuilder;
using V = std::vector<std::string>;

const PartitionId p0(0), p1(1);

// broker-1 coordinates g1; c1 joins (gen 1, both partitions), then c2 joins
// (gen 2). Eager: c1 revokes everything before rejoining, then each gets one.
// Cooperative: c1 keeps orders-0 and revokes orders-1 only (gen 2), and c2
// gets it in a follow-up rebalance (gen 3).
TraceBuilder story(bool cooperative) {
  TraceBuilder b({{"broker-1", "broker"}, {"c1", "consumer"}, {"c2", "consumer"}});
  for (auto n : {"broker-1", "c1", "c2"}) b.at(0, n, trace::NodeStarted{1});
  for (PartitionId p : {p0, p1}) {
    b.at(0.5, "broker-1", trace::PartitionChanged{"orders", p, BrokerId(1), LeaderEpoch(0), 0, {1}, {}, {1}, "created"});
    b.at(0.5, "broker-1",
         trace::LogAppended{"orders", p, Offset(0), LeaderEpoch(0), ProducerId(-1),
                            std::vector<RecordId>(10, RecordId(p.value + 1)), Offset(10), true});
    b.at(0.6, "broker-1", trace::HighWatermarkChanged{"orders", p, Offset(0), Offset(10)});
  }
  const std::string proto = cooperative ? "cooperative-sticky" : "range";
  // t=1..3: c1 alone.
  b.message(0.8, "c1", "broker-1", "JoinGroup", 0.2);  // arrives at t=1, just before member_joined
  b.at(1, "broker-1", trace::MemberJoined{"g1", "c1-1", "", 45000, 300000});
  b.at(1, "broker-1", trace::GroupStateChanged{"g1", "Empty", "PreparingRebalance", GenerationId(0), "member joined"});
  b.at(2, "broker-1",
       trace::GroupStateChanged{"g1", "PreparingRebalance", "CompletingRebalance", GenerationId(1), "join phase complete"});
  b.at(3, "broker-1", trace::GroupStateChanged{"g1", "CompletingRebalance", "Stable", GenerationId(1), "assignment persisted"});
  b.at(3, "broker-1", trace::GroupStable{"g1", GenerationId(1), "c1-1", proto, {"c1-1"}});
  b.at(3.5, "c1", trace::AssignmentChanged{"g1", GenerationId(1), {"orders-0", "orders-1"}, {}});
  // t=4: commits stored by the coordinator.
  b.at(4, "broker-1", trace::OffsetsCommitted{"g1", GenerationId(1), "c1-1", {"orders-0", "orders-1"}, {Offset(4), Offset(7)}});
  // t=10: c2 joins.
  b.at(10, "broker-1", trace::MemberJoined{"g1", "c2-2", "", 45000, 300000});
  b.at(10, "broker-1", trace::GroupStateChanged{"g1", "Stable", "PreparingRebalance", GenerationId(1), "member joined"});
  if (!cooperative) b.at(11, "c1", trace::AssignmentChanged{"g1", GenerationId(1), {}, {"orders-0", "orders-1"}});
  b.at(12, "broker-1",
       trace::GroupStateChanged{"g1", "PreparingRebalance", "CompletingRebalance", GenerationId(2), "join phase complete"});
  b.at(13, "broker-1", trace::GroupStateChanged{"g1", "CompletingRebalance", "Stable", GenerationId(2), "assignment persisted"});
  b.at(13, "broker-1", trace::GroupStable{"g1", GenerationId(2), "c1-1", proto, {"c1-1", "c2-2"}});
  if (!cooperative) {
    b.at(14, "c1", trace::AssignmentChanged{"g1", GenerationId(2), {"orders-0"}, {}});
    b.at(14, "c2", trace::AssignmentChanged{"g1", GenerationId(2), {"orders-1"}, {}});
  } else {
    b.at(14, "c1", trace::AssignmentChanged{"g1", GenerationId(2), {}, {"orders-1"}});
    // The follow-up rebalance hands orders-1 to c2.
    b.at(15, "broker-1", trace::GroupStateChanged{"g1", "Stable", "PreparingRebalance", GenerationId(2), "member rejoined"});
    b.at(16, "broker-1",
         trace::GroupStateChanged{"g1", "PreparingRebalance", "CompletingRebalance", GenerationId(3), "join phase complete"});
    b.at(17, "broker-1", trace::GroupStateChanged{"g1", "CompletingRebalance", "Stable", GenerationId(3), "assignment persisted"});
    b.at(17, "broker-1", trace::GroupStable{"g1", GenerationId(3), "c1-1", proto, {"c1-1", "c2-2"}});
    b.at(18, "c2", trace::AssignmentChanged{"g1", GenerationId(3), {"orders-1"}, {}});
  }
  // t=20: c2 crashes, its session expires.
  b.at(20, "c2", trace::NodeCrashed{false});
  b.at(30, "broker-1", trace::MemberRemoved{"g1", "c2-2", "", "session_timeout"});
  b.at(30, "broker-1",
       trace::GroupStateChanged{"g1", "Stable", "PreparingRebalance", GenerationId(cooperative ? 3 : 2),
                                "member removed (session_timeout)"});
  return b;
}

const GroupState& g1(const ReplayModel& m) { return m.state().groups.at("g1"); }

TEST_CASE("the coordinator's word: state, generation, leader, protocol and members at each step",
          "[viz][model][group]") {
  ReplayModel m = story(false).model();

  m.seek(m.step_at_time(SimTime::from_ms(1)));  // both t=1 events applied
  CHECK(g1(m).state == "PreparingRebalance");
  CHECK(group_phase(g1(m), m.state()) == "PreparingRebalance");
  CHECK(g1(m).member_ids == V{"c1-1"});
  CHECK(g1(m).leader.empty());

  m.seek(m.step_at_time(SimTime::from_ms(2)));
  CHECK(g1(m).state == "CompletingRebalance");
  CHECK(g1(m).generation == GenerationId(1));

  m.seek(m.step_at_time(SimTime::from_ms(4)));
  CHECK(g1(m).state == "Stable");
  CHECK(g1(m).leader == "c1-1");
  CHECK(g1(m).protocol == "range");
  CHECK(g1(m).coordinator == NodeId(0));
  CHECK(g1(m).member_nodes == std::map<std::string, NodeId>{{"c1-1", NodeId(1)}});  // the JoinGroup's sender
  CHECK(g1(m).rebalances == 1);

  m.seek(m.step_at_time(SimTime::from_ms(12)));
  CHECK(g1(m).state == "CompletingRebalance");
  CHECK(g1(m).member_ids == V{"c1-1", "c2-2"});
  m.seek(m.step_at_time(SimTime::from_ms(14)));
  CHECK(g1(m).state == "Stable");
  CHECK(g1(m).generation == GenerationId(2));
  CHECK(g1(m).rebalances == 2);

  // c2 crashed at t=20; the coordinator only acts when its session expires.
  m.seek(m.step_at_time(SimTime::from_ms(25)));
  CHECK(group_phase(g1(m), m.state()) == "Stable");
  CHECK(g1(m).member_ids == V{"c1-1", "c2-2"});
  m.seek(m.size());
  CHECK(g1(m).member_ids == V{"c1-1"});
  CHECK(g1(m).state == "PreparingRebalance");
  CHECK(g1(m).state_reason == "member removed (session_timeout)");
  CHECK(g1(m).rebalances == 3);
}

TEST_CASE("an eager rebalance moves every partition, a cooperative one only the one that changes owner",
          "[viz][model][group]") {
  SECTION("eager") {
    ReplayModel m = story(false).model();
    m.seek(m.step_at_time(SimTime::from_ms(11)));
    CHECK(g1(m).rebalance_moved == V{"orders-0", "orders-1"});  // all revoked
    CHECK(group_assignment(g1(m)).empty());                     // nobody owns anything mid-way
    m.seek(m.step_at_time(SimTime::from_ms(15)));
    CHECK(g1(m).rebalance_moved == V{"orders-0", "orders-1"});
    const auto owners = group_assignment(g1(m));
    CHECK(owners == std::map<std::string, NodeId>{{"orders-0", NodeId(1)}, {"orders-1", NodeId(2)}});
  }
  SECTION("cooperative") {
    ReplayModel m = story(true).model();
    m.seek(m.step_at_time(SimTime::from_ms(14)));
    CHECK(g1(m).rebalance_moved == V{"orders-1"});
    CHECK(group_assignment(g1(m)) == std::map<std::string, NodeId>{{"orders-0", NodeId(1)}});
    m.seek(m.step_at_time(SimTime::from_ms(19)));
    CHECK(g1(m).generation == GenerationId(3));
    CHECK(g1(m).rebalance_moved == V{"orders-1"});  // the follow-up rebalance moves it to c2
    CHECK(group_assignment(g1(m)) ==
          std::map<std::string, NodeId>{{"orders-0", NodeId(1)}, {"orders-1", NodeId(2)}});
    CHECK(g1(m).protocol == "cooperative-sticky");
  }
}

TEST_CASE("offsets the coordinator stored, and the lag against the leader's HW", "[viz][model][group]") {
  ReplayModel m = story(false).model();
  m.seek(m.step_at_time(SimTime{3900}));
  CHECK(g1(m).committed.empty());
  m.seek(m.step_at_time(SimTime::from_ms(5)));
  REQUIRE(g1(m).committed.count("orders-1"));
  CHECK(g1(m).committed.at("orders-0").offset == Offset(4));
  CHECK(g1(m).committed.at("orders-1").member == "c1-1");
  CHECK(consumer_lag(m.state(), {"orders", p0}, g1(m).committed.at("orders-0").offset) == 6);
  CHECK(consumer_lag(m.state(), {"orders", p1}, g1(m).committed.at("orders-1").offset) == 3);
}

TEST_CASE("the timeline marks where rebalances begin and where the group is stable again", "[viz][model][group]") {
  ReplayModel m = story(true).model();
  int begins = 0, stables = 0;
  for (const Marker& mk : m.index().markers()) {
    if (mk.lane != MarkerLane::rebalance) continue;
    const auto& p = m.events()[mk.event].payload;
    if (const auto* g = std::get_if<trace::GroupStateChanged>(&p)) {
      CHECK(g->to == "PreparingRebalance");
      ++begins;
    }
    if (std::holds_alternative<trace::GroupStable>(p)) ++stables;
  }
  CHECK(begins == 4);
  CHECK(stables == 3);
}

TEST_CASE("a coordinator member id names the consumer node whose client.id prefixes it", "[viz][model][group]") {
  const std::vector<std::string> names{"broker-1", "c1", "c1-x"};
  CHECK(member_node("c1-4f1a", names) == NodeId(1));
  CHECK(member_node("c1-x-77", names) == NodeId(2));
  CHECK(member_node("c2-1", names) == kNoNode);
  CHECK(member_node("c1", names) == kNoNode);
}

}  // namespace
}  // namespace ksim::viz

namespace ksim::viz {

TEST_CASE("a group whose coordinator's broker is down has no coordinator, not its last state",
          "[viz][model][group]") {
  TraceBuilder b = story(false);
  b.at(30, "broker-1", trace::NodeCrashed{false});
  b.at(40, "broker-1", trace::NodeStarted{2});
  ReplayModel m = b.model();
  m.seek(m.step_at_time(SimTime::from_ms(14)));
  CHECK(group_phase(g1(m), m.state()) == "Stable");
  m.seek(m.step_at_time(SimTime::from_ms(35)));
  CHECK_FALSE(g1(m).state.empty());  // what broker-1 last said
  CHECK(group_phase(g1(m), m.state()) == kNoCoordinator);
  m.seek(m.step_at_time(SimTime::from_ms(41)));
  CHECK(group_phase(g1(m), m.state()) != kNoCoordinator);
}

}  // namespace ksim::viz
