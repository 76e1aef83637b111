// A crashed consumer's member stays in its group until the coordinator's
// session timer runs out: Kafka's truth (nobody tells the coordinator), which
// the viewer must show rather than hide. The model says which coordinator
// members' processes are gone (crashed, or restarted under a new member id),
// when their sessions expire (the last heartbeat, join completion or sync the
// coordinator accepted, plus session.timeout.ms), and, once the coordinator
// removes them, why.
#include <catch2/catch.hpp>

#include <algorithm>
#include <variant>

#include "scenario_lib/format/scenario_dir.h"
#include "tests/viz/trace_builder.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using test::TraceBuilder;
using V = std::vector<std::string>;

// broker-1 coordinates g1 with c1 and c2 (session.timeout.ms 10000). Both
// heartbeat every 3 s. c2 crashes at 8000 ms and restarts at 9000 ms; the new
// process joins as c2-new at 9500 ms (a rebalance starts) while the old member
// c2-old waits out its session: last heartbeat 7000 ms, removed at 17000 ms.
TraceBuilder story() {
  TraceBuilder b({{"broker-1", "broker"}, {"c1", "consumer"}, {"c2", "consumer"}});
  for (auto n : {"broker-1", "c1", "c2"}) b.at(0, n, trace::NodeStarted{1});
  b.message(0.8, "c1", "broker-1", "JoinGroup", 0.2);
  b.at(1, "broker-1", trace::MemberJoined{"g1", "c1-old", "", 10000, 300000});
  b.at(1, "broker-1", trace::GroupStateChanged{"g1", "Empty", "PreparingRebalance", GenerationId(0), "member joined"});
  b.message(1.3, "c2", "broker-1", "JoinGroup", 0.2);
  b.at(1.5, "broker-1", trace::MemberJoined{"g1", "c2-old", "", 10000, 300000});
  b.at(2, "broker-1",
       trace::GroupStateChanged{"g1", "PreparingRebalance", "CompletingRebalance", GenerationId(1), "join phase complete"});
  b.at(3, "broker-1", trace::GroupStateChanged{"g1", "CompletingRebalance", "Stable", GenerationId(1), "assignment persisted"});
  b.at(3, "broker-1", trace::GroupStable{"g1", GenerationId(1), "c1-old", "range", {"c1-old", "c2-old"}});
  b.at(3.5, "c1", trace::AssignmentChanged{"g1", GenerationId(1), {"orders-0"}, {}});
  b.at(3.5, "c2", trace::AssignmentChanged{"g1", GenerationId(1), {"orders-1"}, {}});
  for (double t : {4000.0, 7000.0}) {
    b.message(t - 1, "c1", "broker-1", "Heartbeat", 1);
    b.message(t - 1, "c2", "broker-1", "Heartbeat", 1);
  }
  b.at(8000, "c2", trace::NodeCrashed{false});
  b.at(9000, "c2", trace::NodeStarted{2});
  b.message(9499, "c2", "broker-1", "JoinGroup", 1);
  b.at(9500, "broker-1", trace::MemberJoined{"g1", "c2-new", "", 10000, 300000});
  b.at(9500, "broker-1", trace::GroupStateChanged{"g1", "Stable", "PreparingRebalance", GenerationId(1), "member joined"});
  b.message(9999, "c1", "broker-1", "Heartbeat", 1);   // c1's session restarts at 10000
  b.message(11999, "c2", "broker-1", "Heartbeat", 1);  // the new process's: not the old member's
  b.at(17000, "broker-1", trace::MemberRemoved{"g1", "c2-old", "", "session_timeout"});
  b.at(17000, "broker-1",
       trace::GroupStateChanged{"g1", "PreparingRebalance", "CompletingRebalance", GenerationId(2), "join phase complete"});
  b.at(17001, "broker-1", trace::GroupStateChanged{"g1", "CompletingRebalance", "Stable", GenerationId(2), "assignment persisted"});
  b.at(17001, "broker-1", trace::GroupStable{"g1", GenerationId(2), "c1-old", "range", {"c1-old", "c2-new"}});
  return b;
}

const GroupState& g1(const ReplayModel& m) { return m.state().groups.at("g1"); }

