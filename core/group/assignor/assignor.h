#pragma once
// The consumer-group partition assignor: given the partition count of every
// topic and what each member of a group subscribes to (and, for the sticky
// assignors, what it owned before), decide which member consumes which
// partition. In Kafka's classic group protocol the group *leader* (a consumer,
// not the broker) runs the assignor between JoinGroup and SyncGroup; the
// `partition.assignment.strategy` config picks it (ConsumerPartitionAssignor,
// AbstractPartitionAssignor).
//
// Every assignor here is a pure function of its input: no clock, no randomness,
// no hash-map iteration. Where Kafka (Java HashMap) or sarama (Go map) iterate in
// an order the language leaves unspecified, ksim uses ascending member-id or
// (topic, partition) order and the assignor's header says where that is.
//
// Input invariants (KSIM_ASSERT: violating them is a bug in the caller, e.g. the
// group coordinator; the `ksim assign` calculator rejects such input first):
//   1. member ids are unique;
//   2. partition counts are >= 0.
// Tolerated as Kafka tolerates them:
//   - subscriptions to topics missing from the metadata (ignored, as Java's
//     AbstractPartitionAssignor excludes "topics not in metadata");
//   - duplicate topics in a subscription and duplicate owned partitions (read as
//     sets);
//   - owned partitions that do not exist in the metadata: dropped before any
//     assignor runs. (Java's sticky code would count such a claim as assigned and
//     then lose track of real partitions; it never sees one in practice.)
//
// Output invariants (checked by tests/group/assignor_property_test.cc):
//   1. every member of the input appears in the assignment, possibly with [];
//   2. each list is sorted by (topic, partition) and has no duplicates;
//   3. a partition is only ever given to a member subscribed to its topic;
//   4. EAGER assignors give every partition of every subscribed topic to exactly
//      one member; a COOPERATIVE assignor gives each to at most one member, and
//      each one it leaves out appears in `withheld` (see AssignmentResult).
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"

namespace ksim::group {

// Kafka's TopicPartition; ordered by topic name, then partition number.
struct TopicPartition {
  std::string topic;
  PartitionId partition{0};

  auto operator<=>(const TopicPartition&) const = default;
  bool operator==(const TopicPartition&) const = default;
};

// "orders-3", the format of Kafka's TopicPartition.toString().
std::string to_string(const TopicPartition& tp);

// Topic name -> number of partitions (Kafka's Cluster metadata, reduced to what
// the assignors read).
using PartitionCounts = std::map<std::string, int32_t>;

// One member's JoinGroup metadata as the leader sees it (Java's Subscription).
struct MemberSubscription {
  std::string member_id;                         // member.id, given by the coordinator
  std::optional<std::string> group_instance_id;  // group.instance.id (KIP-345 static member)
  std::vector<std::string> topics;               // the subscription
  // What the member owned when it joined: Subscription.ownedPartitions for the
  // cooperative protocol, the StickyAssignor user data for eager sticky. Read by
  // the sticky assignors only.
  std::vector<TopicPartition> owned;
  // The generation in which the member got `owned` (Subscription.generationId /
  // user data); absent for a member that never had an assignment.
  std::optional<GenerationId> generation;
};

// What the leader's assignor reads (Java: Cluster metadata + GroupSubscription).
struct GroupSubscription {
  PartitionCounts partitions_per_topic;
  // In the order the leader received them (the JoinGroup response), which is
  // the insertion order of Java's subscriptions HashMap. The sticky assignors'
  // results depend on it only for member ids in one HashMap bucket (see
  // java_hash_map_order.h); the others' not at all.
  std::vector<MemberSubscription> members;
};

// Member id -> its partitions, sorted by (topic, partition). Every member of the
// input is a key.
using GroupAssignment = std::map<std::string, std::vector<TopicPartition>>;

// ConsumerPartitionAssignor.RebalanceProtocol.
//   EAGER: every member gives up all its partitions before it rejoins, and the
//     assignment is handed out in one rebalance.
//   COOPERATIVE (KIP-429): members keep their partitions while rejoining; a
//     partition that must change owner is first only revoked from its owner, and
//     its new owner gets it in a follow-up rebalance.
enum class RebalanceProtocol { kEager, kCooperative };
std::string_view to_string(RebalanceProtocol protocol);  // "EAGER", "COOPERATIVE"

struct AssignmentResult {
  // What each member is told in this rebalance.
  GroupAssignment assignment;
  // COOPERATIVE only: partitions that change owner, so they are left out of
  // `assignment` now (their current owner sees them revoked and rejoins), each
  // with the member that the assignor means to give it to; in the follow-up
  // rebalance they are unowned and that member (normally) gets them. Java's
  // AbstractStickyAssignor.partitionsTransferringOwnership. Empty for EAGER.
  std::map<TopicPartition, std::string> withheld;
};

// A partition assignment strategy. Stateless: one const instance serves every
// group (see assignor_registry.h).
class Assignor {
 public:
  virtual ~Assignor() = default;
  // ksim's unique name for this implementation, e.g. "range", "sarama-range".
  virtual std::string_view name() const = 0;
  // The protocol name the client puts in JoinGroup (what Kafka's name() returns):
  // "range" for both Java's RangeAssignor and sarama's BalanceStrategyRange,
  // which is why a group may mix them, and then the leader's implementation
  // decides.
  virtual std::string_view protocol_name() const = 0;
  virtual RebalanceProtocol protocol() const = 0;
  virtual AssignmentResult assign(const GroupSubscription& group) const = 0;
};

// ---------------------------------------------------------------------------
// Shared by the assignor implementations.

// A group in the form the assignors work on: members keyed (and so ordered) by
// member id, topics as sets, owned partitions filtered to existing ones.
struct NormalizedMember {
  std::optional<std::string> group_instance_id;
  std::set<std::string> topics;        // as subscribed, including topics not in the metadata
  std::vector<TopicPartition> owned;   // input order, duplicates and non-existent partitions removed
  std::optional<GenerationId> generation;

  bool subscribes(const std::string& topic) const { return topics.count(topic) != 0; }
};

struct NormalizedGroup {
  // All topics of the metadata.
  PartitionCounts metadata;
  // Java's partitionsPerTopic: topics that some member subscribes to and that
  // exist with at least one partition.
  PartitionCounts partitions_per_topic;
  std::map<std::string, NormalizedMember> members;
  // The member ids in the input's order (GroupSubscription.members).
  std::vector<std::string> input_order;

  // Every partition of `partitions_per_topic`, sorted by (topic, partition).
  std::vector<TopicPartition> all_partitions_sorted() const;
  // The assignment with every member present and no partitions.
  GroupAssignment empty_assignment() const;
};

NormalizedGroup normalize(const GroupSubscription& group);

// Sorts every list of the assignment by (topic, partition).
void sort_assignment(GroupAssignment& assignment);

// Java's AbstractPartitionAssignor.MemberInfo order, used by Range and
// RoundRobin: members with a group.instance.id first, ordered by it, then the
// others by member id (MemberInfo.compareTo). So static members keep their place
// across restarts even though the coordinator gives them new member ids.
std::vector<std::string> java_member_order(const NormalizedGroup& group);

// The sticky assignors' measure of imbalance (Java's AbstractStickyAssignor
// and sarama's port of it): the sum of |size(a) - size(b)| over all member pairs.
int64_t balance_score(const GroupAssignment& assignment);

}  // namespace ksim::group
