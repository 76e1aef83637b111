#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <map>
#include <set>

#include "core/base/contains.h"
#include "tests/controller/controller_cluster.h"

namespace ksim::test {
namespace {

struct AssertThrown {
  std::string text;
};

// Makes KSIM_ASSERT failures (the controller's check_invariants runs after
// every event) throw, so RapidCheck reports and shrinks them.
class ThrowingAsserts {
 public:
  ThrowingAsserts()
      : previous_(set_assert_handler([](const AssertFailure& f) { throw AssertThrown{format_assert_failure(f)}; })) {}
  ~ThrowingAsserts() { set_assert_handler(previous_); }

 private:
  AssertHandler previous_;
};

// A choice uniform in [lo, hi). rc::gen::inRange scales with RapidCheck's
// size, which would make early runs pick only the first operations.
int uniform(int lo, int hi) { return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange(lo, hi)); }

// Reads the trace as a checker would: partition epochs, leaders and fencing.
void check_trace(const Simulation& sim, bool elr_enabled) {
  std::map<int32_t, bool> fenced;  // broker -> fenced, as BrokerFencing events say
  std::map<std::pair<std::string, int32_t>, trace::PartitionChanged> last;
  for (const TraceEvent& e : sim.trace().events()) {
    if (const auto* f = std::get_if<trace::BrokerFencing>(&e.payload)) {
      fenced[f->broker.value] = f->fenced;
      if (f->fenced)
        for (const auto& [key, p] : last)
          RC_ASSERT_FALSE(p.leader == f->broker);  // leadership moved before the fence
    }
    const auto* c = std::get_if<trace::PartitionChanged>(&e.payload);
    if (!c) continue;
    const auto key = std::make_pair(c->topic, c->partition.value);
    if (c->leader != kNoBroker) {
      RC_ASSERT(contains(c->isr, c->leader.value));
      RC_ASSERT(fenced.count(c->leader.value) && !fenced[c->leader.value]);
    }
    for (int32_t b : c->isr) RC_ASSERT(contains(c->replicas, b));
    if (!elr_enabled) RC_ASSERT(!c->isr.empty());
    if (auto it = last.find(key); it != last.end()) {
      const auto& prev = it->second;
      RC_ASSERT(c->leader_epoch >= prev.leader_epoch);
      RC_ASSERT(c->partition_epoch > prev.partition_epoch);
      RC_ASSERT((c->leader != prev.leader) == (c->leader_epoch != prev.leader_epoch));
    } else {
      RC_ASSERT(c->reason == std::string("created"));
    }
    last[key] = *c;
  }
}

TEST_CASE("random fencing, returns, restarts and ISR changes keep every controller invariant and epochs only grow",
          "[controller][property]") {
  ThrowingAsserts throwing;
  rc::prop("controller under random broker and controller faults", [] {
    const int n = uniform(2, 5);
    ClusterOptions o = brokers(n);
    o.seed = *rc::gen::arbitrary<uint64_t>();
    o.controller.eligible_leader_replicas_version = static_cast<int16_t>(uniform(0, 2));
    o.controller.unclean_leader_election_enable = *rc::gen::arbitrary<bool>();
    o.controller.leader_imbalance_check_interval_seconds = uniform(5, 60);
    const auto rf = static_cast<int16_t>(uniform(1, n + 1));
    const int32_t min_isr = uniform(1, rf + 1);
    o.controller.initial_topics.push_back(
        InitialTopic{"t", uniform(1, 5), rf, {}, {{"min.insync.replicas", std::to_string(min_isr)}}});
    ControllerCluster c(o);
    Simulation& sim = c.sim();
    sim.run_until(SimTime::from_ms(5000));

    const int steps = uniform(5, 40);
    for (int step = 0; step < steps; ++step) {
      const int32_t b = uniform(1, n + 1);
      const NodeId bn = ControllerCluster::broker_node(b);
      switch (uniform(0, 8)) {
        case 0:  // a broker goes silent
          if (sim.is_running(bn)) c.act(b, [](FakeBroker& x) { x.stop_heartbeats(); });
          break;
        case 1:  // and comes back
          if (sim.is_running(bn)) c.act(b, [](FakeBroker& x) { x.resume_heartbeats(); });
          break;
        case 2:
        case 3: {  // the leader (as the broker believes) proposes an ISR
          if (!sim.is_running(bn) || !sim.is_running(ControllerCluster::controller_node())) break;
          const auto& parts = c.controller().image().partitions();
          if (parts.empty()) break;
          const auto& p = std::next(parts.begin(), uniform(0, static_cast<int>(parts.size())))->second;
          // Mostly from the current leader, sometimes from anyone.
          const int32_t from = p.leader != kNoBroker && uniform(0, 4) > 0 ? p.leader.value : b;
          if (!sim.is_running(ControllerCluster::broker_node(from))) break;
          std::vector<int32_t> isr;
          for (int32_t r : p.replicas)
            if (r == from || *rc::gen::arbitrary<bool>()) isr.push_back(r);
          const int32_t partition = p.partition.value;
          c.act(from, [&](FakeBroker& x) { x.send_alter_partition("t", partition, isr); });
          break;
        }
        case 4: {  // a request with arbitrary epochs
          if (!sim.is_running(bn)) break;
          const int32_t le = uniform(-1, 4);
          const int32_t pe = uniform(-1, 6);
          c.act(b, [&](FakeBroker& x) { x.send_alter_partition("t", 0, {b}, le, pe); });
          break;
        }
        case 5: {  // the controller crashes and comes back
          if (!sim.is_running(ControllerCluster::controller_node())) break;
          sim.crash(ControllerCluster::controller_node(), *rc::gen::arbitrary<bool>());
          c.run_for(millis(uniform(0, 15000)));
          sim.restart(ControllerCluster::controller_node());
          break;
        }
        case 6:  // a broker process restarts (new incarnation)
          if (sim.is_running(bn)) sim.crash(bn, *rc::gen::arbitrary<bool>());
          sim.restart(bn);
          break;
        case 7:  // a controlled shutdown; the broker restarts later through case 6
          if (sim.is_running(bn)) c.act(b, [](FakeBroker& x) { x.request_controlled_shutdown(); });
          break;
      }
      c.run_for(millis(uniform(0, 15000)));
    }
    c.run_for(seconds(20));
    check_trace(sim, o.controller.elr_enabled());
  });
}

}  // namespace
}  // namespace ksim::test
