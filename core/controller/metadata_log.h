#pragma once
// MetadataLog: the controller's copy of __cluster_metadata, the ordered list
// of MetadataRecords every broker replays. Offsets count from 0; a record's
// offset is its position.
//
// KRaft commits a record only once a majority of the controller quorum has it
// on disk. ksim runs one controller, so "committed" means "fsynced here":
// append() writes one Storage entry per record and fsyncs the file before it
// returns, and the controller answers requests and serves records only after
// that. A power loss therefore never takes back a record a broker has seen.
//
// Invariants:
//   1. records()[i] has offset i; end_offset() == records().size().
//   2. Every record in records() is durable in storage (after append returns).
#include <cstdint>
#include <string>
#include <vector>

#include "core/env/storage.h"
#include "core/metadata/metadata_records.h"

namespace ksim {

class MetadataLog {
 public:
  static constexpr const char* kFile = "__cluster_metadata-0/00000000000000000000.log";

  explicit MetadataLog(Storage& storage) : storage_(storage) {}

  // Reads the log back from storage (process start). A torn or unreadable
  // entry ends the log there; the tail after it is truncated away. Returns the
  // number of entries dropped that way (0 for a clean log).
  size_t recover();

  // Appends `batch` at the end and makes it durable. Returns the offset of its
  // first record (== end_offset() before the call).
  int64_t append(const std::vector<MetadataRecord>& batch);

  int64_t end_offset() const { return static_cast<int64_t>(records_.size()); }
  const std::vector<MetadataRecord>& records() const { return records_; }
  const MetadataRecord& at(int64_t offset) const;
  // The records from `offset` to the end (empty if offset >= end_offset()).
  std::vector<MetadataRecord> read_from(int64_t offset) const;

 private:
  Storage& storage_;
  std::vector<MetadataRecord> records_;
};

}  // namespace ksim
