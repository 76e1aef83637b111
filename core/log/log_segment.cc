#include "core/log/log_segment.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim {

void LogSegment::append(RecordBatch batch, int64_t index_interval_bytes) {
  KSIM_ASSERT(batch.base_offset == next_offset() || batches_.empty());
  // Kafka's LogSegment.append: index this batch if enough bytes went by since
  // the last entry, then count this batch's bytes.
  if (bytes_since_index_entry_ > index_interval_bytes) {
    index_.push_back({batch.last_offset(), size_bytes_});
    bytes_since_index_entry_ = 0;
  }
  const int64_t bytes = batch.size_bytes();
  positions_.push_back(size_bytes_);
  size_bytes_ += bytes;
  bytes_since_index_entry_ += bytes;
  batches_.push_back(std::move(batch));
}

std::vector<RecordBatch> LogSegment::truncate_batches_from(size_t from) {
  std::vector<RecordBatch> removed;
  if (from >= batches_.size()) return removed;
  removed.assign(std::make_move_iterator(batches_.begin() + static_cast<std::ptrdiff_t>(from)),
                 std::make_move_iterator(batches_.end()));
  batches_.resize(from);
  size_bytes_ = positions_[from];
  positions_.resize(from);
  while (!index_.empty() && index_.back().position >= size_bytes_) index_.pop_back();
  // Like Kafka after truncation: the next entry comes after another interval.
  bytes_since_index_entry_ = 0;
  return removed;
}

OffsetLookup LogSegment::lookup(Offset target) const {
  OffsetLookup out;
  out.segment_base = base_offset_;
  // Greatest index entry whose offset is <= target.
  auto it = std::upper_bound(index_.begin(), index_.end(), target,
                             [](Offset t, const OffsetIndexEntry& e) { return t < e.offset; });
  int64_t start_position = 0;
  if (it != index_.begin()) {
    out.index_entry = *(it - 1);
    start_position = out.index_entry->position;
  }
  size_t i = static_cast<size_t>(std::lower_bound(positions_.begin(), positions_.end(), start_position) - positions_.begin());
  for (; i < batches_.size(); ++i) {
    ++out.batches_scanned;
    if (batches_[i].last_offset() >= target) {
      out.batch = i;
      break;
    }
  }
  return out;
}

}  // namespace ksim
