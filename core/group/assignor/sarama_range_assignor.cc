#include "core/group/assignor/sarama_range_assignor.h"

#include "core/group/assignor/range_assignor.h"

namespace ksim::group {

AssignmentResult SaramaRangeAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  for (const auto& [topic, count] : group.partitions_per_topic) {
    std::vector<std::string> subscribers;  // member-id order: the map's order
    for (const auto& [member_id, member] : group.members)
      if (member.subscribes(topic)) subscribers.push_back(member_id);
    assign_ranges(topic, count, subscribers, result.assignment);
  }
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
