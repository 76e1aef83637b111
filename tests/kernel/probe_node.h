#pragma once
// ProbeNode: a scriptable node for kernel tests. It records what reached it
// (messages with their arrival times, timer firings, lost connections) and
// sends or arms timers when the test asks, from inside the simulation.
#include <string>
#include <vector>

#include "core/env/env.h"
#include "core/env/node.h"
#include "sim/simulation.h"

namespace ksim::test {

// The probe nodes of a test simulation, by node id.
inline constexpr NodeId P1{0}, P2{1}, P3{2};

struct Received {
  SimTime at;
  NodeId from;
  uint64_t counter;
  ConnectionId connection;  // what a reply to it names (Env::respond)
};

struct Fired {
  SimTime at;
  TimerTag tag;
};

class ProbeNode final : public Node {
 public:
  explicit ProbeNode(Env& env) : env_(env) {}
  void start() override {}
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override {
    received.push_back({env_.now(), from, std::get<demo::Gossip>(msg).counter, connection});
    order.push_back('m');
  }
  void on_timer(TimerId, TimerTag tag) override {
    fired.push_back({env_.now(), tag});
    order.push_back('t');
  }
  void on_connection_lost(NodeId peer) override { lost.push_back(peer); }

  Env& env() { return env_; }

  std::vector<Received> received;
  std::vector<Fired> fired;
  std::vector<NodeId> lost;
  std::string order;  // 'm' message, 't' timer, in handling order

 private:
  Env& env_;
};

// A simulation of `n` probe nodes named probe-1..probe-n, started.
inline std::unique_ptr<Simulation> probe_cluster(int n, SimulationOptions options = {}) {
  auto sim = std::make_unique<Simulation>(options);
  for (int i = 0; i < n; ++i)
    sim->add_node("probe-" + std::to_string(i + 1), "probe", [](Env& env) { return std::make_unique<ProbeNode>(env); });
  sim->start();
  return sim;
}

// Runs `body` on probe `n` now, as if inside one of its handlers, so its sends
// and timers are legal.
template <class F>
void act_as(Simulation& sim, NodeId n, F body) {
  sim.invoke(n, [&](Node& node) { body(static_cast<ProbeNode&>(node)); });
}

inline ProbeNode& probe(Simulation& sim, NodeId n) {
  auto* p = sim.process_as<ProbeNode>(n);
  REQUIRE(p != nullptr);
  return *p;
}

}  // namespace ksim::test
