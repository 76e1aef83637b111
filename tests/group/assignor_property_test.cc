// Properties every assignor must keep, over random groups: 1-8 members, 1-5
// topics of 1-12 partitions, random subscriptions, random previous ownership
// (including conflicting claims of different generations).
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <map>
#include <set>

#include "core/group/assignor/cooperative_sticky_assignor.h"
#include "core/group/assignor/java_hash_map_order.h"
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {
using namespace testing;

enum class Subscriptions { kIdentical, kRandom };
enum class Ownership {
  kNone,
  kConsistent,  // each partition owned by at most one member, all in one generation
  kMessy,       // random claims, overlapping, random generations (or none)
};

// Builds a random group. Must run inside a property (it draws with operator*).
GroupSubscription random_group(Subscriptions subscriptions, Ownership ownership, bool static_members = true) {
  GroupSubscription g;
  const int topics = *rc::gen::inRange(1, 6);
  std::vector<std::string> topic_names;
  for (int t = 0; t < topics; ++t) {
    topic_names.push_back("t" + std::to_string(t));
    g.partitions_per_topic[topic_names.back()] = *rc::gen::inRange(1, 13);
  }
  const int members = *rc::gen::inRange(1, 9);
  // Member ids drawn from a pool in random order, so creation order, id order
  // and instance-id order all differ.
  std::vector<int> pool(20);
  for (int i = 0; i < 20; ++i) pool[static_cast<size_t>(i)] = i;
  for (int i = 19; i > 0; --i) std::swap(pool[static_cast<size_t>(i)], pool[static_cast<size_t>(*rc::gen::inRange(0, i + 1))]);
  const int shared_mask = *rc::gen::inRange(1, 1 << topics);
  for (int m = 0; m < members; ++m) {
    MemberSubscription member;
    member.member_id = "consumer-" + std::to_string(pool[static_cast<size_t>(m)]);
    if (static_members && *rc::gen::inRange(0, 3) == 0)
      member.group_instance_id = "instance-" + std::to_string(pool[static_cast<size_t>(19 - m)]);
    const int mask = subscriptions == Subscriptions::kIdentical ? shared_mask : *rc::gen::inRange(1, 1 << topics);
    for (int t = 0; t < topics; ++t)
      if (mask & (1 << t)) member.topics.push_back(topic_names[static_cast<size_t>(t)]);
    g.members.push_back(std::move(member));
  }

  if (ownership == Ownership::kConsistent) {
    const int generation = *rc::gen::inRange(1, 10);
    for (const auto& [topic, count] : g.partitions_per_topic) {
      for (int32_t p = 0; p < count; ++p) {
        const int owner = *rc::gen::inRange(-1, members);
        if (owner < 0) continue;
        MemberSubscription& m = g.members[static_cast<size_t>(owner)];
        if (std::find(m.topics.begin(), m.topics.end(), topic) == m.topics.end()) continue;
        m.owned.push_back(tp(topic, p));
      }
    }
    for (MemberSubscription& m : g.members)
      if (!m.owned.empty() || *rc::gen::inRange(0, 2) == 0) m.generation = GenerationId(generation);
  } else if (ownership == Ownership::kMessy) {
    for (MemberSubscription& m : g.members) {
      for (const auto& [topic, count] : g.partitions_per_topic)
        for (int32_t p = 0; p < count; ++p)
          if (*rc::gen::inRange(0, 3) == 0) m.owned.push_back(tp(topic, p));
      const int generation = *rc::gen::inRange(-1, 5);
      if (generation >= 0) m.generation = GenerationId(generation);
    }
  }
  return g;
}

std::set<TopicPartition> subscribed_partitions(const GroupSubscription& g) {
  std::set<TopicPartition> out;
  for (const MemberSubscription& m : g.members)
    for (const std::string& topic : m.topics)
      for (int32_t p = 0; p < g.partitions_per_topic.at(topic); ++p) out.insert(tp(topic, p));
  return out;
}

const MemberSubscription& member_of(const GroupSubscription& g, const std::string& id) {
  for (const MemberSubscription& m : g.members)
    if (m.member_id == id) return m;
  RC_FAIL("no member " + id);
}

bool subscribes(const MemberSubscription& m, const std::string& topic) {
  return std::find(m.topics.begin(), m.topics.end(), topic) != m.topics.end();
}

// The assignment the assignor aims for: for a cooperative one, what it hands
// out now plus what it withholds for the follow-up.
GroupAssignment target_of(const AssignmentResult& r) {
  GroupAssignment target = r.assignment;
  for (const auto& [partition, member] : r.withheld) target[member].push_back(partition);
  sort_assignment(target);
  return target;
}

// Output invariants 1-4 of core/group/assignor/assignor.h.
void check_valid(const Assignor& assignor, const GroupSubscription& g, const AssignmentResult& r) {
  RC_ASSERT(r.assignment.size() == g.members.size());
  std::set<TopicPartition> assigned;
  for (const auto& [member_id, partitions] : r.assignment) {
    const MemberSubscription& m = member_of(g, member_id);
    RC_ASSERT(std::is_sorted(partitions.begin(), partitions.end()));
    for (const TopicPartition& p : partitions) {
      RC_ASSERT(subscribes(m, p.topic));
      RC_ASSERT(assigned.insert(p).second);  // exactly one owner
    }
  }
  std::set<TopicPartition> withheld;
  for (const auto& [p, member_id] : r.withheld) {
    RC_ASSERT(subscribes(member_of(g, member_id), p.topic));
    RC_ASSERT(!assigned.count(p));
    withheld.insert(p);
  }
  if (assignor.protocol() == RebalanceProtocol::kEager) RC_ASSERT(r.withheld.empty());
  std::set<TopicPartition> all = assigned;
  all.insert(withheld.begin(), withheld.end());
  RC_ASSERT(all == subscribed_partitions(g));
}

void check_counts_within_one(const GroupAssignment& a) {
  size_t min = SIZE_MAX, max = 0;
  for (const auto& [member, partitions] : a) {
    min = std::min(min, partitions.size());
    max = std::max(max, partitions.size());
  }
  RC_ASSERT(max <= min + 1);
}

TEST_CASE("every assignor gives each subscribed partition to exactly one subscriber", "[group][assignor][property]") {
  for (const Assignor* assignor : all_assignors()) {
    INFO(assignor->name());
    rc::prop(std::string(assignor->name()) + ": valid over random groups", [assignor] {
      const Subscriptions s = *rc::gen::element(Subscriptions::kIdentical, Subscriptions::kRandom);
      const Ownership o = *rc::gen::element(Ownership::kNone, Ownership::kConsistent, Ownership::kMessy);
      const GroupSubscription g = random_group(s, o);
      check_valid(*assignor, g, assignor->assign(g));
    });
  }
}

TEST_CASE("with identical subscriptions roundrobin and the sticky assignors balance to within one",
          "[group][assignor][property]") {
  for (const char* name : {"roundrobin", "sticky", "cooperative-sticky", "sarama-roundrobin", "sarama-sticky"}) {
    const Assignor* assignor = find_assignor(name).assignor;
    rc::prop(std::string(name) + ": counts differ by at most one", [assignor] {
      const Ownership o = *rc::gen::element(Ownership::kNone, Ownership::kConsistent, Ownership::kMessy);
      const GroupSubscription g = random_group(Subscriptions::kIdentical, o);
      // For cooperative-sticky the balanced assignment is the target; the first
      // round lacks the withheld partitions.
      check_counts_within_one(target_of(assignor->assign(g)));
    });
  }
}

// The fewest partitions any balanced assignment must move, computed from the
// counts alone: with P partitions over M members, q = P / M and r = P % M, a
// member keeps at most q of its own, or q+1 if it is one of the r members
// allowed q+1 (best given to members owning more than q).
size_t minimum_moves(const GroupSubscription& g) {
  int64_t total = 0;  // every member subscribes to the same topics
  for (const std::string& topic : g.members[0].topics) total += g.partitions_per_topic.at(topic);
  const int64_t members = static_cast<int64_t>(g.members.size());
  const int64_t q = total / members, r = total % members;
  int64_t owned = 0, kept = 0, over_q = 0;
  for (const MemberSubscription& m : g.members) {
    const int64_t o = static_cast<int64_t>(m.owned.size());
    owned += o;
    kept += std::min(o, q);
    if (o > q) ++over_q;
  }
  kept += std::min(r, over_q);
  return static_cast<size_t>(owned - kept);
}

size_t moves(const GroupSubscription& g, const GroupAssignment& after) {
  size_t moved = 0;
  for (const MemberSubscription& m : g.members)
    for (const TopicPartition& p : m.owned)
      if (!std::binary_search(after.at(m.member_id).begin(), after.at(m.member_id).end(), p)) ++moved;
  return moved;
}

TEST_CASE("sticky with identical subscriptions moves only the partitions that balance requires",
          "[group][assignor][property][sticky]") {
  for (const char* name : {"sticky", "cooperative-sticky"}) {
    const Assignor* assignor = find_assignor(name).assignor;
    rc::prop(std::string(name) + ": moved partitions == the minimum", [assignor] {
      const GroupSubscription g = random_group(Subscriptions::kIdentical, Ownership::kConsistent);
      const GroupAssignment target = target_of(assignor->assign(g));
      RC_ASSERT(moves(g, target) == minimum_moves(g));
    });
  }
}

// The Java sticky assignors iterate members in java.util.HashMap order
// (java_hash_map_order.h): by bucket, then by the order the leader received
// them. So their result may depend on the relative order of members whose ids
// share a bucket ("consumer-0" and "consumer-15" do, of 16), as Kafka's does.
bool reads_hash_map_order(const Assignor& a) { return a.name() == "sticky" || a.name() == "cooperative-sticky"; }

// Puts the members that share a HashMap bucket (of 16: at most 8 members)
// back into their relative order in `original`, keeping the positions the
// shuffle gave each bucket.
void keep_bucket_order(GroupSubscription& shuffled, const GroupSubscription& original) {
  auto bucket = [](const std::string& id) {
    const uint32_t h = static_cast<uint32_t>(java_string_hash(id));
    return (h ^ (h >> 16)) & 15u;
  };
  std::map<uint32_t, std::vector<MemberSubscription>> in_order;
  for (const MemberSubscription& m : original.members) in_order[bucket(m.member_id)].push_back(m);
  std::map<uint32_t, size_t> next;
  for (MemberSubscription& m : shuffled.members) {
    const uint32_t b = bucket(m.member_id);
    m = in_order[b][next[b]++];
  }
}

TEST_CASE("assignors are deterministic and ignore the order members are listed in", "[group][assignor][property]") {
  for (const Assignor* assignor : all_assignors()) {
    rc::prop(std::string(assignor->name()) + ": same group, any member order, same result", [assignor] {
      const Subscriptions s = *rc::gen::element(Subscriptions::kIdentical, Subscriptions::kRandom);
      const GroupSubscription g = random_group(s, Ownership::kMessy);
      const AssignmentResult first = assignor->assign(g);
      const AssignmentResult again = assignor->assign(g);
      RC_ASSERT(first.assignment == again.assignment);
      RC_ASSERT(first.withheld == again.withheld);

      GroupSubscription shuffled = g;
      for (size_t i = shuffled.members.size(); i > 1; --i)
        std::swap(shuffled.members[i - 1],
                  shuffled.members[static_cast<size_t>(*rc::gen::inRange<size_t>(0, i))]);
      if (reads_hash_map_order(*assignor)) keep_bucket_order(shuffled, g);
      const AssignmentResult reordered = assignor->assign(shuffled);
      RC_ASSERT(first.assignment == reordered.assignment);
      RC_ASSERT(first.withheld == reordered.withheld);
    });
  }
}

TEST_CASE("cooperative-sticky never hands a partition to a new owner in the round its old owner gives it up",
          "[group][assignor][property][cooperative]") {
  // CooperativeStickyAssignorTest.verifyCooperativeValidity, and what
  // ConsumerCoordinator.validateCooperativeAssignment enforces for custom
  // cooperative assignors: no partition is both added to one member and revoked
  // from another. Follow-up rebalances then converge.
  const Assignor* assignor = find_assignor("cooperative-sticky").assignor;
  rc::prop("added and revoked partitions are disjoint; follow-ups converge", [assignor] {
    const Subscriptions s = *rc::gen::element(Subscriptions::kIdentical, Subscriptions::kRandom);
    GroupSubscription g = random_group(s, *rc::gen::element(Ownership::kConsistent, Ownership::kMessy));
    int rebalances = 0;
    for (;;) {
      const AssignmentResult r = assignor->assign(g);
      std::set<TopicPartition> added, revoked;
      for (const MemberSubscription& m : g.members) {
        const auto& now = r.assignment.at(m.member_id);
        for (const TopicPartition& p : now)
          if (std::find(m.owned.begin(), m.owned.end(), p) == m.owned.end()) added.insert(p);
        for (const TopicPartition& p : m.owned)
          if (!std::binary_search(now.begin(), now.end(), p)) revoked.insert(p);
      }
      for (const TopicPartition& p : added) RC_ASSERT(!revoked.count(p));
      if (revoked.empty()) {
        // Stable: with identical subscriptions the group is now balanced.
        if (s == Subscriptions::kIdentical) check_counts_within_one(r.assignment);
        break;
      }
      RC_ASSERT(++rebalances <= 4);
      g = follow_up_subscription(g, r.assignment);
    }
  });
}

TEST_CASE("cooperative-sticky computes the same target as sticky", "[group][assignor][property][cooperative]") {
  const Assignor* eager = find_assignor("sticky").assignor;
  const Assignor* cooperative = find_assignor("cooperative-sticky").assignor;
  rc::prop("target(cooperative-sticky) == sticky", [=] {
    const Subscriptions s = *rc::gen::element(Subscriptions::kIdentical, Subscriptions::kRandom);
    const GroupSubscription g = random_group(s, *rc::gen::element(Ownership::kConsistent, Ownership::kMessy));
    RC_ASSERT(target_of(cooperative->assign(g)) == eager->assign(g).assignment);
  });
}

TEST_CASE("sarama's current range and roundrobin equal Java's when the known differences are absent",
          "[group][assignor][property][sarama]") {
  // No static members, and (for roundrobin) fewer than 10 partitions per topic
  // with topic names t0..t4, so string and numeric order agree.
  rc::prop("no static members: sarama-range == range", [] {
    const GroupSubscription g = random_group(Subscriptions::kRandom, Ownership::kNone, /*static_members=*/false);
    RC_ASSERT(find_assignor("sarama-range").assignor->assign(g).assignment ==
              find_assignor("range").assignor->assign(g).assignment);
  });
  rc::prop("no static members, < 10 partitions: sarama-roundrobin == roundrobin", [] {
    GroupSubscription g = random_group(Subscriptions::kRandom, Ownership::kNone, /*static_members=*/false);
    for (auto& [topic, count] : g.partitions_per_topic) count = std::min(count, 10);
    RC_ASSERT(find_assignor("sarama-roundrobin").assignor->assign(g).assignment ==
              find_assignor("roundrobin").assignor->assign(g).assignment);
  });
}

}  // namespace
}  // namespace ksim::group
