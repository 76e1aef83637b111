#include "core/group/assignor/sarama_sticky_assignor.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "core/base/assert.h"
#include "core/group/assignor/owner_counts.h"
#include "core/group/assignor/partition_movements.h"

namespace ksim::group {
namespace {

constexpr int32_t kSaramaDefaultGeneration = -1;  // sarama's defaultGeneration

class SaramaStickyPlan {
 public:
  explicit SaramaStickyPlan(const NormalizedGroup& group) : group_(group) {}

  GroupAssignment plan() {
    prepopulate_current_assignments();
    const bool fresh = current_.empty();

    for (const auto& [topic, count] : group_.partitions_per_topic)
      for (int32_t p = 0; p < count; ++p) partition_members_[TopicPartition{topic, PartitionId(p)}];
    for (const auto& [member_id, member] : group_.members) {
      auto& potential = member_partitions_[member_id];
      auto& potential_topics = potential_topics_[member_id];
      for (const std::string& topic : member.topics) {
        auto it = group_.partitions_per_topic.find(topic);
        if (it == group_.partitions_per_topic.end()) continue;
        potential_topics.insert(topic);
        for (int32_t p = 0; p < it->second; ++p) {
          const TopicPartition tp{topic, PartitionId(p)};
          potential.push_back(tp);
          partition_members_[tp].push_back(member_id);
        }
      }
      current_[member_id];
    }

    // Keep claims of partitions that exist and that the claimant still subscribes
    // to; the rest, and partitions nobody claimed, are unassigned.
    std::set<TopicPartition> unvisited;
    for (const auto& [tp, members] : partition_members_) unvisited.insert(tp);
    std::vector<TopicPartition> unassigned;
    for (auto& [member_id, partitions] : current_) {
      std::vector<TopicPartition> keep;
      for (const TopicPartition& tp : partitions) {
        if (!partition_members_.count(tp)) continue;
        unvisited.erase(tp);
        owner_[tp] = member_id;
        if (!group_.members.at(member_id).subscribes(tp.topic)) {
          unassigned.push_back(tp);
          continue;
        }
        keep.push_back(tp);
      }
      partitions = std::move(keep);
    }
    unassigned.insert(unassigned.end(), unvisited.begin(), unvisited.end());

    std::vector<TopicPartition> sorted = sort_partitions(fresh);
    balance(sorted, unassigned);
    return current_;
  }

 private:
  struct PreviousOwner {
    std::string member_id;
    int32_t generation;
  };

  // prepopulateCurrentAssignments: per partition, the claimant of the newest
  // generation owns it now and the claimant of the next newest owned it before.
  void prepopulate_current_assignments() {
    std::map<TopicPartition, std::map<int32_t, std::string>> claimants;  // generation -> member
    for (const auto& [member_id, member] : group_.members) {
      const int32_t generation = member.generation ? member.generation->value : kSaramaDefaultGeneration;
      std::vector<TopicPartition> claimed = member.owned;
      std::sort(claimed.begin(), claimed.end());
      for (const TopicPartition& tp : claimed) {
        auto it = claimants.find(tp);
        if (it == claimants.end()) {
          claimants[tp][generation] = member_id;
        } else if (member.generation) {
          // The same partition twice in one generation: sarama keeps the first.
          it->second.emplace(generation, member_id);
        } else {
          it->second[kSaramaDefaultGeneration] = member_id;  // v0 user data overwrites
        }
      }
    }
    for (const auto& [tp, by_generation] : claimants) {
      auto newest = by_generation.rbegin();
      current_[newest->second].push_back(tp);
      if (by_generation.size() > 1) {
        auto second = std::next(newest);
        previous_[tp] = PreviousOwner{second->second, second->first};
      }
    }
  }

