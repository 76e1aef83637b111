#pragma once
// Java's RangeAssignor ("range", EAGER; the first entry of Kafka's default
// partition.assignment.strategy).
//
// Per topic, independently of every other topic:
//   1. lay out the topic's partitions in numeric order;
//   2. order the members subscribed to it as Java's MemberInfo does: members with
//      a group.instance.id first, ordered by it, then the rest by member id (not
//      plain member-id order, although the Javadoc says "lexicographic order":
//      RangeAssignor.TopicAssignmentState sorts MemberInfo objects);
//   3. give each member floor(P / M) consecutive partitions, and one more to each
//      of the first P % M members.
// Because every topic starts again at the first member, the first members get
// the extra partition of *every* topic: two topics of 3 partitions and members
// C0, C1 give C0=[t0-0, t0-1, t1-0, t1-1], C1=[t0-2, t1-2] (the Javadoc example).
//
// Not modelled: rack-aware assignment (KIP-881), which only applies when
// consumers set client.rack; ksim's members have no rack.
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class RangeAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "range"; }
  std::string_view protocol_name() const override { return "range"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

// The range split itself, shared with sarama's current BalanceStrategyRange:
// member i of `ordered_members` gets the partitions
// [i*q + min(i, r), i*q + min(i, r) + q + (i < r)) with q = P / M, r = P % M.
void assign_ranges(const std::string& topic, int32_t partition_count, const std::vector<std::string>& ordered_members,
                   GroupAssignment& assignment);

}  // namespace ksim::group
