#include <cstdlib>
#include "core/group/assignor/assignor.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim::group {

std::string to_string(const TopicPartition& tp) { return tp.topic + "-" + std::to_string(tp.partition.value); }

std::string_view to_string(RebalanceProtocol protocol) {
  switch (protocol) {
    case RebalanceProtocol::kEager:
      return "EAGER";
    case RebalanceProtocol::kCooperative:
      return "COOPERATIVE";
  }
  return "UNKNOWN";
}

std::vector<TopicPartition> NormalizedGroup::all_partitions_sorted() const {
  std::vector<TopicPartition> all;
  for (const auto& [topic, count] : partitions_per_topic)
    for (int32_t p = 0; p < count; ++p) all.push_back(TopicPartition{topic, PartitionId(p)});
  return all;
}

GroupAssignment NormalizedGroup::empty_assignment() const {
  GroupAssignment assignment;
  for (const auto& [member_id, member] : members) assignment[member_id];
  return assignment;
}

NormalizedGroup normalize(const GroupSubscription& group) {
  NormalizedGroup out;
  out.metadata = group.partitions_per_topic;
  for (const auto& [topic, count] : group.partitions_per_topic)
    KSIM_ASSERT_MSG(count >= 0, "topic " << topic << " has a negative partition count " << count);

  for (const MemberSubscription& m : group.members) {
    KSIM_ASSERT_MSG(!out.members.count(m.member_id), "duplicate member id " << m.member_id);
    NormalizedMember& member = out.members[m.member_id];
    out.input_order.push_back(m.member_id);
    member.group_instance_id = m.group_instance_id;
    member.generation = m.generation;
    member.topics.insert(m.topics.begin(), m.topics.end());
    std::set<TopicPartition> seen;
    for (const TopicPartition& tp : m.owned) {
      auto it = group.partitions_per_topic.find(tp.topic);
      const bool exists = it != group.partitions_per_topic.end() && tp.partition.value >= 0 &&
                          tp.partition.value < it->second;
      if (exists && seen.insert(tp).second) member.owned.push_back(tp);
    }
    for (const std::string& topic : m.topics) {
      auto it = group.partitions_per_topic.find(topic);
      if (it != group.partitions_per_topic.end() && it->second > 0) out.partitions_per_topic[topic] = it->second;
    }
  }
  return out;
}

void sort_assignment(GroupAssignment& assignment) {
  for (auto& [member, partitions] : assignment) std::sort(partitions.begin(), partitions.end());
}

std::vector<std::string> java_member_order(const NormalizedGroup& group) {
  // Static members, keyed by group.instance.id, then dynamic ones by member id.
  // Instance ids are unique within a group (the coordinator fences a duplicate),
  // so the order is total; should two ever collide, the member id breaks the tie
  // (Java's sort is stable over HashMap order, i.e. unspecified).
  std::vector<std::pair<std::string, std::string>> statics;  // (instance id, member id)
  std::vector<std::string> dynamics;
  for (const auto& [member_id, member] : group.members) {
    if (member.group_instance_id) statics.emplace_back(*member.group_instance_id, member_id);
    else dynamics.push_back(member_id);
  }
  std::sort(statics.begin(), statics.end());
  std::vector<std::string> order;
  for (auto& [instance, member_id] : statics) order.push_back(member_id);
  for (auto& member_id : dynamics) order.push_back(member_id);  // already sorted (map order)
  return order;
}

int64_t balance_score(const GroupAssignment& assignment) {
  std::vector<int64_t> sizes;
  for (const auto& [member_id, partitions] : assignment) sizes.push_back(static_cast<int64_t>(partitions.size()));
  int64_t score = 0;
  for (size_t i = 0; i < sizes.size(); ++i)
    for (size_t j = i + 1; j < sizes.size(); ++j) score += std::llabs(sizes[i] - sizes[j]);
  return score;
}

}  // namespace ksim::group
