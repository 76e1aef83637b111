#pragma once
// CommittedIndex: where each sent record sits in the committed log of its
// partition (History's PartitionHistory::committed_log()). Several checkers
// ask "is the record of send s committed in its partition, and at which
// offsets?"; this answers in O(1) per send after one linear pass over the
// committed logs.
//
// Keyed by send (an index into History::sends), not by record id: every
// question the checkers ask is about a send's record in the send's own
// partition. A record's copies in other partitions are counted (copies_all)
// for the duplicate checker, but never answer for the send's partition.
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/check/history.h"

namespace ksim::check {

class CommittedIndex {
 public:
  explicit CommittedIndex(const History& history);

  // The lowest offset at which send s's record sits in the committed log of
  // s's partition, or nullopt if it is not there.
  std::optional<Offset> first_offset(uint32_t send) const;
  bool contains(uint32_t send) const { return places_[send].copies_in_partition > 0; }
  // Whether the committed log of s's partition holds s's record at `offset`.
  bool holds_at(uint32_t send, Offset offset) const;
  // How many times s's record is in the committed logs of all partitions.
  uint32_t copies_all(uint32_t send) const { return places_[send].copies_all; }

 private:
  struct Place {
    Offset first{-1};
    uint32_t copies_in_partition = 0;
    uint32_t copies_all = 0;
  };
  std::vector<Place> places_;                      // per send
  std::vector<std::pair<uint32_t, Offset>> extra_;  // (send, offset) of second and later copies; sorted
};

}  // namespace ksim::check
