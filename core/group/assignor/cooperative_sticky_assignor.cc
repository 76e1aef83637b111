#include "core/group/assignor/cooperative_sticky_assignor.h"

#include <algorithm>
#include <set>

#include "core/group/assignor/sticky_assignment.h"

namespace ksim::group {
namespace {

// computePartitionsTransferringOwnership: partitions some member gains that some
// member's ownedPartitions loses.
std::map<TopicPartition, std::string> transferring_from_ownership(const NormalizedGroup& group,
                                                                  const GroupAssignment& target) {
  std::map<TopicPartition, std::string> added;
  std::set<TopicPartition> revoked;
  for (const auto& [member_id, assigned] : target) {
    const std::vector<TopicPartition>& owned = group.members.at(member_id).owned;
    const std::set<TopicPartition> owned_set(owned.begin(), owned.end());
    const std::set<TopicPartition> assigned_set(assigned.begin(), assigned.end());
    for (const TopicPartition& tp : assigned)
      if (!owned_set.count(tp)) added[tp] = member_id;
    for (const TopicPartition& tp : owned)
      if (!assigned_set.count(tp)) revoked.insert(tp);
  }
  std::erase_if(added, [&](const auto& entry) { return !revoked.count(entry.first); });
  return added;
}

}  // namespace

AssignmentResult CooperativeStickyAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  StickyComputation sticky = compute_sticky_assignment(group);
  result.withheld = sticky.transferring ? *sticky.transferring : transferring_from_ownership(group, sticky.assignment);
  for (auto& [member_id, partitions] : sticky.assignment) {
    std::erase_if(partitions, [&](const TopicPartition& tp) {
      auto it = result.withheld.find(tp);
      return it != result.withheld.end() && it->second == member_id;
    });
    result.assignment[member_id] = std::move(partitions);
  }
  return result;
}

GroupSubscription follow_up_subscription(const GroupSubscription& group, const GroupAssignment& first_round) {
  int32_t newest = 0;
  for (const MemberSubscription& m : group.members)
    if (m.generation) newest = std::max(newest, m.generation->value);
  GroupSubscription next = group;
  for (MemberSubscription& m : next.members) {
    auto it = first_round.find(m.member_id);
    m.owned = it == first_round.end() ? std::vector<TopicPartition>{} : it->second;
    m.generation = GenerationId(newest + 1);
  }
  return next;
}

}  // namespace ksim::group
