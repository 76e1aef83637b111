#include "core/group/assignor/sticky_assignment.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <set>

#include "core/base/assert.h"
#include "core/group/assignor/java_hash_map_order.h"
#include "core/group/assignor/owner_counts.h"
#include "core/group/assignor/partition_movements.h"

namespace ksim::group {
namespace {

constexpr int32_t kDefaultGeneration = -1;  // AbstractStickyAssignor.DEFAULT_GENERATION

int32_t generation_or_default(const NormalizedMember& m) {
  return m.generation ? m.generation->value : kDefaultGeneration;
}

void erase_value(std::vector<TopicPartition>& list, const TopicPartition& tp) {
  auto it = std::find(list.begin(), list.end(), tp);
  if (it != list.end()) list.erase(it);
}

// ---------------------------------------------------------------------------
// Step 1: who owned what (AbstractStickyAssignor.allSubscriptionsEqual).

struct Claims {
  bool all_subscriptions_equal = true;
  std::map<std::string, std::vector<TopicPartition>> owned;  // consumerToOwnedPartitions
  // The order in which Java iterates consumerToOwnedPartitions: a HashMap
  // filled while iterating the subscriptions HashMap.
  std::vector<std::string> owned_order;
  std::set<TopicPartition> multiply_claimed;                 // partitionsWithMultiplePreviousOwners
  int32_t max_generation = kDefaultGeneration;
};

Claims resolve_claims(const NormalizedGroup& group) {
  Claims claims;
  const std::set<std::string>* first_topics = nullptr;
  std::map<TopicPartition, std::string> claimed_by;  // allPreviousPartitionsToOwner
  // allSubscriptionsEqual walks the subscriptions HashMap, filled in the order
  // the leader received the members.
  const std::vector<std::string> subscriptions_order = java_hash_map_order(group.input_order);
  claims.owned_order = java_hash_map_order(subscriptions_order);
  for (const std::string& member_id : subscriptions_order) {
    const NormalizedMember& member = group.members.at(member_id);
    // Java compares against the first non-empty subscription it meets, so an
    // empty subscription could pass as "equal"; ksim compares all of them.
    if (!first_topics) first_topics = &member.topics;
    else if (member.topics != *first_topics) claims.all_subscriptions_equal = false;

    const int32_t generation = generation_or_default(member);
    claims.max_generation = std::max(claims.max_generation, generation);
    std::vector<TopicPartition>& owned = claims.owned[member_id];
    for (const TopicPartition& tp : member.owned) {
      if (!group.partitions_per_topic.count(tp.topic)) continue;
      auto it = claimed_by.find(tp);
      if (it == claimed_by.end()) {
        owned.push_back(tp);
        claimed_by[tp] = member_id;
        continue;
      }
      const std::string other = it->second;
      const int32_t other_generation = generation_or_default(group.members.at(other));
      if (generation == other_generation) {
        // Both claims are invalid; the partition remembers its last claimant only
        // so that a third claimant compares against this generation.
        claims.multiply_claimed.insert(tp);
        erase_value(claims.owned[other], tp);
        it->second = member_id;
      } else if (generation > other_generation) {
        owned.push_back(tp);
        erase_value(claims.owned[other], tp);
        it->second = member_id;
      }  // else the other member, of a newer generation, keeps it
    }
  }
  return claims;
}

// ---------------------------------------------------------------------------
// Step 2a: identical subscriptions (ConstrainedAssignmentBuilder).

StickyComputation build_constrained(const NormalizedGroup& group, const Claims& claims) {
  const std::vector<TopicPartition> all = group.all_partitions_sorted();
  const int64_t total = static_cast<int64_t>(all.size());
  const int64_t members = static_cast<int64_t>(group.members.size());
  const size_t min_quota = static_cast<size_t>(total / members);
  const size_t max_quota = static_cast<size_t>((total + members - 1) / members);
  const int64_t expected_over_min = total % members;
  int64_t current_over_min = 0;

  StickyComputation out;
  out.assignment = group.empty_assignment();
  out.transferring.emplace();
  std::map<TopicPartition, std::string> maybe_revoked;
  std::vector<std::string> under_min;       // unfilledMembersWithUnderMinQuotaPartitions
  std::deque<std::string> exactly_min;      // unfilledMembersWithExactlyMinQuotaPartitions
  std::set<TopicPartition> assigned;

  // 1. Keep owned partitions up to the quota, visiting members in Java's
  // HashMap order (assignOwnedPartitions): that order decides which of several
  // members owning the max quota keep it.
  for (const std::string& member_id : claims.owned_order) {
    const std::vector<TopicPartition>& claimed = claims.owned.at(member_id);
    std::vector<TopicPartition> owned;
    for (const TopicPartition& tp : claimed)
      if (!claims.multiply_claimed.count(tp)) owned.push_back(tp);
    std::sort(owned.begin(), owned.end(), [](const TopicPartition& a, const TopicPartition& b) {
      return a.partition != b.partition ? a.partition < b.partition : a.topic < b.topic;
    });
    std::vector<TopicPartition>& mine = out.assignment[member_id];
    size_t keep = 0;
    if (owned.size() < min_quota) {
      keep = owned.size();
      under_min.push_back(member_id);
    } else if (owned.size() >= max_quota && current_over_min < expected_over_min) {
      keep = max_quota;
      if (++current_over_min == expected_over_min) exactly_min.clear();
    } else {
      keep = min_quota;
      if (current_over_min < expected_over_min) exactly_min.push_back(member_id);
    }
    for (size_t i = 0; i < owned.size(); ++i) {
      if (i < keep) {
        mine.push_back(owned[i]);
        assigned.insert(owned[i]);
      } else {
        maybe_revoked[owned[i]] = member_id;
      }
    }
  }

  std::vector<TopicPartition> unassigned;
  for (const TopicPartition& tp : all)
    if (!assigned.count(tp)) unassigned.push_back(tp);
  std::sort(under_min.begin(), under_min.end());
  std::sort(exactly_min.begin(), exactly_min.end());

  // 2. Deal the rest round robin (assignRoundRobin). `cursor` plays the part of
  // Java's iterator over the under-min list.
  size_t cursor = 0;
  for (const TopicPartition& tp : unassigned) {
    std::string member_id;
    if (cursor < under_min.size()) {
      member_id = under_min[cursor++];
    } else {
      KSIM_ASSERT_MSG(!under_min.empty() || !exactly_min.empty(),
                      "no member can take " << to_string(tp) << " (Java: IllegalStateException)");
      if (under_min.empty()) {
        member_id = exactly_min.front();
        exactly_min.pop_front();
      } else {
        cursor = 0;
        member_id = under_min[cursor++];
      }
    }
    std::vector<TopicPartition>& mine = out.assignment[member_id];
    mine.push_back(tp);
    auto revoked = maybe_revoked.find(tp);
    if ((revoked != maybe_revoked.end() && revoked->second != member_id) || claims.multiply_claimed.count(tp))
      (*out.transferring)[tp] = member_id;

    if (mine.size() == min_quota) {
      // Only a member taken from the under-min list can reach min here.
      KSIM_ASSERT(cursor > 0 && under_min[cursor - 1] == member_id);
      under_min.erase(under_min.begin() + static_cast<std::ptrdiff_t>(--cursor));
      exactly_min.push_back(member_id);
    } else if (mine.size() == max_quota) {
      ++current_over_min;
    }
  }

  // verifyUnfilledMembers: anyone still under min must be exactly at min, and
  // only when P % M members already have max.
  if (!under_min.empty()) {
    KSIM_ASSERT(current_over_min == expected_over_min);
    for (const std::string& member_id : under_min) KSIM_ASSERT(out.assignment[member_id].size() == min_quota);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Step 2b: unequal subscriptions (GeneralAssignmentBuilder).

class GeneralBuilder {
 public:
  GeneralBuilder(const NormalizedGroup& group, const Claims& claims) : group_(group), claims_(claims) {}

  GroupAssignment build() {
    for (const auto& [topic, count] : group_.partitions_per_topic) topic_members_[topic];
    for (const auto& [member_id, member] : group_.members) {
      auto& topics = member_topics_[member_id];
      for (const std::string& topic : member.topics) {
        if (!group_.partitions_per_topic.count(topic)) continue;
        topics.insert(topic);
        topic_members_[topic].push_back(member_id);
      }
    }
    current_ = claims_.owned;
    for (const auto& [member_id, partitions] : current_)
      for (const TopicPartition& tp : partitions) owner_[tp] = member_id;

    // sortedAllPartitions: topics by how many members can take them, then name.
    std::vector<std::string> topics;
    for (const auto& [topic, members] : topic_members_) topics.push_back(topic);
    std::stable_sort(topics.begin(), topics.end(), [&](const std::string& a, const std::string& b) {
      return topic_members_.at(a).size() < topic_members_.at(b).size();
    });
    for (const std::string& topic : topics)
      for (int32_t p = 0; p < group_.partitions_per_topic.at(topic); ++p)
        sorted_all_.push_back(TopicPartition{topic, PartitionId(p)});

    prepopulate_previous_owners();

    // assignOwnedPartitions: keep claims of topics still subscribed.
    std::set<TopicPartition> assigned;
    for (auto& [member_id, partitions] : current_) {
      const NormalizedMember& member = group_.members.at(member_id);
      for (auto it = partitions.begin(); it != partitions.end();) {
        if (!member.subscribes(it->topic)) {
          it = partitions.erase(it);  // Java leaves the stale owner_ entry; the partition is reassigned below
          revocation_required_ = true;
        } else {
          assigned.insert(*it);
          ++it;
        }
      }
    }
    std::vector<TopicPartition> unassigned;
    for (const TopicPartition& tp : sorted_all_)
      if (!assigned.count(tp)) unassigned.push_back(tp);

    balance(unassigned);
    return current_;
  }

 private:
  struct PreviousOwner {
    std::string member_id;
    int32_t generation;
  };

  // prepopulateCurrentAssignments: for each partition, the member that owned it
  // in the newest generation older than the newest generation in the group.
  void prepopulate_previous_owners() {
    for (const auto& [member_id, member] : group_.members) {
      int32_t generation;
      if (member.generation && member.generation->value < claims_.max_generation) generation = member.generation->value;
      else if (!member.generation && claims_.max_generation > kDefaultGeneration) generation = kDefaultGeneration;
      else continue;
      for (const TopicPartition& tp : member.owned) {
        auto it = previous_.find(tp);
        if (it == previous_.end()) previous_[tp] = PreviousOwner{member_id, generation};
        else if (generation > it->second.generation) it->second = PreviousOwner{member_id, generation};
      }
    }
  }

  size_t count(const std::string& member_id) const { return current_.at(member_id).size(); }

  bool can_take(const std::string& member_id, const std::string& topic) const {
    return member_topics_.at(member_id).count(topic) != 0;
  }

  // sortedCurrentSubscriptions.first() among those that can take `topic`.
  std::optional<std::string> least_loaded_taker(const std::string& topic) const {
    std::optional<std::string> best;
    for (const auto& [member_id, partitions] : current_) {
      if (!can_take(member_id, topic)) continue;
      if (!best || partitions.size() < count(*best)) best = member_id;  // map order breaks ties by id
    }
    return best;
  }

  size_t max_assignment_size(const std::string& member_id) const {
    size_t total = 0;
    for (const std::string& topic : member_topics_.at(member_id))
      total += static_cast<size_t>(group_.partitions_per_topic.at(topic));
    return total;
  }

  bool topic_can_move(const std::string& topic) const { return topic_members_.at(topic).size() >= 2; }

  bool member_can_participate(const std::string& member_id) const {
    const auto& partitions = current_.at(member_id);
    if (partitions.size() < max_assignment_size(member_id)) return true;
    for (const TopicPartition& tp : partitions)
      if (topic_can_move(tp.topic)) return true;
    return false;
  }

  // isBalanced: counts within one, or no member could take a partition of its
  // topics from an owner with at least 2 more. Java loops over every partition
  // a member could own; ksim gets the same answer from the two largest owner
  // counts per topic (the larger one belongs to the member itself at most once).
  bool is_balanced() const {
    size_t min = SIZE_MAX, max = 0;
    for (const auto& [member_id, partitions] : current_) {
      min = std::min(min, partitions.size());
      max = std::max(max, partitions.size());
    }
    if (current_.empty() || min + 1 >= max) return true;
    const std::map<std::string, TopOwners> top = top_owner_counts(current_);
    for (const auto& [member_id, partitions] : current_) {
      const size_t mine = partitions.size();
      if (mine == max_assignment_size(member_id)) continue;
      for (const std::string& topic : member_topics_.at(member_id)) {
        auto it = top.find(topic);
        if (it != top.end() && it->second.largest_other_than(member_id) > mine + 1) return false;
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
    erase_value(current_.at(old_owner), tp);
    give(tp, new_owner);
  }

  void reassign(const TopicPartition& tp, const std::string& new_owner) {
    process_move(movements_.partition_to_move(tp, owner_.at(tp), new_owner), new_owner);
  }

  bool perform_reassignments(const std::vector<TopicPartition>& partitions) {
    bool performed = false;
    bool modified;
    do {
      modified = false;
      for (const TopicPartition& tp : partitions) {
        if (is_balanced()) break;
        const std::string owner = owner_.at(tp);
        auto previous = previous_.find(tp);
        if (previous != previous_.end()) {
          const std::string& prev = previous->second.member_id;
          // The guard (see the header): Java checks neither condition.
          if (current_.count(prev) && can_take(prev, tp.topic) && count(owner) > count(prev) + 1) {
            reassign(tp, prev);
            performed = modified = true;
            continue;
          }
        }
        for (const std::string& other : topic_members_.at(tp.topic)) {
          // A member that cannot take part holds no partition of a movable topic.
          KSIM_ASSERT(current_.count(other));
          if (count(owner) > count(other) + 1) {
            auto target = least_loaded_taker(tp.topic);
            KSIM_ASSERT(target.has_value());
            reassign(tp, *target);
            performed = modified = true;
            break;
          }
        }
      }
    } while (modified);
    return performed;
  }

  void balance(std::vector<TopicPartition> unassigned) {
    bool initializing = true;
    for (const auto& [member_id, partitions] : current_) initializing = initializing && partitions.empty();

    // maybeAssign: each unassigned partition to the least-loaded member that can take it.
    for (const TopicPartition& tp : unassigned) {
      if (topic_members_.at(tp.topic).empty()) continue;
      auto target = least_loaded_taker(tp.topic);
      KSIM_ASSERT(target.has_value());
      give(tp, *target);
    }

    // Narrow down to partitions and members that can actually move.
    auto fixed_partition = [&](const TopicPartition& tp) { return !topic_can_move(tp.topic); };
    std::erase_if(sorted_all_, fixed_partition);
    std::erase_if(unassigned, fixed_partition);
    GroupAssignment fixed;
    for (const auto& [member_id, topics] : member_topics_) {
      if (!member_can_participate(member_id)) {
        fixed[member_id] = std::move(current_.at(member_id));
        current_.erase(member_id);
      }
    }

    const GroupAssignment pre_balance = current_;
    const std::map<TopicPartition, std::string> pre_balance_owner = owner_;
    // If nothing had to be revoked for a subscription change, first try moving
    // only the newly assigned partitions (its result does not count below, as in Java).
    if (!revocation_required_) perform_reassignments(unassigned);
    const bool performed = perform_reassignments(sorted_all_);
    if (!initializing && performed && balance_score(current_) >= balance_score(pre_balance)) {
      current_ = pre_balance;
      owner_ = pre_balance_owner;
    }
    for (auto& [member_id, partitions] : fixed) current_[member_id] = std::move(partitions);
  }

  const NormalizedGroup& group_;
  const Claims& claims_;
  GroupAssignment current_;                                  // currentAssignment
  std::map<std::string, std::set<std::string>> member_topics_;  // consumer2AllPotentialTopics
  std::map<std::string, std::vector<std::string>> topic_members_;  // topic2AllPotentialConsumers
  std::map<TopicPartition, std::string> owner_;              // currentPartitionConsumer
  std::vector<TopicPartition> sorted_all_;                   // sortedAllPartitions
  std::map<TopicPartition, PreviousOwner> previous_;         // prevAssignment
  PartitionMovements movements_;
  bool revocation_required_ = false;
};

}  // namespace

StickyComputation compute_sticky_assignment(const NormalizedGroup& group) {
  StickyComputation out;
  if (group.members.empty()) return out;
  const Claims claims = resolve_claims(group);
  if (claims.all_subscriptions_equal) {
    out = build_constrained(group, claims);
  } else {
    out.assignment = GeneralBuilder(group, claims).build();
  }
  sort_assignment(out.assignment);
  return out;
}

}  // namespace ksim::group
