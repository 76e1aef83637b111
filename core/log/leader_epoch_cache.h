#pragma once
// LeaderEpochCache: for each leader epoch, the first offset written in it
// (KIP-101). Kafka's LeaderEpochFileCache, persisted as the partition's
// leader-epoch-checkpoint file.
//
// Invariants (checked by check_invariants):
//   1. epochs strictly increase along the entries;
//   2. start offsets strictly increase along the entries.
// assign() keeps them by dropping conflicting newer entries first, as Kafka's
// maybeTruncateNonMonotonicEntries does.
#include <optional>
#include <vector>

#include "core/base/ids.h"

namespace ksim {

struct EpochEntry {
  LeaderEpoch epoch;
  Offset start_offset;
  bool operator==(const EpochEntry&) const = default;
};

struct EpochEndOffset {
  LeaderEpoch epoch{-1};   // UNDEFINED_EPOCH = -1
  Offset end_offset{-1};   // UNDEFINED_EPOCH_OFFSET = -1
  bool undefined() const { return end_offset.value < 0; }
  bool operator==(const EpochEndOffset&) const = default;
};

class LeaderEpochCache {
 public:
  // Records that `epoch` starts at `start_offset`; no-op when the latest entry
  // already is this epoch at an earlier or equal offset. Returns whether the
  // cache changed (so the caller persists it).
  bool assign(LeaderEpoch epoch, Offset start_offset);

  // KIP-279 semantics (Kafka 2.0+, LeaderEpochFileCache.endOffsetFor): the
  // largest epoch <= requested, and its end offset (the start of the next
  // higher epoch, or log_end_offset for the latest epoch).
  EpochEndOffset end_offset_for(LeaderEpoch requested, Offset log_end_offset) const;
  // KIP-101's original semantics (0.11's LeaderEpochFileCache.endOffsetFor,
  // checked against that release's source; OffsetsForLeaderEpoch v0): only the end
  // offset of the requested epoch, computed as the start offset of the first
  // higher epoch; undefined if the requested epoch predates the cache. The
  // follower cannot tell that the leader never had that epoch (KAFKA-6361).
  EpochEndOffset end_offset_for_v0(LeaderEpoch requested, Offset log_end_offset) const;

  // Removes entries whose start offset is >= end_offset (log truncated to it).
  void truncate_from_end(Offset end_offset);
  // Drops entries wholly below start_offset, keeping the epoch that covers it.
  void truncate_from_start(Offset start_offset);

  std::optional<EpochEntry> latest() const;
  // The epoch covering `offset` (the entry with the largest start <= offset).
  std::optional<LeaderEpoch> epoch_for_offset(Offset offset) const;
  const std::vector<EpochEntry>& entries() const { return entries_; }
  void clear() { entries_.clear(); }

  void check_invariants() const;

 private:
  std::vector<EpochEntry> entries_;
};

}  // namespace ksim