TEST_CASE("a crashed consumer's member is marked gone, with the time its session will expire", "[viz][model][group]") {
  ReplayModel m = story().model();
  m.seek(m.step_at_time(SimTime::from_ms(7500)));
  CHECK_FALSE(member_process_gone(g1(m), "c2-old", m.state()));  // alive and heartbeating

  m.seek(m.step_at_time(SimTime::from_ms(8500)));
  auto gone = member_process_gone(g1(m), "c2-old", m.state());
  REQUIRE(gone);
  CHECK(gone->node == NodeId(2));
  CHECK(gone->gone_since == SimTime::from_ms(8000));
  CHECK_FALSE(gone->restarted);
  REQUIRE(gone->session_expires_at);
  CHECK(*gone->session_expires_at == SimTime::from_ms(17000));  // last heartbeat 7000 + 10000
  CHECK(g1(m).member_ids == V{"c1-old", "c2-old"});             // the coordinator still lists it

  SECTION("a restarted consumer's old member stays beside its new one until the old session expires") {
    m.seek(m.step_at_time(SimTime::from_ms(9700)));
    CHECK(g1(m).sessions.at("c2-new").session_expires_at() == SimTime::from_ms(9500 + 300000));  // new-member join timeout
    m.seek(m.step_at_time(SimTime::from_ms(12500)));
    CHECK(g1(m).member_ids == V{"c1-old", "c2-old", "c2-new"});
    gone = member_process_gone(g1(m), "c2-old", m.state());
    REQUIRE(gone);
    CHECK(gone->restarted);
    CHECK(*gone->session_expires_at == SimTime::from_ms(17000));  // the new process's heartbeat is not its
    CHECK_FALSE(member_process_gone(g1(m), "c2-new", m.state()));
    CHECK_FALSE(member_process_gone(g1(m), "c1-old", m.state()));
    CHECK(g1(m).sessions.at("c1-old").session_expires_at() == SimTime::from_ms(20000));  // heartbeat at 10000
    CHECK(g1(m).sessions.at("c2-new").session_expires_at() == SimTime::from_ms(12000 + 10000));  // its own heartbeat
  }
  SECTION("the coordinator removes it at that time, and the model keeps why") {
    m.seek(m.step_at_time(SimTime::from_ms(17000)));
    CHECK(g1(m).member_ids == V{"c1-old", "c2-new"});
    CHECK_FALSE(g1(m).sessions.count("c2-old"));
    REQUIRE(g1(m).removed.size() == 1);
    const RemovedMember& r = g1(m).removed.back();
    CHECK(r.member == "c2-old");
    CHECK(r.node == NodeId(2));
    CHECK(r.reason == "session_timeout");
    CHECK(r.process_gone);
    CHECK(r.process_gone_at == SimTime::from_ms(8000));
    CHECK(r.session_timeout_ms == 10000);
    CHECK(r.at == SimTime::from_ms(17000));
    // The join phase completed at 17000: the remaining sessions restart.
    CHECK(g1(m).sessions.at("c2-new").session_expires_at() == SimTime::from_ms(27000));
  }
  SECTION("seeking back shows the gone member again, exactly as going forwards did") {
    m.seek(m.size());
    m.seek(m.step_at_time(SimTime::from_ms(8500)));
    auto again = member_process_gone(g1(m), "c2-old", m.state());
    REQUIRE(again);
    CHECK(*again->session_expires_at == SimTime::from_ms(17000));
    CHECK(g1(m).removed.empty());
  }
}

TEST_CASE("a coordinator that loads the group after a failover starts its members' sessions afresh",
          "[viz][model][group]") {
  TraceBuilder b = story();
  b.at(8200, "broker-1", trace::GroupStateChanged{"g1", "Empty", "Stable", GenerationId(1), "loaded"});
  ReplayModel m = b.model();
  m.seek(m.step_at_time(SimTime::from_ms(8500)));
  auto gone = member_process_gone(g1(m), "c2-old", m.state());
  REQUIRE(gone);
  CHECK(*gone->session_expires_at == SimTime::from_ms(18200));  // from the load, not the last heartbeat
}

// The bundled lesson: c1 crashes at 10000 ms; the coordinator removes it when
// its session expires (10 s after the coordinator last restarted its timer). The expiry the viewer
// announces while c1 is gone is the time the coordinator acts.
TEST_CASE("in the crash-vs-leave lesson the announced session expiry is when the coordinator removes the member",
          "[viz][scenario][group]") {
  std::string error;
  auto model = ReplayModel::open(scenarios::bundled_scenario_dir() + "/rebalance_crash_vs_leave.json", error);
  REQUIRE(model);
  std::optional<uint64_t> removal;
  std::string member;
  for (uint64_t i = 0; i < model->size() && !removal; ++i)
    if (const auto* r = std::get_if<trace::MemberRemoved>(&model->events()[i].payload))
      if (r->group == "g1" && r->reason == "session_timeout") {
        removal = i;
        member = r->member;
      }
  REQUIRE(removal);
  const SimTime removed_at = model->events()[*removal].time;
  CHECK(removed_at > SimTime::from_ms(17000));  // 10 s after its last session restart, ~8 s
  CHECK(removed_at < SimTime::from_ms(21000));

  model->seek(model->step_at_time(SimTime::from_ms(12000)));
  auto gone = member_process_gone(model->state().groups.at("g1"), member, model->state());
  REQUIRE(gone);
  CHECK(gone->gone_since == SimTime::from_ms(10000));
  REQUIRE(gone->session_expires_at);
  CHECK(*gone->session_expires_at == removed_at);

  model->seek(*removal + 1);
  const GroupState& g = model->state().groups.at("g1");
  REQUIRE_FALSE(g.removed.empty());
  CHECK(g.removed.back().member == member);
  CHECK(g.removed.back().process_gone);
  CHECK(model->header().node_name(g.removed.back().node) == "c1");

  // The timeline marks the removal in its rebalances lane.
  CHECK(std::any_of(model->index().markers().begin(), model->index().markers().end(),
                    [&](const Marker& mk) { return mk.event == *removal && mk.lane == MarkerLane::rebalance; }));

  // g2's c3 left with LeaveGroup: removed at once, and not as a gone process.
  const GroupState& g2 = model->state().groups.at("g2");
  REQUIRE_FALSE(g2.removed.empty());
  CHECK(g2.removed.front().reason == "leave");
  CHECK_FALSE(g2.removed.front().process_gone);
  CHECK(g2.removed.front().at < SimTime::from_ms(11000));
}

}  // namespace
}  // namespace ksim::viz
