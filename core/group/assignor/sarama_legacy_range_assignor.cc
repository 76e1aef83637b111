#include "core/group/assignor/sarama_legacy_range_assignor.h"

#include <cmath>

#include "core/group/assignor/sarama_legacy_member_order.h"

namespace ksim::group {

AssignmentResult SaramaLegacyRangeAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  for (const auto& [topic, count] : group.partitions_per_topic) {
    std::vector<std::string> subscribers;
    for (const auto& [member_id, member] : group.members)
      if (member.subscribes(topic)) subscribers.push_back(member_id);
    if (subscribers.empty()) continue;
    const std::vector<std::string> order = sarama_legacy_member_order(topic, subscribers);
    const double step = static_cast<double>(count) / static_cast<double>(order.size());
    for (size_t i = 0; i < order.size(); ++i) {
      const auto first = static_cast<int32_t>(std::floor(static_cast<double>(i) * step + 0.5));
      const auto last = static_cast<int32_t>(std::floor(static_cast<double>(i + 1) * step + 0.5));
      for (int32_t p = first; p < last; ++p) result.assignment[order[i]].push_back(TopicPartition{topic, PartitionId(p)});
    }
  }
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
