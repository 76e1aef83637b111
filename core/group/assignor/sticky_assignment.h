#pragma once
// The sticky assignment computation shared by Java's StickyAssignor (EAGER) and
// CooperativeStickyAssignor (COOPERATIVE): AbstractStickyAssignor, minus rack
// awareness (ksim's members have no client.rack).
//
// Goals, in priority order (StickyAssignor Javadoc):
//   1. balance: partition counts differ by at most one, or else no member with
//      2+ fewer partitions than another could take one of that member's;
//   2. stickiness: keep as many partitions with their previous owner as 1 allows.
//
// Step 1, the previous owners (allSubscriptionsEqual). Each member claims the
// partitions it owned, with the generation it owned them in (no generation
// counts as -1). Claims of topics nobody subscribes to are dropped. When two
// members claim one partition:
//   - different generations: the claim of the older generation is dropped (the
//     other member kept the partition through a rebalance this one missed);
//   - the same generation: the claim is invalid for both (it is "claimed by
//     multiple previous owners"), and with all subscriptions equal the partition
//     counts as moving, so cooperative-sticky withholds it for a round.
// Java visits members in the order of its subscriptions HashMap, and so does
// ksim (java_hash_map_order.h). The order only matters when three or more
// members claim one partition with mixed generations.
//
// Step 2a, all members subscribe to the same topics (ConstrainedAssignmentBuilder):
//   quotas: min = floor(P/M), max = ceil(P/M), and exactly P % M members get max.
//   1. Each member keeps its claims sorted by (partition number, topic): all of
//      them if fewer than min; max of them while fewer than P % M members have
//      been given max; otherwise min. What it cannot keep "may be revoked".
//      Members are visited in the iteration order of Java's HashMap
//      consumerToOwnedPartitions (java_hash_map_order.h), which decides which of
//      several members owning max keep it: with consumer1..3, Java visits
//      consumer3, consumer2, consumer1, so consumer2 keeps max
//      (testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers).
//   2. The unassigned partitions, sorted by (topic, partition), are dealt round
//      robin to the members still under min, sorted by member id, then one each
//      to members at min until P % M members have max.
//   A dealt partition that another member had claimed is "transferring
//   ownership" (partitionsTransferringOwnership).
//
// Step 2b, otherwise (GeneralAssignmentBuilder):
//   1. Members keep the claims of topics they still subscribe to.
//   2. Unassigned partitions (ordered by how many members can take their topic,
//      then topic, then partition) go one by one to the member with the fewest
//      partitions (ties: member id) that subscribes to the topic.
//   3. While unbalanced, walk the partitions in that order and move a partition
//      from its owner to a member with at least 2 fewer (preferring the member
//      that owned it in an older generation); PartitionMovements turns a move
//      that would undo an earlier one into moving that partition back.
//   4. If the moves did not lower the balance score (sum over member pairs of the
//      difference in counts), undo them all.
//   Two guards differ from Java: a partition is only moved back to its
//   older-generation owner if that member still subscribes to the topic and can
//   take part in the reassignment (Java would hand the partition to a member not
//   subscribed to it, or throw a NullPointerException).
//
// Java keeps maxGeneration in the assignor instance across calls; ksim computes
// it per call, which is the same in any group whose generations only grow.
#include <map>
#include <optional>
#include <string>

#include "core/group/assignor/assignor.h"

namespace ksim::group {

struct StickyComputation {
  // The sticky target: every partition of every subscribed topic has an owner.
  GroupAssignment assignment;
  // Partition -> the member it moves to, as the all-subscriptions-equal path
  // records it. std::nullopt on the general path, where Java's
  // CooperativeStickyAssignor derives it from owned vs assigned instead.
  std::optional<std::map<TopicPartition, std::string>> transferring;
};

StickyComputation compute_sticky_assignment(const NormalizedGroup& group);

}  // namespace ksim::group
