#include "sim/check/committed_index.h"

#include <algorithm>

namespace ksim::check {

CommittedIndex::CommittedIndex(const History& history) : by_partition_(history.partitions.size()) {
  for (size_t p = 0; p < history.partitions.size(); ++p) {
    auto& index = by_partition_[p];
    const auto log = history.partitions[p].committed_log();
    index.reserve(log.size());
    for (const auto& e : log) index.emplace_back(e.record, e.offset);
    std::sort(index.begin(), index.end());
  }
}

std::span<const std::pair<RecordId, Offset>> CommittedIndex::find(PartitionIndex p, RecordId record) const {
  if (p >= by_partition_.size()) return {};
  const auto& index = by_partition_[p];
  auto lo = std::lower_bound(index.begin(), index.end(), record,
                             [](const std::pair<RecordId, Offset>& e, RecordId r) { return e.first < r; });
  auto hi = lo;
  while (hi != index.end() && hi->first == record) ++hi;
  return {index.data() + (lo - index.begin()), static_cast<size_t>(hi - lo)};
}

std::optional<Offset> CommittedIndex::first_offset(PartitionIndex p, RecordId record) const {
  auto found = find(p, record);
  if (found.empty()) return std::nullopt;
  return found.front().second;
}

}  // namespace ksim::check
