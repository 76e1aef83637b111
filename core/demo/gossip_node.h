#pragma once
// GossipNode: the kernel demo's process (`ksim demo`). Every node keeps a
// counter, bumps it on a timer, persists it (without fsync, like Kafka), and
// gossips the largest value it knows to its peers. It exercises every part of
// the Env seam: timers, messages, randomness, storage, trace, and recovery
// after a crash. It is not Kafka; it shows the simulator underneath.
#include <cstdint>
#include <vector>

#include "core/env/env.h"
#include "core/env/node.h"

namespace ksim::demo {

class GossipNode final : public Node {
 public:
  GossipNode(Env& env, std::vector<NodeId> peers, Duration tick) : env_(env), peers_(std::move(peers)), tick_(tick) {}

  void start() override;
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;
  void on_connection_lost(NodeId peer) override;
  void check_invariants() const override;

  uint64_t counter() const { return counter_; }

 private:
  void persist();

  Env& env_;
  std::vector<NodeId> peers_;
  Duration tick_;
  uint64_t counter_ = 0;
  uint64_t highest_persisted_ = 0;
};

}  // namespace ksim::demo
