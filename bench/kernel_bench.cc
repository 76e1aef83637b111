// Kernel benchmarks (`make bench`): the bare scheduler with 1k/10k/100k pending
// events and a POD payload, and the network layer's messages/s through a
// 3-node topology. Figures go in the README with the machine they ran on.
#include <benchmark/benchmark.h>

#include "core/base/rng.h"
#include "sim/kernel/event_queue.h"
#include "sim/simulation.h"

namespace ksim {
namespace {

struct PodEvent {
  uint32_t node;
  uint32_t kind;
  uint64_t arg;
};

// Steady state: pop the earliest event and schedule a new one a random delay
// later, so the queue keeps `pending` events, as a running simulation does.
void BM_SchedulerHoldModel(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  Rng rng(1);
  std::vector<int64_t> delays(4096);
  for (auto& d : delays) d = rng.between(1, 10000);
  EventQueue<PodEvent> q;
  q.reserve(pending + 1);
  for (size_t i = 0; i < pending; ++i) q.push(SimTime{delays[i % delays.size()]}, PodEvent{1, 2, i});
  size_t i = 0;
  for (auto _ : state) {
    auto e = q.pop();
    benchmark::DoNotOptimize(e);
    q.push(e.at + micros(delays[i++ & 4095]), e.payload);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_SchedulerHoldModel)->Arg(1000)->Arg(10000)->Arg(100000);

// A node that forwards every message it gets to the next node of a ring.
class RingNode final : public Node {
 public:
  RingNode(Env& env, NodeId next, int initial) : env_(env), next_(next), initial_(initial) {}
  void start() override {
    for (int i = 0; i < initial_; ++i) env_.send(next_, demo::Gossip{static_cast<uint64_t>(i)});
  }
  void on_message(NodeId, ConnectionId, const Message& msg) override { env_.send(next_, msg); }
  void on_timer(TimerId, TimerTag) override {}

 private:
  Env& env_;
  NodeId next_;
  int initial_;
};

// Messages/s through the whole stack: network send (latency draw, FIFO, trace
// hash), the event queue, delivery and the node handler. The trace is hashed
// but not kept, as in an explore run.
void BM_NetworkThreeNodeRing(benchmark::State& state) {
  SimulationOptions o;
  o.keep_trace_events = false;
  Simulation sim(o);
  for (uint32_t i = 0; i < 3; ++i)
    sim.add_node("n" + std::to_string(i), "bench", [i](Env& env) {
      return std::make_unique<RingNode>(env, NodeId((i + 1) % 3), 100);
    });
  sim.start();
  int64_t delivered = 0;
  for (auto _ : state) {
    sim.step();  // each event is one delivery
    ++delivered;
  }
  state.SetItemsProcessed(delivered);
}
BENCHMARK(BM_NetworkThreeNodeRing);

}  // namespace
}  // namespace ksim

BENCHMARK_MAIN();
