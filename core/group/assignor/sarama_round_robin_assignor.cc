#include "core/group/assignor/sarama_round_robin_assignor.h"

#include <algorithm>

#include "core/group/assignor/round_robin_assignor.h"

namespace ksim::group {

AssignmentResult SaramaRoundRobinAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  // topicAndPartition.comparedValue(): fmt.Sprintf("%s-%d", topic, partition).
  // The strings are distinct for distinct partitions (the number follows the
  // last '-'), so the order is total.
  std::vector<std::pair<std::string, TopicPartition>> keyed;
  for (const TopicPartition& tp : group.all_partitions_sorted()) keyed.emplace_back(to_string(tp), tp);
  std::sort(keyed.begin(), keyed.end());
  std::vector<TopicPartition> partitions;
  for (auto& [key, tp] : keyed) partitions.push_back(tp);
  std::vector<std::string> members;
  for (const auto& [member_id, member] : group.members) members.push_back(member_id);
  deal_round_robin(group, partitions, members, result.assignment);
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