  // areSubscriptionsIdentical, literally: the multiset comparisons start from the
  // first non-empty entry, so members with no partitions that come before the
  // first member with some are not compared (in Go, whether they come first is
  // up to map order; in ksim, member-id order).
  bool subscriptions_identical() const {
    std::map<std::string, int> reference_members;
    for (const auto& [tp, members] : partition_members_) {
      if (reference_members.empty()) {
        for (const std::string& m : members) ++reference_members[m];
        continue;
      }
      if (reference_members.size() != members.size()) return false;
      std::map<std::string, int> these;
      for (const std::string& m : members) ++these[m];
      for (const auto& [m, n] : reference_members)
        if (these[m] != n) return false;
    }
    std::map<TopicPartition, int> reference_partitions;
    for (const auto& [member_id, partitions] : member_partitions_) {
      if (reference_partitions.empty()) {
        for (const TopicPartition& tp : partitions) ++reference_partitions[tp];
        continue;
      }
      if (reference_partitions.size() != partitions.size()) return false;
      std::map<TopicPartition, int> these;
      for (const TopicPartition& tp : partitions) ++these[tp];
      for (const auto& [tp, n] : reference_partitions)
        if (these[tp] != n) return false;
    }
    return true;
  }

  // sortPartitions: the order in which partitions are considered for moving.
  std::vector<TopicPartition> sort_partitions(bool fresh) const {
    std::vector<TopicPartition> sorted;
    if (!fresh && subscriptions_identical()) {
      // Round robin over the members, always from the one with the most
      // partitions left (ties: the greater member id), taking its first
      // partition that had a different owner in an older generation, else its
      // first partition.
      GroupAssignment left = current_;
      std::set<TopicPartition> listed;
      for (;;) {
        const std::string* top = nullptr;
        for (const auto& [member_id, partitions] : left)
          if (!top || partitions.size() >= left.at(*top).size()) top = &member_id;  // >=: the greater id wins ties
        if (!top || left.at(*top).empty()) break;
        std::vector<TopicPartition>& partitions = left.at(*top);
        size_t index = 0;
        for (size_t i = 0; i < partitions.size(); ++i) {
          if (previous_.count(partitions[i])) {
            index = i;
            break;
          }
        }
        sorted.push_back(partitions[index]);
        listed.insert(partitions[index]);
        partitions.erase(partitions.begin() + static_cast<std::ptrdiff_t>(index));
      }
      for (const auto& [tp, members] : partition_members_)
        if (!listed.count(tp)) sorted.push_back(tp);
    } else {
      // sortPartitionsByPotentialConsumerAssignments.
      for (const auto& [tp, members] : partition_members_) sorted.push_back(tp);
      std::stable_sort(sorted.begin(), sorted.end(), [&](const TopicPartition& a, const TopicPartition& b) {
        return partition_members_.at(a).size() < partition_members_.at(b).size();
      });
    }
    return sorted;
  }

  size_t count(const std::string& member_id) const {
    auto it = current_.find(member_id);
    return it == current_.end() ? 0 : it->second.size();  // Go: len of a missing map entry is 0
  }

  bool can_take(const std::string& member_id, const TopicPartition& tp) const {
    return potential_topics_.at(member_id).count(tp.topic) != 0;
  }

  // The first member of sortMemberIDsByPartitionAssignments (fewest partitions,
  // then member id) that can take `tp`.
  std::optional<std::string> least_loaded_taker(const TopicPartition& tp) const {
    std::optional<std::string> best;
    for (const auto& [member_id, partitions] : current_) {
      if (!can_take(member_id, tp)) continue;
      if (!best || partitions.size() < count(*best)) best = member_id;
    }
    return best;
  }

  size_t potential_count(const std::string& member_id) const { return member_partitions_.at(member_id).size(); }

  bool member_can_participate(const std::string& member_id) const {
    const auto& partitions = current_.at(member_id);
    if (partitions.size() < member_partitions_.at(member_id).size()) return true;
    for (const TopicPartition& tp : partitions)
      if (partition_members_.at(tp).size() >= 2) return true;
    return false;
  }

  // isBalanced with sarama's condition (a member could take a partition from
  // any owner with more, not 2 more), answered per topic (owner_counts.h).
  bool is_balanced() const {
    if (current_.empty()) return true;
    size_t min = SIZE_MAX, max = 0;
    for (const auto& [member_id, partitions] : current_) {
      min = std::min(min, partitions.size());
      max = std::max(max, partitions.size());
    }
    if (min + 1 >= max) return true;
    const std::map<std::string, TopOwners> top = top_owner_counts(current_);
    for (const auto& [member_id, partitions] : current_) {
      const size_t mine = partitions.size();
      if (mine == potential_count(member_id)) continue;
      for (const std::string& topic : potential_topics_.at(member_id)) {
        auto it = top.find(topic);
        // sarama: "consumerPartitionCount < otherConsumerPartitionCount" (Java: +1 <).
        if (it != top.end() && it->second.largest_other_than(member_id) > mine) return false;
      }
    }
    return true;
  }

