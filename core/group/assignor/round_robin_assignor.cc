#include "core/group/assignor/round_robin_assignor.h"

#include "core/base/assert.h"

namespace ksim::group {

void deal_round_robin(const NormalizedGroup& group, const std::vector<TopicPartition>& partitions,
                      const std::vector<std::string>& members, GroupAssignment& assignment) {
  if (members.empty()) return;
  size_t cursor = 0;
  for (const TopicPartition& tp : partitions) {
    size_t skipped = 0;
    while (!group.members.at(members[cursor]).subscribes(tp.topic)) {
      cursor = (cursor + 1) % members.size();
      KSIM_ASSERT_MSG(++skipped <= members.size(), "no member subscribes to " << to_string(tp));
    }
    assignment[members[cursor]].push_back(tp);
    cursor = (cursor + 1) % members.size();
  }
}

AssignmentResult RoundRobinAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  deal_round_robin(group, group.all_partitions_sorted(), java_member_order(group), result.assignment);
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
