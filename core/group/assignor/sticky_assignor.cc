#include "core/group/assignor/sticky_assignor.h"

#include "core/group/assignor/sticky_assignment.h"

namespace ksim::group {

AssignmentResult StickyAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  StickyComputation sticky = compute_sticky_assignment(group);
  for (auto& [member_id, partitions] : sticky.assignment) result.assignment[member_id] = std::move(partitions);
  return result;
}

}  // namespace ksim::group
