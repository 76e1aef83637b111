#include "core/group/assignor/sarama_legacy_round_robin_assignor.h"

#include "core/group/assignor/sarama_legacy_member_order.h"

namespace ksim::group {

AssignmentResult SaramaLegacyRoundRobinAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  for (const auto& [topic, count] : group.partitions_per_topic) {
    std::vector<std::string> subscribers;
    for (const auto& [member_id, member] : group.members)
      if (member.subscribes(topic)) subscribers.push_back(member_id);
    if (subscribers.empty()) continue;
    const std::vector<std::string> order = sarama_legacy_member_order(topic, subscribers);
    for (int32_t p = 0; p < count; ++p)
      result.assignment[order[static_cast<size_t>(p) % order.size()]].push_back(TopicPartition{topic, PartitionId(p)});
  }
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