  void give(const TopicPartition& tp, const std::string& member_id) {
    current_.at(member_id).push_back(tp);
    owner_[tp] = member_id;
  }

  void process_move(const TopicPartition& tp, const std::string& new_owner) {
    const std::string old_owner = owner_.at(tp);
    movements_.move(tp, old_owner, new_owner);
    auto& from = current_.at(old_owner);
    from.erase(std::find(from.begin(), from.end(), tp));
    give(tp, new_owner);
  }

  void reassign(const TopicPartition& tp, const std::string& new_owner) {
    process_move(movements_.partition_to_move(tp, owner_.at(tp), new_owner), new_owner);
  }

  bool perform_reassignments(const std::vector<TopicPartition>& partitions) {
    bool performed = false;
    for (;;) {
      bool modified = false;
      for (const TopicPartition& tp : partitions) {
        if (is_balanced()) break;
        KSIM_ASSERT(owner_.count(tp));
        const std::string owner = owner_.at(tp);
        if (auto previous = previous_.find(tp); previous != previous_.end()) {
          const std::string& prev = previous->second.member_id;
          if (current_.count(prev) && can_take(prev, tp) && count(owner) > count(prev) + 1) {
            reassign(tp, prev);
            performed = modified = true;
            continue;
          }
        }
        for (const std::string& other : partition_members_.at(tp)) {
          KSIM_ASSERT(current_.count(other));  // a member outside the reassignment holds nothing movable
          if (count(owner) > count(other) + 1) {
            auto target = least_loaded_taker(tp);
            KSIM_ASSERT(target.has_value());
            reassign(tp, *target);
            performed = modified = true;
            break;
          }
        }
      }
      if (!modified) return performed;
    }
  }

  void balance(std::vector<TopicPartition> sorted, const std::vector<TopicPartition>& unassigned) {
    // sarama: the member with the fewest partitions has none.
    bool initializing = current_.empty();
    if (!initializing) {
      size_t min = SIZE_MAX;
      for (const auto& [member_id, partitions] : current_) min = std::min(min, partitions.size());
      initializing = min == 0;
    }

    for (const TopicPartition& tp : unassigned) {
      if (partition_members_.at(tp).empty()) continue;
      auto target = least_loaded_taker(tp);
      KSIM_ASSERT(target.has_value());
      give(tp, *target);
    }

    std::erase_if(sorted, [&](const TopicPartition& tp) { return partition_members_.at(tp).size() < 2; });
    GroupAssignment fixed;
    for (const auto& [member_id, potential] : member_partitions_) {
      if (!member_can_participate(member_id)) {
        fixed[member_id] = std::move(current_.at(member_id));
        current_.erase(member_id);
      }
    }

    const GroupAssignment pre_balance = current_;
    const std::map<TopicPartition, std::string> pre_balance_owner = owner_;
    const bool performed = perform_reassignments(sorted);
    if (!initializing && performed && balance_score(current_) >= balance_score(pre_balance)) {
      current_ = pre_balance;
      owner_ = pre_balance_owner;
    }
    for (auto& [member_id, partitions] : fixed) current_[member_id] = std::move(partitions);
  }

  const NormalizedGroup& group_;
  GroupAssignment current_;                                                 // currentAssignment
  std::map<TopicPartition, PreviousOwner> previous_;                        // prevAssignment
  std::map<TopicPartition, std::vector<std::string>> partition_members_;  // partition2AllPotentialConsumers
  std::map<std::string, std::vector<TopicPartition>> member_partitions_;  // consumer2AllPotentialPartitions
  std::map<std::string, std::set<std::string>> potential_topics_;         // the topics of those partitions
  std::map<TopicPartition, std::string> owner_;                             // currentPartitionConsumers
  PartitionMovements movements_;
};

}  // namespace

AssignmentResult SaramaStickyAssignor::assign(const GroupSubscription& input) const {
  const NormalizedGroup group = normalize(input);
  AssignmentResult result;
  result.assignment = group.empty_assignment();
  if (group.members.empty()) return result;
  for (auto& [member_id, partitions] : SaramaStickyPlan(group).plan()) result.assignment[member_id] = std::move(partitions);
  sort_assignment(result.assignment);
  return result;
}

}  // namespace ksim::group
