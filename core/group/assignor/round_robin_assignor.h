#pragma once
// Java's RoundRobinAssignor ("roundrobin", EAGER).
//
//   1. Lay out all partitions of all subscribed topics, sorted by topic name and
//      then partition number (a TreeSet of topics, partitions 0..P-1 each).
//   2. Order the members as Java's MemberInfo does (group.instance.id first, then
//      member id; see java_member_order) and walk them in a circle.
//   3. For each partition, skip members not subscribed to its topic, give the
//      partition to the member under the cursor, and move the cursor one on.
// The cursor does not restart per topic, which is what balances the counts when
// all subscriptions are equal (counts then differ by at most one). With unequal
// subscriptions it can be badly unbalanced: the Javadoc example (t0:1, t1:2,
// t2:3 partitions; C0 subscribes t0; C1 t0,t1; C2 t0,t1,t2) gives
// C0=[t0-0], C1=[t1-0], C2=[t1-1, t2-0, t2-1, t2-2].
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class RoundRobinAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "roundrobin"; }
  std::string_view protocol_name() const override { return "roundrobin"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

// Deals `partitions`, in the given order, to `members` (in the given order) with
// one cursor that skips members not subscribed to the partition's topic. Shared
// with sarama's current BalanceStrategyRoundRobin, which differs only in the two
// orders. Every partition's topic must have a subscriber among `members`.
void deal_round_robin(const NormalizedGroup& group, const std::vector<TopicPartition>& partitions,
                      const std::vector<std::string>& members, GroupAssignment& assignment);

}  // namespace ksim::group
