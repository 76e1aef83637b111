#pragma once
// PartitionMovements: the bookkeeping that keeps a sticky rebalance from
// shuffling partitions of one topic back and forth between two members. Java's
// AbstractStickyAssignor.PartitionMovements, which sarama's sticky strategy
// copies (partitionMovements in balance_strategy.go).
//
// While the sticky balancing loop moves partitions one at a time, this records
// for every moved partition where it came from (its owner before the rebalance)
// and where it is now. When the loop wants to move partition p of topic T from
// member A to member B, but an earlier step already moved some partition q of
// T from B to A, it moves q back instead of p: the net effect on the counts is
// the same and q returns to its original owner.
//
// Invariant: for every recorded partition, `dst` is its current owner, and
// `src != dst` (a partition moved back to where it started is forgotten).
#include <map>
#include <set>
#include <string>
#include <utility>

#include "core/group/assignor/assignor.h"

namespace ksim::group {

class PartitionMovements {
 public:
  // Records that `partition` moves from `old_owner` (its current owner) to
  // `new_owner`.
  void move(const TopicPartition& partition, const std::string& old_owner, const std::string& new_owner);

  // Which partition to move so that `partition`'s topic gains one at `new_owner`
  // and loses one at `old_owner` (getTheActualPartitionToBeMoved). Where several
  // qualify, Java takes the first of a HashSet and sarama the last of a Go map,
  // both unspecified; ksim takes the smallest (topic, partition).
  TopicPartition partition_to_move(const TopicPartition& partition, std::string old_owner,
                                   const std::string& new_owner) const;

 private:
  using Pair = std::pair<std::string, std::string>;  // (src, dst)
  void add(const TopicPartition& partition, const Pair& pair);
  Pair remove(const TopicPartition& partition);

  std::map<TopicPartition, Pair> moves_;
  std::map<std::string, std::map<Pair, std::set<TopicPartition>>> by_topic_;
};

}  // namespace ksim::group
