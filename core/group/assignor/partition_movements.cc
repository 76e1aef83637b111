#include "core/group/assignor/partition_movements.h"

#include "core/base/assert.h"

namespace ksim::group {

void PartitionMovements::add(const TopicPartition& partition, const Pair& pair) {
  moves_[partition] = pair;
  by_topic_[partition.topic][pair].insert(partition);
}

PartitionMovements::Pair PartitionMovements::remove(const TopicPartition& partition) {
  auto it = moves_.find(partition);
  KSIM_ASSERT(it != moves_.end());
  const Pair pair = it->second;
  moves_.erase(it);
  auto& topic_moves = by_topic_.at(partition.topic);
  auto& set = topic_moves.at(pair);
  set.erase(partition);
  if (set.empty()) topic_moves.erase(pair);
  if (topic_moves.empty()) by_topic_.erase(partition.topic);
  return pair;
}

void PartitionMovements::move(const TopicPartition& partition, const std::string& old_owner,
                              const std::string& new_owner) {
  if (moves_.count(partition)) {
    const Pair existing = remove(partition);
    KSIM_ASSERT_MSG(existing.second == old_owner, to_string(partition) << " is recorded at " << existing.second
                                                                       << " but moves from " << old_owner);
    // Moving back to where it started: nothing left to remember.
    if (existing.first != new_owner) add(partition, Pair{existing.first, new_owner});
  } else {
    add(partition, Pair{old_owner, new_owner});
  }
}

TopicPartition PartitionMovements::partition_to_move(const TopicPartition& partition, std::string old_owner,
                                                     const std::string& new_owner) const {
  auto topic_it = by_topic_.find(partition.topic);
  if (topic_it == by_topic_.end()) return partition;
  if (auto it = moves_.find(partition); it != moves_.end()) {
    KSIM_ASSERT(it->second.second == old_owner);
    old_owner = it->second.first;
  }
  auto reverse = topic_it->second.find(Pair{new_owner, old_owner});
  if (reverse == topic_it->second.end()) return partition;
  return *reverse->second.begin();
}

}  // namespace ksim::group
