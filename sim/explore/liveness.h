#pragma once
// Liveness after the heal: `ksim explore`'s convergence check.
//
// The explored run heals every link and restarts every process at the end of
// the fault phase, then runs converge_ms more. By then every partition must
// have a leader and every replica of its assignment back in the ISR; records
// acknowledged before must still be readable, which the lost-write check
// judges on the same run. (Every consumer group Stable belongs here too, once
// the scenarios have groups.) A partition that has not converged is a finding
// of its own, "liveness": nothing was lost, but the cluster is stuck.
#include <string>
#include <vector>

#include "sim/cluster/partition_view.h"

namespace ksim::explore {

struct LivenessVerdict {
  bool converged = true;
  std::string detail;                           // "orders-0: no leader; ..." when not converged
  std::vector<const PartitionView*> stuck;      // the partitions that did not converge
};

LivenessVerdict judge_liveness(const std::vector<PartitionView>& partitions);

// Scenario expectations that fail exactly when `view` has not converged: its
// ISR is every replica, and it has a leader (a leader's HW is at least 0).
// What the shrinker writes for a liveness finding.
std::vector<std::string> liveness_expectation_texts(const PartitionView& view);

}  // namespace ksim::explore
