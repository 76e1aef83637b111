#pragma once
// PartitionView: what the running brokers say about one partition right now.
// Fault targets ("leader(orders-0)"), a scenario's state expectations and the
// final state table all read it, so the three agree on who "the leader" is.
//
// Definitions (the same as tests/support/replication_fixture.h):
//   leader      the running broker whose replica is leader at the highest
//               leader epoch; a deposed leader that has not heard of its
//               successor yet loses to the successor once it has taken over.
//               -1 when no running broker leads the partition.
//   isr         the leader's committed ISR; with no leader, the ISR of the
//               newest partition state in any running node's metadata (the
//               controller's committed one when the controller is up).
//   replicas    the assignment, in assignment order (preferred leader first),
//               from the same metadata.
//   per broker  each broker's own replica: role, LEO, HW; `running` false for
//               a crashed broker (its log is on its disk, unseen until restart).
//
// It reads the processes, as the test fixtures do; checkers and the viewer
// read the trace instead. Taking a view has no effect on the run.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

class Cluster;

struct ReplicaView {
  int32_t broker = 0;
  bool running = false;
  bool has_replica = false;  // the running broker holds a replica of the partition
  std::string role;          // "leader", "follower" or "none"
  LeaderEpoch leader_epoch{-1};
  Offset leo{0};
  Offset hw{0};
};

struct PartitionView {
  TopicPartition tp;
  int32_t leader = -1;
  LeaderEpoch leader_epoch{-1};
  std::vector<int32_t> isr;       // sorted
  std::vector<int32_t> replicas;  // assignment order
  std::vector<ReplicaView> brokers;  // every broker of the cluster, by id

  const ReplicaView* broker(int32_t id) const;
};

// The broker leading `tp` (see above), -1 if none.
int32_t current_leader(Cluster& cluster, const TopicPartition& tp);
PartitionView view_partition(Cluster& cluster, const TopicPartition& tp);

}  // namespace ksim
