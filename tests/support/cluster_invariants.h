#pragma once
// Cluster-wide invariants a test registers with Simulation::add_invariant, on
// top of what each node asserts about itself after every event:
//   with leader-epoch truncation and no unclean election, every live replica's
//   log below its HW is a prefix of the current leader's log.
#include <string>

#include "core/base/assert.h"
#include "core/broker/broker_node.h"
#include "sim/cluster/cluster.h"

namespace ksim::test {

inline void check_committed_prefix(Cluster& cluster, const TopicPartition& tp) {
  // The current leader: the newest leader epoch any live replica knows of, if
  // its leader is alive and has taken over. A deposed leader that has not heard
  // of its successor yet (a zombie) is not the current leader.
  LeaderEpoch newest{-1};
  for (int32_t b = 1; b <= cluster.spec().brokers; ++b) {
    BrokerNode* node = cluster.broker(b);
    const Partition* p = node ? node->partition(tp) : nullptr;
    if (p && (p->is_leader() || p->is_follower()) && p->leader_epoch() > newest) newest = p->leader_epoch();
  }
  const Partition* leader = nullptr;
  for (int32_t b = 1; b <= cluster.spec().brokers; ++b) {
    BrokerNode* node = cluster.broker(b);
    const Partition* p = node ? node->partition(tp) : nullptr;
    if (p && p->is_leader() && p->leader_epoch() == newest) leader = p;
  }
  if (!leader) return;
  for (int32_t b = 1; b <= cluster.spec().brokers; ++b) {
    BrokerNode* node = cluster.broker(b);
    const Partition* p = node ? node->partition(tp) : nullptr;
    if (!p || p == leader) continue;
    const Offset hw = p->log().high_watermark();
    for (Offset o = p->log().log_start_offset(); o < hw; ++o) {
      const RecordBatch* mine = p->log().batch_at(o);
      const RecordBatch* theirs = leader->log().batch_at(o);
      KSIM_ASSERT_MSG(mine && theirs, tp.str() << ": broker " << b << " has offset " << o.value
                                               << " below its HW " << hw.value << " but the leader does not");
      KSIM_ASSERT_MSG(mine->records[static_cast<size_t>(o - mine->base_offset)].id ==
                          theirs->records[static_cast<size_t>(o - theirs->base_offset)].id,
                      tp.str() << ": broker " << b << " disagrees with the leader at offset " << o.value
                               << " below its HW " << hw.value);
    }
  }
}

}  // namespace ksim::test
