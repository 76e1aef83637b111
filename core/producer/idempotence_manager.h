#pragma once
// IdempotenceManager: the idempotent-producer half of Java's TransactionManager
// (with its TxnPartitionMap / TxnPartitionEntry): the producer id and epoch,
// and per partition the next sequence to hand out, the last acknowledged
// sequence and the batches in flight in sequence order (KIP-98, KIP-360).
//
// How a partition's sequences move:
//   1. A batch drained for the first time gets (pid, epoch, next sequence);
//      next sequence += record count; the batch joins the in-flight set.
//   2. A success sets last acked sequence = max(it, the batch's last sequence)
//      and removes the batch from the in-flight set.
//   3. A retried batch keeps its sequence. While the head of the queue is a
//      retry, only the first in-flight sequence may be drained
//      (RecordAccumulator.shouldStopDrainBatchesForPartition), so retries go
//      back in order.
//   4. OUT_OF_ORDER_SEQUENCE_NUMBER: retried if the batch is not the next
//      expected one (an earlier batch failed first); if it is, there is a gap:
//      bump the epoch (below). UNKNOWN_PRODUCER_ID: bump too, then retry.
//   5. A batch that fails for good after being sent, or expires in flight,
//      leaves its sequence unresolved; once nothing is in flight, if the last
//      acked sequence does not meet the next one, bump the epoch.
//   6. Epoch bump (bumpIdempotentProducerEpoch, KIP-360, client side): epoch+1
//      locally (no round trip); the partitions that asked for it restart at
//      sequence 0 and their in-flight batches are re-stamped from 0; other
//      partitions pick up the new epoch, at sequence 0, once their in-flight
//      batches complete (maybeUpdateProducerIdAndEpoch).
//   7. At epoch Short.MAX_VALUE the producer id is reset instead, and a new
//      InitProducerId is sent.
//
// Invariants: in-flight batches of a partition have strictly increasing base
// sequences; next sequence > every in-flight batch's last sequence.
// check_invariants runs after every event of the producer's node: it re-checks
// only the partitions whose entry changed since it last ran (every change goes
// through entry() or remove_in_flight, which mark the partition touched).
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/base/ids.h"
#include "core/producer/producer_batch.h"
#include "core/protocol/errors.h"

namespace ksim::producer {

class IdempotenceManager {
 public:
  bool has_producer_id() const { return producer_id_.value >= 0; }
  ProducerId producer_id() const { return producer_id_; }
  ProducerEpoch epoch() const { return epoch_; }
  bool initializing() const { return initializing_; }
  void set_initializing(bool v) { initializing_ = v; }
  // InitProducerId answered: a fresh id; every partition restarts at 0.
  void set_producer_id_and_epoch(ProducerId id, ProducerEpoch epoch);

  // Step 6: applies a requested bump; returns true if a new producer id is
  // needed (the caller sends InitProducerId).
  bool bump_epoch_and_reset_id_if_needed();
  bool epoch_bump_required() const { return epoch_bump_required_; }
  void request_epoch_bump_for_partition(const TopicPartition& tp);

  // Drain-time (step 1 and the guards of step 3).
  bool should_stop_drain(const ProducerBatch& first) const;
  void assign_sequence(ProducerBatch& batch);

  // Outcomes.
  void handle_completed_batch(ProducerBatch& batch, Offset base_offset);
  // Java's TransactionManager.canRetry for the idempotent producer.
  bool can_retry(Errc error, const ProducerBatch& batch, Offset log_start_offset);
  void handle_failed_batch(ProducerBatch& batch, Errc error, bool adjust_sequence_numbers);
  void mark_sequence_unresolved(const ProducerBatch& batch);
  void maybe_resolve_sequences();
  void remove_in_flight(ProducerBatch& batch);
  // TransactionManager.addInFlightBatch: a batch that already has its
  // sequence (a piece of a split batch) joins the partition's in-flight set.
  void add_in_flight(ProducerBatch& batch);

  Sequence next_sequence(const TopicPartition& tp) const;
  std::optional<Sequence> last_acked_sequence(const TopicPartition& tp) const;
  void check_invariants() const;

 private:
  struct BySequence {
    bool operator()(const ProducerBatch* a, const ProducerBatch* b) const {
      return a->base_sequence.value < b->base_sequence.value || (a->base_sequence == b->base_sequence && a->id < b->id);
    }
  };
  struct Entry {
    ProducerId producer_id{-1};
    ProducerEpoch epoch{-1};
    int32_t next_sequence = 0;
    int32_t last_acked_sequence = -1;
    Offset last_acked_offset{-1};
    std::vector<ProducerBatch*> in_flight;  // ascending by BySequence (a few batches: a sorted list)
  };
  using Partitions = std::map<TopicPartition, Entry>;
  // The partition's entry for a change: marks it touched.
  Entry& entry(const TopicPartition& tp);
  void touch(Partitions::const_iterator partition);
  const Entry* find(const TopicPartition& tp) const;
  bool is_next_sequence(const TopicPartition& tp, int32_t sequence) const;
  void start_sequences_at_beginning(const TopicPartition& tp);

  ProducerId producer_id_{-1};
  ProducerEpoch epoch_{-1};
  bool initializing_ = false;
  bool epoch_bump_required_ = false;
  std::set<TopicPartition> partitions_to_rewrite_;
  std::map<TopicPartition, int32_t> unresolved_;  // tp -> next sequence after the unresolved batch
  Partitions partitions_;  // entries are never erased, so iterators to them stay valid
  mutable std::vector<Partitions::const_iterator> touched_;  // since the last check_invariants
};

}  // namespace ksim::producer
