#pragma once
// sarama's BalanceStrategySticky (IBM/sarama balance_strategy.go,
// stickyBalanceStrategy), registered as "sarama-sticky". Protocol name
// "sticky", EAGER; previous ownership comes from the StickyAssignorUserData the
// member sends (partitions, and a generation in user data v1).
//
// sarama ported Java's sticky algorithm as it was before Kafka 2.6 and has not
// followed Java's later changes (KAFKA-9987 added the quota-filling path for
// identical subscriptions; KAFKA-12675 and KAFKA-12984 reworked the general
// path), so the two disagree in several ways:
//   1. Identical subscriptions: Java quota-fills (sticky_assignment.h, step 2a);
//      sarama runs its general algorithm, first listing the partitions "round
//      robin from the member with the most partitions" (sortPartitions). Both
//      balance; they may move different partitions.
//   2. Two members claiming one partition in the same generation: Java drops
//      both claims; sarama keeps the first claim it meets and logs the second.
//      A claim without a generation (user data v0) overwrites earlier v0 claims.
//   3. isBalanced: sarama declares imbalance as soon as a member could take a
//      partition from any member with more partitions, Java only from one with
//      at least 2 more; sarama therefore keeps scanning longer.
//   4. "initializing" (which skips the final "undo if not better" check) is true
//      in sarama when *some* member has no partitions, e.g. whenever a new member
//      joins; in Java only when all members have none.
//   5. No first pass over only the unassigned partitions.
//
// sarama iterates Go maps in many places (members, claims, unassigned and
// "unvisited" partitions, PartitionMovements), and Go randomises map order on
// purpose, so sarama itself can return different assignments for the same
// input from one run to the next. ksim replaces each such iteration with
// ascending member-id or (topic, partition) order: a deterministic stand-in,
// not necessarily an order a particular sarama run would take.
//
// Guards (sarama bugs on unusual input, not reproduced): a partition is moved
// back to its previous-generation owner only if that member subscribes to the
// topic and takes part in the reassignment (sarama would give it to a member
// not subscribed, or to a member whose assignment is then overwritten, losing
// the partition).
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class SaramaStickyAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "sarama-sticky"; }
  std::string_view protocol_name() const override { return "sticky"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

}  // namespace ksim::group
