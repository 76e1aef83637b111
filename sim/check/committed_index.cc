#include "sim/check/committed_index.h"

#include <algorithm>

namespace ksim::check {

CommittedIndex::CommittedIndex(const History& history) : places_(history.sends.size()) {
  for (PartitionIndex p = 0; p < history.partitions.size(); ++p) {
    for (const LogEntry& e : history.partitions[p].committed_log()) {
      const uint32_t s = history.send_index_of(e.record);
      if (s == History::kNoSend) continue;
      Place& place = places_[s];
      ++place.copies_all;
      if (history.sends[s].partition != p) continue;
      // Offsets increase along a log: the first copy seen is the lowest.
      if (place.copies_in_partition++ == 0) {
        place.first = e.offset;
      } else {
        extra_.emplace_back(s, e.offset);
      }
    }
  }
  std::sort(extra_.begin(), extra_.end());
}

std::optional<Offset> CommittedIndex::first_offset(uint32_t send) const {
  if (!contains(send)) return std::nullopt;
  return places_[send].first;
}

bool CommittedIndex::holds_at(uint32_t send, Offset offset) const {
  const Place& place = places_[send];
  if (place.copies_in_partition == 0) return false;
  if (place.first == offset) return true;
  if (place.copies_in_partition == 1) return false;
  return std::binary_search(extra_.begin(), extra_.end(), std::pair{send, offset});
}

}  // namespace ksim::check
