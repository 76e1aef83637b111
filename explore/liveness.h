#pragma once
// Liveness after the heal: `ksim explore`'s convergence check.
//
// The explored run heals every link and restarts every process at the end of
// the fault phase, then runs converge_ms more. By then
//   1. every partition must have a leader and every replica of its assignment
//      back in the ISR;
//   2. every consumer group of the scenario must be Stable on its coordinator
//      (sim/cluster/group_view.h), with every consumer of the group that is up
//      among its members: a group still rebalancing, or one that settled
//      without a consumer that is up, has not converged;
//   3. records acknowledged before must still be readable, which the
//      lost-write check judges on the same run.
// A partition or group that has not converged is a finding of its own,
// "liveness": nothing was lost, but the cluster is stuck.
#include <string>
#include <vector>

#include "sim/cluster/group_view.h"
#include "sim/cluster/partition_view.h"

namespace ksim {
namespace scenarios {
class ScenarioRun;
struct Scenario;
}  // namespace scenarios

namespace explore {

// Every group named by a consumer client of `scenario`, in client order, read
// from the processes at the end of `run` (which must have run).
std::vector<GroupView> view_groups(scenarios::ScenarioRun& run, const scenarios::Scenario& scenario);

struct LivenessVerdict {
  bool converged = true;
  std::string detail;                           // "orders-0: no leader; group g1: PreparingRebalance"
  std::vector<const PartitionView*> stuck;      // the partitions that did not converge
  std::vector<const GroupView*> stuck_groups;   // the groups that did not converge
};

LivenessVerdict judge_liveness(const std::vector<PartitionView>& partitions, const std::vector<GroupView>& groups = {});

// Scenario expectations that fail exactly when `view` has not converged: its
// ISR is every replica, and it has a leader (a leader's HW is at least 0).
// What the shrinker writes for a liveness finding.
std::vector<std::string> liveness_expectation_texts(const PartitionView& view);
// For a group: {"group_state": g, "is": "Stable", "members": [the consumers that are up]}.
std::vector<std::string> liveness_expectation_texts(const GroupView& view);

}  // namespace explore
}  // namespace ksim
