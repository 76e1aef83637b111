// Every fault kind a scenario can name reaches the cluster through the
// FaultApplier and leaves its mark in the trace, after its fault_injected.
#include <catch2/catch.hpp>

#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"

namespace ksim::scenarios {
namespace {

const char* kEveryFault = R"J({"name": "every fault kind", "seed": 2, "run_until_ms": 17000,
  "cluster": {"brokers": 3, "network": {"latency_ms": [1, 2]}},
  "topics": [{"name": "orders", "assignment": [[1, 2, 3]], "config": {"min.insync.replicas": 1}}],
  "clients": [{"id": "p1", "type": "probe-producer", "config": {"acks": "all", "retries": 100},
               "workload": {"topic": "orders", "messages": 100, "rate_per_s": 10, "start_ms": 2500}}],
  "faults": [
    {"at_ms": 3000, "slow_link": ["broker-1", "broker-2"], "extra_delay_ms": 50},
    {"at_ms": 4000, "slow_link": ["broker-1", "broker-2"], "extra_delay_ms": 0},
    {"at_ms": 4000, "pause": "broker-3", "duration_ms": 500},
    {"at_ms": 4600, "cut": ["broker-1", "broker-2"], "one_way": true},
    {"at_ms": 4700, "heal": ["broker-1", "broker-2"]},
    {"at_ms": 4800, "lossy_link": ["controller", "broker-3"], "loss": 1.0},
    {"at_ms": 5800, "lossy_link": ["controller", "broker-3"], "loss": 0},
    {"at_ms": 5900, "partition": [["broker-3"], ["controller", "broker-1", "broker-2", "p1"]]},
    {"at_ms": 6100, "heal": "all"},
    {"at_ms": 6200, "drop": {"type": "ProduceResponse", "from": "leader(orders-0)", "to": "p1"}},
    {"at_ms": 7000, "controlled_shutdown": "leader(orders-0)"},
    {"at_ms": 10000, "power_loss": "broker-3"},
    {"at_ms": 11000, "restart": "broker-3"},
    {"at_ms": 13000, "crash": "controller"},
    {"at_ms": 13500, "restart": "controller"},
    {"at_ms": 14000, "isolate": "p1"},
    {"at_ms": 14100, "heal": "all"}]})J";

TEST_CASE("every fault kind is applied, recorded first, and leaves its mark", "[scenarios][faults]") {
  auto loaded = load_scenario(kEveryFault, "t.json");
  INFO((loaded.errors.empty() ? std::string() : loaded.errors[0].str()));
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, {});
  const RunResult result = run.run();
  const Trace& trace = run.trace();
  const auto node = [&](const char* name) { return trace.header().find_node(name); };

  std::vector<std::string> kinds;
  bool paused = false, one_way = false, delayed = false, lossy = false, cut_off = false, lost_ack = false,
       power_loss = false, stopped_after_shutdown = false, controller_back = false;
  SimTime shutdown_asked = SimTime::max();
  for (const auto& e : trace.events()) {
    if (const auto* f = std::get_if<trace::FaultInjected>(&e.payload)) {
      kinds.push_back(f->fault);
      if (f->fault == "controlled_shutdown" && shutdown_asked == SimTime::max()) shutdown_asked = e.time;
    }
    if (std::holds_alternative<trace::NodePaused>(e.payload)) paused |= e.node == node("broker-3");
    if (const auto* l = std::get_if<trace::LinkChanged>(&e.payload)) {
      one_way |= e.node == node("broker-1") && l->peer == node("broker-2") && !l->up_to_peer && l->up_from_peer;
      cut_off |= e.time == SimTime::from_ms(5900) && !l->up_to_peer && !l->up_from_peer;
    }
    if (const auto* s = std::get_if<trace::MessageSent>(&e.payload))
      delayed |= e.time >= SimTime::from_ms(3000) && e.time < SimTime::from_ms(4000) && e.node == node("broker-2") &&
                 s->to == node("broker-1") && s->deliver_at - e.time >= millis(50);
    if (const auto* d = std::get_if<trace::MessageDropped>(&e.payload)) {
      lossy |= d->reason == "lossy_link";
      lost_ack |= d->reason == "fault_rule" && d->type == "ProduceResponse" && d->to == node("p1");
    }
    if (const auto* c = std::get_if<trace::NodeCrashed>(&e.payload)) {
      power_loss |= c->power_loss && e.node == node("broker-3");
      stopped_after_shutdown |= e.node == node("broker-1") && e.time > shutdown_asked;
    }
    if (const auto* s = std::get_if<trace::NodeStarted>(&e.payload))
      controller_back |= e.node == node("controller") && s->incarnation == 2;
  }
  CHECK(kinds == std::vector<std::string>{"slow_link", "slow_link", "pause", "cut", "heal", "lossy_link", "lossy_link",
                                          "partition", "heal", "drop", "controlled_shutdown", "controlled_shutdown",
                                          "power_loss", "restart", "crash", "restart", "isolate", "heal"});
  CHECK(paused);
  CHECK(one_way);
  CHECK(delayed);
  CHECK(lossy);
  CHECK(cut_off);
  CHECK(lost_ack);
  CHECK(power_loss);
  CHECK(stopped_after_shutdown);  // the second controlled_shutdown event: the process stops
  CHECK(controller_back);
  // The controlled shutdown moved leadership before broker-1 stopped.
  CHECK(result.partitions[0].leader != 1);
  CHECK(result.partitions[0].leader > 0);
}

}  // namespace
}  // namespace ksim::scenarios
