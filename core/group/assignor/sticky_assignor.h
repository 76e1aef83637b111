#pragma once
// Java's StickyAssignor ("sticky", EAGER): the sticky computation of
// sticky_assignment.h, handed out in one rebalance. Under the eager protocol
// every member revokes all its partitions before rejoining and reports what it
// had in its subscription user data (partitions + generation), which is what
// MemberSubscription::owned and ::generation model here.
//
// StickyAssignor Javadoc, example 2: topics t0, t1, t2 with 1, 2, 3 partitions;
// C0 subscribes t0, C1 t0,t1, C2 t0,t1,t2. RoundRobin gives C0=[t0-0],
// C1=[t1-0], C2=[t1-1, t2-0, t2-1, t2-2]; Sticky gives the balanced
// C0=[t0-0], C1=[t1-0, t1-1], C2=[t2-0, t2-1, t2-2]; when C0 leaves, Sticky keeps
// all five other assignments and gives t0-0 to C1.
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class StickyAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "sticky"; }
  std::string_view protocol_name() const override { return "sticky"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

}  // namespace ksim::group
