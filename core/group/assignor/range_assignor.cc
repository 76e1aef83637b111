#include "core/group/assignor/range_assignor.h"

#include <algorithm>

namespace ksim::group {

void assign_ranges(const std::string& topic, int32_t partition_count, const std::vector<std::string>& ordered_members,
                   GroupAssignment& assignment) {
  if (ordered_members.empty()) return;
  const int32_t members = static_cast<int32_t>(ordered_members.size());
  const int32_t per_member = partition_count / members;
  const int32_t with_extra = partition_count % members;
  for (int32_t i = 0; i < members; ++i) {
    const int32_t start = i * per_member + std::min(i, with_extra);
    const int32_t length = per_member + (i < with_extra ? 1 : 0);
    auto& list = assignment[ordered_members[static_cast<size_t>(i)]];
    for (int32_t p = start; p < start + length; ++p) list.push_back(TopicPartition{topic, PartitionId(p)});
  }
}

AssignmentResult RangeAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  const std::vector<std::string> order = java_member_order(group);
  for (const auto& [topic, count] : group.partitions_per_topic) {
    std::vector<std::string> subscribers;
    for (const std::string& member_id : order)
      if (group.members.at(member_id).subscribes(topic)) subscribers.push_back(member_id);
    assign_ranges(topic, count, subscribers, result.assignment);
  }
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
