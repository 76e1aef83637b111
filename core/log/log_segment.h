#pragma once
// LogSegment: one file of a partition's log ("00000000000000000042.log", named
// after its base offset) plus its sparse offset index, as Kafka's LogSegment
// and OffsetIndex. Batches are stored whole; byte positions are simulated.
//
// The offset index gets an entry (last offset of a batch -> its position) each
// time more than index.interval.bytes were appended since the previous entry,
// so finding an offset is: binary search the index for the greatest entry at
// or below it, then scan batches forward from that position. locate() returns
// that path so a lecture can show it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/log/record_batch.h"

namespace ksim {

struct OffsetIndexEntry {
  Offset offset;      // the last offset of the indexed batch
  int64_t position;   // byte position of that batch in the segment
};

// How an offset was found: the lecture's "how does Kafka find offset 1234?".
struct OffsetLookup {
  size_t segment = 0;                   // which segment (by position in the log)
  Offset segment_base;
  std::optional<OffsetIndexEntry> index_entry;  // the index entry used, if any
  int batches_scanned = 0;              // batches read from that position on
  std::optional<size_t> batch;          // index of the batch holding the offset
};

class LogSegment {
 public:
  LogSegment(Offset base_offset, std::string file_name) : base_offset_(base_offset), file_name_(std::move(file_name)) {}

  void append(RecordBatch batch, int64_t index_interval_bytes);
  // Removes the batches at and after index `from`; returns them.
  std::vector<RecordBatch> truncate_batches_from(size_t from);

  // The first batch whose last offset is >= target, via the sparse index.
  OffsetLookup lookup(Offset target) const;

  Offset base_offset() const { return base_offset_; }
  Offset next_offset() const { return batches_.empty() ? base_offset_ : batches_.back().next_offset(); }
  int64_t size_bytes() const { return size_bytes_; }
  bool empty() const { return batches_.empty(); }
  const std::vector<RecordBatch>& batches() const { return batches_; }
  const std::vector<OffsetIndexEntry>& index() const { return index_; }
  const std::string& file_name() const { return file_name_; }

 private:
  Offset base_offset_;
  std::string file_name_;
  std::vector<RecordBatch> batches_;
  std::vector<int64_t> positions_;  // byte position of each batch
  std::vector<OffsetIndexEntry> index_;
  int64_t size_bytes_ = 0;
  int64_t bytes_since_index_entry_ = 0;
};

}  // namespace ksim
