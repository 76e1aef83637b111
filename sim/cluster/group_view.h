#pragma once
// GroupView: one consumer group right now, as its coordinator holds it and as
// the group's consumers see themselves. The `generation` and `group_state`
// expectations and explore's liveness check (explore/liveness.h) read it,
// so they agree on who "the coordinator" is.
//
// Definitions:
//   coordinator  the running broker leading the group's __consumer_offsets
//                partition (offsets_partition_for), as FindCoordinator answers;
//                -1 when none leads it;
//   loaded       that broker has loaded the partition (before, it answers
//                COORDINATOR_LOAD_IN_PROGRESS and holds no groups);
//   consumers    the given consumer clients that are up: running (a paused
//                process counts: it is there, only stopped), and neither
//                closed nor failed; `member` says whether the coordinator's
//                group has the consumer's own member id.
//
// It reads the processes, as PartitionView does; taking a view has no effect
// on the run.
#include <cstdint>
#include <string>
#include <vector>

namespace ksim {

class Cluster;

struct GroupView {
  std::string group;
  int32_t coordinator = -1;
  bool loaded = false;
  bool exists = false;      // the loaded coordinator knows the group
  std::string state;        // group_state_name(): "Stable", "PreparingRebalance", ...; "" unless exists
  int32_t generation = -1;
  struct Consumer {
    std::string id;
    bool paused = false;
    bool member = false;
  };
  std::vector<Consumer> consumers;

  const Consumer* consumer(const std::string& id) const;
  // Why the group is not Stable with every consumer that is up as a member;
  // "" when it is. E.g. "PreparingRebalance", "Stable without c2 (paused)".
  std::string unsettled() const;
  // "no coordinator (__consumer_offsets-3 has no leader)", "Stable, members c1, c2".
  std::string str() const;
};

// `consumer_ids`: the names of the consumer clients of the group.
GroupView view_group(Cluster& cluster, const std::string& group, const std::vector<std::string>& consumer_ids);

}  // namespace ksim
