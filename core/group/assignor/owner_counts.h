#pragma once
// TopOwners: for each topic, the two largest partition counts among the members
// that own some of its partitions. Both sticky ports ask "could member m take a
// partition of topic T from an owner with more partitions than k?", which Java
// and sarama answer by scanning every partition; the answer is whether the
// largest count among T's owners other than m exceeds k, and that is `first`
// unless m itself is the owner with the largest count, in which case `second`.
#include <map>
#include <set>
#include <string>

#include "core/group/assignor/assignor.h"

namespace ksim::group {

struct TopOwners {
  size_t first = 0;         // the largest count
  std::string first_owner;  // whose it is
  size_t second = 0;        // the largest count of any other owner

  void add(const std::string& owner, size_t count) {
    if (count > first) {
      second = first;
      first = count;
      first_owner = owner;
    } else if (count > second) {
      second = count;
    }
  }
  size_t largest_other_than(const std::string& member) const { return first_owner == member ? second : first; }
};

// Topic -> TopOwners over the members of `assignment`.
inline std::map<std::string, TopOwners> top_owner_counts(const GroupAssignment& assignment) {
  std::map<std::string, TopOwners> top;
  for (const auto& [member_id, partitions] : assignment) {
    std::set<std::string> topics;
    for (const TopicPartition& tp : partitions) topics.insert(tp.topic);
    for (const std::string& topic : topics) top[topic].add(member_id, partitions.size());
  }
  return top;
}

}  // namespace ksim::group
