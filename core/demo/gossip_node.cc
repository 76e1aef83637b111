#include "core/demo/gossip_node.h"

#include <string>

#include "core/base/assert.h"

namespace ksim::demo {
namespace {
constexpr TimerTag kTick = 1;
constexpr const char* kFile = "counter";
}  // namespace

void GossipNode::start() {
  // Recover: the last value that reached storage (the page cache survives a
  // process crash; a power loss keeps only what was written back).
  const auto& entries = env_.storage().read(kFile);
  if (!entries.empty()) counter_ = std::stoull(entries.back());
  highest_persisted_ = counter_;
  env_.trace(trace::Note{"recovered counter " + std::to_string(counter_)});
  // Jitter the first tick so the nodes do not move in lockstep.
  env_.set_timer(micros(env_.rng().between(0, tick_.us)), kTick);
}

void GossipNode::on_timer(TimerId, TimerTag tag) {
  KSIM_ASSERT(tag == kTick);
  ++counter_;
  persist();
  for (NodeId peer : peers_) env_.send(peer, Gossip{counter_});
  env_.set_timer(tick_, kTick);
}

void GossipNode::on_message(NodeId, ConnectionId, const Message& msg) {
  const auto& gossip = std::get<Gossip>(msg);
  if (gossip.counter > counter_) {
    counter_ = gossip.counter;
    persist();
  }
}

void GossipNode::on_connection_lost(NodeId) {
  // Gossip needs no reconnection logic: the next tick sends again.
}

void GossipNode::persist() {
  env_.storage().append(kFile, std::to_string(counter_));
  highest_persisted_ = counter_;
}

void GossipNode::check_invariants() const { KSIM_ASSERT(highest_persisted_ == counter_); }

}  // namespace ksim::demo
