#include "sim/cluster/partition_view.h"

#include <algorithm>

#include "core/broker/broker_node.h"
#include "core/controller/controller_node.h"
#include "sim/cluster/cluster.h"

namespace ksim {

const ReplicaView* PartitionView::broker(int32_t id) const {
  for (const auto& b : brokers)
    if (b.broker == id) return &b;
  return nullptr;
}

int32_t current_leader(Cluster& cluster, const TopicPartition& tp) {
  int32_t leader = -1;
  LeaderEpoch best{-1};
  for (int32_t b = 1; b <= cluster.spec().brokers; ++b) {
    const BrokerNode* node = cluster.broker(b);
    const Partition* p = node ? node->partition(tp) : nullptr;
    if (p && p->is_leader() && p->leader_epoch() > best) {
      best = p->leader_epoch();
      leader = b;
    }
  }
  return leader;
}

namespace {

// The newest committed state of `tp` any running node knows: the controller's
// when it runs, else the broker image with the highest partition epoch.
const PartitionRecord* newest_metadata(Cluster& cluster, const TopicPartition& tp) {
  if (const ControllerNode* c = cluster.controller())
    if (const PartitionRecord* r = c->image().partition(tp)) return r;
  const PartitionRecord* best = nullptr;
  for (int32_t b = 1; b <= cluster.spec().brokers; ++b) {
    const BrokerNode* node = cluster.broker(b);
    const PartitionRecord* r = node ? node->metadata().partition(tp) : nullptr;
    if (r && (!best || r->partition_epoch > best->partition_epoch)) best = r;
  }
  return best;
}

}  // namespace

PartitionView view_partition(Cluster& cluster, const TopicPartition& tp) {
  PartitionView v;
  v.tp = tp;
  v.leader = current_leader(cluster, tp);
  const PartitionRecord* meta = newest_metadata(cluster, tp);
  if (meta) v.replicas = meta->replicas;
  if (v.leader > 0) {
    const Partition* p = cluster.broker(v.leader)->partition(tp);
    v.leader_epoch = p->leader_epoch();
    v.isr = p->isr();
    if (v.replicas.empty()) v.replicas = p->replicas();
  } else if (meta) {
    v.isr = meta->isr;
  }
  std::sort(v.isr.begin(), v.isr.end());
  for (int32_t b = 1; b <= cluster.spec().brokers; ++b) {
    ReplicaView r;
    r.broker = b;
    const BrokerNode* node = cluster.broker(b);
    r.running = node != nullptr;
    const Partition* p = node ? node->partition(tp) : nullptr;
    if (p) {
      r.has_replica = true;
      r.role = p->is_leader() ? "leader" : p->is_follower() ? "follower" : "none";
      r.leader_epoch = p->leader_epoch();
      r.leo = p->log().log_end_offset();
      r.hw = p->log().high_watermark();
    }
    v.brokers.push_back(r);
  }
  return v;
}

}  // namespace ksim
