#pragma once
// CommittedIndex: for each partition, where each record sits in the committed
// log (History's PartitionHistory::committed_log()). Several checkers ask
// "is record r committed in partition p, and at which offsets?"; this answers
// in O(log n) after one O(n log n) build.
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "sim/check/history.h"

namespace ksim::check {

class CommittedIndex {
 public:
  explicit CommittedIndex(const History& history);

  // The offsets at which `record` sits in partition p's committed log,
  // ascending (more than one only for a duplicate). Empty if absent.
  std::span<const std::pair<RecordId, Offset>> find(PartitionIndex p, RecordId record) const;
  bool contains(PartitionIndex p, RecordId record) const { return !find(p, record).empty(); }
  std::optional<Offset> first_offset(PartitionIndex p, RecordId record) const;

 private:
  std::vector<std::vector<std::pair<RecordId, Offset>>> by_partition_;  // sorted
};

}  // namespace ksim::check
