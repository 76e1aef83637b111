#pragma once
// Java's CooperativeStickyAssignor ("cooperative-sticky", COOPERATIVE, KIP-429;
// the second entry of Kafka's default partition.assignment.strategy).
//
// Under the cooperative protocol members keep consuming their partitions while
// the group rebalances, so a partition must never be handed to a new owner
// while the old one may still be consuming it. One change of ownership
// therefore takes two rebalances:
//
//   rebalance 1 (generation N):
//     1. every member joins with ownedPartitions and its generation;
//     2. the leader computes the sticky target (sticky_assignment.h), exactly as
//        StickyAssignor would;
//     3. every partition that changes owner in that target is taken out of its
//        new owner's assignment (adjustAssignment) and reported in
//        AssignmentResult::withheld;
//     4. the old owner's assignment lacks it too, so the old owner revokes it
//        (onPartitionsRevoked) and, having revoked something, rejoins at once
//        (ConsumerCoordinator.onJoinComplete: "need to revoke partitions and
//        re-join").
//   rebalance 2 (generation N+1):
//     5. the partition is now owned by nobody, so the sticky computation gives it
//        out like any unowned partition, normally to the member it was meant for,
//        and nothing changes owner, so nothing is withheld.
//
//        C0 owns p0 p1 p2 | C1 joins | round 1: C0 [p0 p1]  C1 []   (p2 withheld)
//                                    | round 2: C0 [p0 p1]  C1 [p2]
//
// Partitions that stay with their owner are never revoked, and partitions whose
// owner left the group, or that nobody owned, are handed out in round 1.
//
// Which partitions are "transferring": with all subscriptions equal, those the
// constrained builder dealt to a member other than the one that had to give them
// up, plus those claimed by two members of the same generation; otherwise those
// that some member gained while some member's ownedPartitions lost them
// (computePartitionsTransferringOwnership).
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class CooperativeStickyAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "cooperative-sticky"; }
  std::string_view protocol_name() const override { return "cooperative-sticky"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kCooperative; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

// The input of the follow-up rebalance: the same members and subscriptions, each
// owning what `first_round` gave it, in the generation after the newest one of
// `group` (what each consumer reports when it rejoins after revoking).
GroupSubscription follow_up_subscription(const GroupSubscription& group, const GroupAssignment& first_round);

}  // namespace ksim::group
