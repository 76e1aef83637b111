#include "sim/demo_run.h"

#include <string>

#include "core/demo/gossip_node.h"

namespace ksim {

std::unique_ptr<Simulation> build_demo(const DemoOptions& o) {
  SimulationOptions so;
  so.seed = o.seed;
  so.scenario = "kernel demo: gossiping counters under faults";
  so.network.default_link = LinkSpec{millis(1), millis(5), {}, 0.0};
  so.disk.writeback_delay = millis(500);
  so.keep_trace_events = o.keep_trace_events;
  so.reproduce_command = "ksim demo --seed " + std::to_string(o.seed);
  auto sim = std::make_unique<Simulation>(so);

  std::vector<NodeId> ids;
  for (int i = 0; i < o.nodes; ++i) ids.push_back(NodeId(static_cast<uint32_t>(i)));
  for (int i = 0; i < o.nodes; ++i) {
    std::vector<NodeId> peers;
    for (NodeId id : ids)
      if (id.value != static_cast<uint32_t>(i)) peers.push_back(id);
    sim->add_node("node-" + std::to_string(i + 1), "demo", [peers](Env& env) {
      return std::make_unique<demo::GossipNode>(env, peers, millis(100));
    });
  }
  for (TraceSink* sink : o.sinks) sim->trace().add_sink(sink);
  sim->start();

  Simulation* s = sim.get();
  const NodeId n1 = ids[0], n2 = ids[1 % ids.size()], last = ids.back();
  // Lose the third Gossip from node-1 to node-2: a single lost message.
  s->at(SimTime::from_ms(200), [s, n1, n2] {
    s->note_fault("drop", "3rd Gossip node-1 -> node-2");
    s->network().add_rule(MessageRule{MessageMatch{"Gossip", n1, n2}, RuleAction::drop, 3, 1});
  });
  // Cut the last node off; it keeps counting alone; heal and it catches up.
  s->at(SimTime::from_ms(1000), [s, last] {
    s->note_fault("isolate", s->node_name(last));
    s->network().isolate(last);
  });
  s->at(SimTime::from_ms(1800), [s] {
    s->note_fault("heal", "all links");
    s->network().heal_all();
  });
  // A process crash keeps the page cache: node-1 recovers its latest value.
  s->at(SimTime::from_ms(2200), [s, n1] {
    s->note_fault("crash", s->node_name(n1));
    s->crash(n1);
  });
  s->at(SimTime::from_ms(2600), [s, n1] {
    s->note_fault("restart", s->node_name(n1));
    s->restart(n1);
  });
  // A power loss keeps only what was written back: node-2 recovers an older value.
  s->at(SimTime::from_ms(3000), [s, n2] {
    s->note_fault("power_loss", s->node_name(n2));
    s->crash(n2, /*power_loss=*/true);
  });
  s->at(SimTime::from_ms(3300), [s, n2] {
    s->note_fault("restart", s->node_name(n2));
    s->restart(n2);
  });
  // A 700 ms stop-the-world pause: node-3's ticks and messages wait, then run late.
  if (ids.size() > 2) {
    const NodeId n3 = ids[2];
    s->at(SimTime::from_ms(3800), [s, n3] {
      s->note_fault("pause", s->node_name(n3) + " for 700 ms");
      s->pause(n3, millis(700));
    });
  }
  return sim;
}

}  // namespace ksim
