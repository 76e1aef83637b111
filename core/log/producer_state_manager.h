#pragma once
// ProducerStateManager: one partition replica's memory of idempotent producers
// (KIP-98), as Kafka's ProducerStateManager + ProducerAppendInfo +
// UnifiedLog.analyzeAndValidateProducerState. Owned by the PartitionLog, which
// keeps it in step with the log.
//
// What it answers, for a batch a client sends to the leader (check_client_batch),
// in Kafka's order:
//   1. not idempotent (producer id -1): nothing to check;
//   2. the same epoch and the exact sequence range of one of the producer's last
//      five batches: a DUPLICATE (a retry of a batch already in the log). The
//      leader answers NONE with the original offsets and appends nothing;
//   3. an epoch lower than the stored one: INVALID_PRODUCER_EPOCH (Kafka >= 2.7
//      answers this rather than PRODUCER_FENCED on produce, also for a
//      non-transactional producer: ProducerAppendInfo.checkProducerEpoch);
//   4. a new epoch must start at sequence 0, unless nothing is known of the
//      producer here (stored epoch -1), else OUT_OF_ORDER_SEQUENCE_NUMBER;
//   5. the same epoch: the first sequence must follow the last stored one
//      (lastSeq + 1, or 0 after Int32 max), else OUT_OF_ORDER_SEQUENCE_NUMBER.
//      An unknown producer id (no entry, or an entry with no epoch) is
//      accepted with any sequence: since KIP-360 (2.5) the broker no longer
//      answers UNKNOWN_PRODUCER_ID, it starts tracking the producer from
//      whatever it sends (ProducerAppendInfo.checkSequence).
//   So a retry of the 6th-newest batch is no longer recognised: it fails the
//   sequence check (OUT_OF_ORDER_SEQUENCE_NUMBER), which is why an idempotent
//   client keeps max.in.flight.requests.per.connection <= 5.
//
// Every batch appended to the log, by the leader, by a follower replicating it
// (AppendOrigin.REPLICATION: no checks), or read back during recovery, goes
// through on_append(). So a follower that becomes leader deduplicates retries
// of batches it only replicated.
//
// Recovery and truncation: Kafka reloads the state from the newest producer
// snapshot (<offset>.snapshot) at or below the target offset and replays the
// log after it. ksim takes no snapshots: the PartitionLog clears this state and
// replays its whole log (rebuild). The result is the same; the cost is one pass
// over the batch headers, O(batches), on recovery and on truncation only.
//
// Bounds: five BatchMetadata per producer; producers idle for
// producer.id.expiration.ms (default 86400000) can be dropped with
// remove_expired (Kafka's removeExpiredProducers).
//
// Invariants (check_invariants): every entry holds at most five batches, in
// increasing offset order, below map_end_offset.
#include <cstdint>
#include <map>
#include <optional>

#include "core/log/producer_state_entry.h"
#include "core/log/record_batch.h"
#include "core/protocol/errors.h"

namespace ksim {

// The verdict on a client batch (check_client_batch).
struct ProducerAppendCheck {
  Errc error = Errc::none;                 // out_of_order_sequence_number or invalid_producer_epoch
  std::optional<BatchMetadata> duplicate;  // set: a retry of this appended batch; append nothing
  // What the replica had stored for the producer (for the trace and lectures).
  ProducerEpoch stored_epoch{-1};
  Sequence stored_last_seq{-1};
};

class ProducerStateManager {
 public:
  // producer.id.expiration.ms default.
  static constexpr int64_t kDefaultProducerIdExpirationMs = 86400000;

  ProducerAppendCheck check_client_batch(const RecordBatch& batch) const;

  // Records a batch that is now in the log (at its final offsets).
  void on_append(const RecordBatch& batch);
  // Forgets everything (before a rebuild of a log starting at `log_start_offset`).
  void clear(Offset log_start_offset);

  const ProducerStateEntry* entry(ProducerId id) const;
  const std::map<ProducerId, ProducerStateEntry>& producers() const { return producers_; }
  // The offset after the last batch this state has seen (Kafka's mapEndOffset).
  Offset map_end_offset() const { return map_end_offset_; }
  // Drops producers whose last batch is older than expiration_ms; returns how many.
  size_t remove_expired(int64_t now_ms, int64_t expiration_ms);

  void check_invariants() const;

 private:
  std::map<ProducerId, ProducerStateEntry> producers_;
  Offset map_end_offset_{0};
};

}  // namespace ksim
