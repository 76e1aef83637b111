#pragma once
// Small builders so that assignor tests read like the Javadoc examples:
//
//   Group g;
//   g.topic("t0", 3).topic("t1", 3);
//   g.member("C0", {"t0", "t1"}).member("C1", {"t0", "t1"});
//   auto a = run("range", g);
//   CHECK(a.assignment["C0"] == parts({"t0-0", "t0-1", "t1-0", "t1-1"}));
#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/group/assignor/assignor.h"
#include "core/group/assignor/assignor_registry.h"

namespace ksim::group::testing {

inline TopicPartition tp(const std::string& topic, int32_t partition) { return TopicPartition{topic, PartitionId(partition)}; }

// "t0-2" -> {t0, 2}
inline TopicPartition parse_tp(const std::string& text) {
  const size_t dash = text.rfind('-');
  return tp(text.substr(0, dash), std::stoi(text.substr(dash + 1)));
}

// A sorted partition list, as assignors return them.
inline std::vector<TopicPartition> parts(std::initializer_list<const char*> names) {
  std::vector<TopicPartition> out;
  for (const char* n : names) out.push_back(parse_tp(n));
  std::sort(out.begin(), out.end());
  return out;
}

struct Group {
  GroupSubscription subscription;

  Group& topic(const std::string& name, int32_t partitions) {
    subscription.partitions_per_topic[name] = partitions;
    return *this;
  }
  Group& member(const std::string& id, std::vector<std::string> topics, std::vector<TopicPartition> owned = {},
                std::optional<int32_t> generation = std::nullopt, std::optional<std::string> instance = std::nullopt) {
    MemberSubscription m;
    m.member_id = id;
    m.topics = std::move(topics);
    m.owned = std::move(owned);
    if (generation) m.generation = GenerationId(*generation);
    m.group_instance_id = std::move(instance);
    subscription.members.push_back(std::move(m));
    return *this;
  }
  Group& static_member(const std::string& id, const std::string& instance, std::vector<std::string> topics) {
    return member(id, std::move(topics), {}, std::nullopt, instance);
  }
  // Every member now owns what `assignment` gave it, in `generation`; members
  // not in `assignment` keep what they had.
  Group& owning(const GroupAssignment& assignment, int32_t generation) {
    for (MemberSubscription& m : subscription.members) {
      auto it = assignment.find(m.member_id);
      if (it == assignment.end()) continue;
      m.owned = it->second;
      m.generation = GenerationId(generation);
    }
    return *this;
  }
  Group& remove(const std::string& id) {
    std::erase_if(subscription.members, [&](const MemberSubscription& m) { return m.member_id == id; });
    return *this;
  }
};

inline AssignmentResult run(const std::string& strategy, const Group& g) {
  const AssignorLookup lookup = find_assignor(strategy);
  REQUIRE(lookup.assignor != nullptr);
  return lookup.assignor->assign(g.subscription);
}

inline size_t count_moved(const GroupAssignment& before, const GroupAssignment& after) {
  size_t moved = 0;
  for (const auto& [member, partitions] : before) {
    auto it = after.find(member);
    if (it == after.end()) continue;  // a member that left: its partitions had to move
    for (const TopicPartition& p : partitions)
      if (std::find(it->second.begin(), it->second.end(), p) == it->second.end()) ++moved;
  }
  return moved;
}

}  // namespace ksim::group::testing

namespace Catch {
template <>
struct StringMaker<ksim::group::TopicPartition> {
  static std::string convert(const ksim::group::TopicPartition& tp) { return ksim::group::to_string(tp); }
};
}  // namespace Catch
