#pragma once
// PartitionLog: one replica's log of one partition, as Kafka's UnifiedLog:
// segments of record batches, the log end offset (LEO), the high watermark
// (HW), the leader-epoch cache, and what of it is durable.
//
// Offsets are dense from the log start offset. LEO is exclusive (the offset the
// next record gets); HW is exclusive (consumers see offsets below it).
//
// Persistence, through Storage (see core/env/storage.h for the page-cache model):
//   <tp>/<20-digit base offset>.log    one entry per batch (batch_codec.h)
//   <tp>/leader-epoch-checkpoint       the epoch cache; fsynced on assign (as Kafka)
//   <tp>/high-watermark-checkpoint     the HW, written by checkpoint_high_watermark()
//                                      (Kafka: replication-offset-checkpoint, every
//                                      replica.high.watermark.checkpoint.interval.ms)
// recover() rebuilds the log from what survived: whole batches, contiguous,
// stopping at the first gap or unreadable entry, as Kafka's log recovery does.
// The epoch cache comes from its checkpoint, plus the epoch of every
// recovered batch newer than the latest (LogSegment.recover), cut back to the
// recovered LEO (LogLoader: the checkpoint may be stale either way, since
// truncations flush it asynchronously). Kafka recovers only the segments past
// its recovery point; ksim keeps no recovery point and recovers them all.
//
// The idempotent producers' state (producer_state(), KIP-98) follows the log:
// every appended batch updates it, and recover() and truncate_to() rebuild it
// by replaying the log (Kafka loads a producer snapshot and replays the log
// after it; ksim keeps no snapshots and replays all of it).
//
// Invariants (check_invariants):
//   1. log_start_offset <= HW <= LEO;
//   2. batches are contiguous: each starts where the previous ended;
//   3. the epoch cache is monotonic and its entries start below LEO (or at it
//      for an epoch with no records yet);
//   4. every batch this process appended is covered in the cache by its own
//      leader epoch. A batch recover() brought back may not be, in Kafka too:
//      the cache checkpoint is fsynced on every assign, a truncation is not,
//      so after a power loss a batch that had been truncated away can return
//      under a newer epoch (and LogSegment.recover only adds epochs newer than
//      the latest);
//   5. the producer state has seen exactly the log (map end offset == LEO).
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env/storage.h"
#include "core/log/leader_epoch_cache.h"
#include "core/log/log_config.h"
#include "core/log/log_segment.h"
#include "core/log/producer_state_manager.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

struct LogReadResult {
  std::vector<RecordBatch> batches;
  int64_t bytes = 0;
};

struct RecoveryResult {
  Offset log_end_offset;
  Offset high_watermark;
  int64_t batches_recovered = 0;
  int64_t entries_discarded = 0;  // unreadable or non-contiguous entries cut off
};

class PartitionLog {
 public:
  PartitionLog(Storage& storage, TopicPartition tp, LogConfig config);

  // Loads the log from storage (after a restart). The log must be empty.
  RecoveryResult recover();

  // Leader append: the batch gets offsets from LEO on and is stamped with
  // `leader_epoch`, which the epoch cache learns if new. Returns the stored batch.
  const RecordBatch& append_as_leader(RecordBatch batch, LeaderEpoch leader_epoch);
  // Follower append of a batch fetched from the leader: its offsets must
  // start exactly at LEO; its epoch is learnt by the cache.
  void append_as_follower(const RecordBatch& batch);

  // Whole batches holding offsets in [from, max_offset), up to max_bytes, but
  // always the first batch if min_one_batch (Kafka returns at least one batch
  // so a large batch cannot stall a fetcher). The first batch may start
  // before `from` (a batch is never split).
  LogReadResult read(Offset from, Offset max_offset, int64_t max_bytes, bool min_one_batch) const;

  // Removes every batch holding offsets >= `offset` (a batch straddling it goes
  // whole, as in Kafka). LEO becomes <= offset; HW is lowered to LEO if above.
  // Epochs starting at or after the new LEO leave the epoch cache, even when
  // no batch goes (UnifiedLog.truncateTo). Returns the removed batches in log order.
  std::vector<RecordBatch> truncate_to(Offset offset);

  Offset log_start_offset() const { return log_start_offset_; }
  Offset log_end_offset() const;
  Offset high_watermark() const { return high_watermark_; }
  // Sets the HW (clamped to LEO by the caller's logic; asserted here).
  void set_high_watermark(Offset hw);
  // Persists the HW (fsynced, like Kafka's checkpoint files).
  void checkpoint_high_watermark();
  // The HW as last checkpointed (what a restart would recover).
  Offset checkpointed_high_watermark() const;

  const LeaderEpochCache& epoch_cache() const { return epoch_cache_; }
  // The idempotent producers seen in this log (check a client batch against
  // it before append_as_leader).
  const ProducerStateManager& producer_state() const { return producer_state_; }
  ProducerStateManager& producer_state() { return producer_state_; }
  // Called after every change of the epoch cache, with why ("assigned",
  // "truncated", "recovered"): the owner traces it (epoch_cache_changed).
  using EpochCacheObserver = std::function<void(const LeaderEpochCache&, std::string_view reason)>;
  void set_epoch_cache_observer(EpochCacheObserver observer) { epoch_cache_observer_ = std::move(observer); }
  std::optional<LeaderEpoch> latest_epoch() const;
  // OffsetsForLeaderEpoch on this log (KIP-279 or the original KIP-101 form).
  EpochEndOffset end_offset_for_epoch(LeaderEpoch epoch) const;
  EpochEndOffset end_offset_for_epoch_v0(LeaderEpoch epoch) const;
  // Records that `epoch` starts at LEO (a new leader does this on election,
  // before any record of the epoch is written, as Kafka's makeLeader).
  void assign_epoch_start(LeaderEpoch epoch);

  // The offset up to which the log is durable (a power loss keeps [start, this)).
  Offset flushed_offset() const;
  // Forces the log to disk (log.flush.* settings, or a controlled shutdown).
  void flush();

  // Finds an offset the way Kafka does (segment, then index, then scan).
  std::optional<OffsetLookup> locate(Offset offset) const;
  // The batch holding `offset`, if any.
  const RecordBatch* batch_at(Offset offset) const;

  const std::vector<LogSegment>& segments() const { return segments_; }
  const TopicPartition& topic_partition() const { return tp_; }
  const LogConfig& config() const { return config_; }
  int64_t size_bytes() const;

  void check_invariants() const;

 private:
  std::string dir() const { return tp_.str(); }
  std::string segment_file(Offset base) const;
  std::string epoch_file() const { return dir() + "/leader-epoch-checkpoint"; }
  std::string hw_file() const { return dir() + "/high-watermark-checkpoint"; }
  void append_batch(RecordBatch batch);
  // Writes the checkpoint file and tells the observer.
  void persist_epoch_cache(bool sync, std::string_view reason);
  // Drops epochs starting at or after the LEO (LeaderEpochFileCache.truncateFromEnd).
  void truncate_epoch_cache_from_end();
  void roll_if_needed(int64_t incoming_bytes);
  void rebuild_producer_state();

  Storage& storage_;
  TopicPartition tp_;
  LogConfig config_;
  std::vector<LogSegment> segments_;
  LeaderEpochCache epoch_cache_;
  ProducerStateManager producer_state_;
  EpochCacheObserver epoch_cache_observer_;
  Offset log_start_offset_{0};
  Offset high_watermark_{0};
  // Batches from here on were appended by this process; those below came
  // back from disk in recover() (invariant 4 holds only for the former).
  Offset appended_from_{0};
};

}  // namespace ksim
