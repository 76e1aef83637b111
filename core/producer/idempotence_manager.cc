#include "core/producer/idempotence_manager.h"

#include <algorithm>
#include <limits>

#include "core/base/assert.h"

namespace ksim::producer {

void IdempotenceManager::set_producer_id_and_epoch(ProducerId id, ProducerEpoch epoch) {
  producer_id_ = id;
  epoch_ = epoch;
  initializing_ = false;
  partitions_to_rewrite_.clear();
  unresolved_.clear();
  epoch_bump_required_ = false;
}

IdempotenceManager::Entry& IdempotenceManager::entry(const TopicPartition& tp) {
  const auto it = partitions_.try_emplace(tp).first;
  touch(it);
  return it->second;
}

void IdempotenceManager::touch(Partitions::const_iterator partition) {
  if (std::find(touched_.begin(), touched_.end(), partition) == touched_.end()) touched_.push_back(partition);
}

const IdempotenceManager::Entry* IdempotenceManager::find(const TopicPartition& tp) const {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : &it->second;
}

Sequence IdempotenceManager::next_sequence(const TopicPartition& tp) const {
  const Entry* e = find(tp);
  return Sequence(e ? e->next_sequence : 0);
}

std::optional<Sequence> IdempotenceManager::last_acked_sequence(const TopicPartition& tp) const {
  const Entry* e = find(tp);
  if (!e || e->last_acked_sequence < 0) return std::nullopt;
  return Sequence(e->last_acked_sequence);
}

bool IdempotenceManager::is_next_sequence(const TopicPartition& tp, int32_t sequence) const {
  const Entry* e = find(tp);
  const int32_t last = e ? e->last_acked_sequence : -1;
  return sequence - last == 1;
}

void IdempotenceManager::request_epoch_bump_for_partition(const TopicPartition& tp) {
  epoch_bump_required_ = true;
  partitions_to_rewrite_.insert(tp);
}

void IdempotenceManager::start_sequences_at_beginning(const TopicPartition& tp) {
  Entry& e = entry(tp);
  // Re-stamp the in-flight batches from 0 in their sequence order
  // (TxnPartitionMap.startSequencesAtBeginning).
  // New sequences ascend in the current order: the list stays sorted.
  int32_t seq = 0;
  for (ProducerBatch* b : e.in_flight) {
    b->producer_id = producer_id_;
    b->producer_epoch = epoch_;
    b->base_sequence = Sequence(seq);
    b->sequence_reset = true;
    seq += b->count();
  }
  e.producer_id = producer_id_;
  e.epoch = epoch_;
  e.next_sequence = seq;
  e.last_acked_sequence = -1;
}

bool IdempotenceManager::bump_epoch_and_reset_id_if_needed() {
  if (epoch_bump_required_ && has_producer_id()) {
    if (epoch_.value == std::numeric_limits<int16_t>::max()) {
      producer_id_ = ProducerId(-1);  // resetIdempotentProducerId: a new id comes from InitProducerId
      epoch_ = ProducerEpoch(-1);
    } else {
      epoch_ = ProducerEpoch(static_cast<int16_t>(epoch_.value + 1));
      for (const TopicPartition& tp : partitions_to_rewrite_) {
        start_sequences_at_beginning(tp);
        unresolved_.erase(tp);
      }
      partitions_to_rewrite_.clear();
    }
    epoch_bump_required_ = false;
  }
  return !initializing_ && !has_producer_id();
}

bool IdempotenceManager::should_stop_drain(const ProducerBatch& first) const {
  if (!has_producer_id()) return true;
  const Entry* e = find(first.tp);
  if (!first.has_sequence()) {
    const bool stale = e && (e->producer_id != producer_id_ || e->epoch != epoch_);
    // New batches wait while older-epoch batches are in flight (a new epoch
    // starts at sequence 0 and must not overtake them).
    if (e && !e->in_flight.empty() && stale) return true;
    if (unresolved_.count(first.tp)) return true;
  }
  // A retry (it has a sequence) goes only when it is the first in flight.
  if (first.has_sequence() && e && !e->in_flight.empty() &&
      e->in_flight.front()->base_sequence != first.base_sequence)
    return true;
  return false;
}

void IdempotenceManager::assign_sequence(ProducerBatch& batch) {
  KSIM_ASSERT(!batch.has_sequence() && has_producer_id());
  Entry& e = entry(batch.tp);
  if (e.producer_id != producer_id_ || e.epoch != epoch_) {
    // maybeUpdateProducerIdAndEpoch: only reached with nothing in flight.
    KSIM_ASSERT(e.in_flight.empty());
    e.producer_id = producer_id_;
    e.epoch = epoch_;
    e.next_sequence = 0;
    e.last_acked_sequence = -1;
  }
  batch.producer_id = producer_id_;
  batch.producer_epoch = epoch_;
  batch.base_sequence = Sequence(e.next_sequence);
  // Sequences wrap at Integer.MAX_VALUE back to 0 (DefaultRecordBatch.incrementSequence).
  const int64_t next = static_cast<int64_t>(e.next_sequence) + batch.count();
  e.next_sequence = static_cast<int32_t>(next > std::numeric_limits<int32_t>::max()
                                             ? next - std::numeric_limits<int32_t>::max() - 1
                                             : next);
  e.in_flight.insert(std::upper_bound(e.in_flight.begin(), e.in_flight.end(), &batch, BySequence{}), &batch);
}

void IdempotenceManager::add_in_flight(ProducerBatch& batch) {
  KSIM_ASSERT(batch.has_sequence());
  Entry& e = entry(batch.tp);
  e.in_flight.insert(std::upper_bound(e.in_flight.begin(), e.in_flight.end(), &batch, BySequence{}), &batch);
}

void IdempotenceManager::remove_in_flight(ProducerBatch& batch) {
  auto it = partitions_.find(batch.tp);
  if (it == partitions_.end()) return;
  touch(it);
  // The list is ordered by sequence, which may have been rewritten; find by identity.
  for (auto b = it->second.in_flight.begin(); b != it->second.in_flight.end(); ++b) {
    if (*b == &batch) {
      it->second.in_flight.erase(b);
      return;
    }
  }
}

void IdempotenceManager::handle_completed_batch(ProducerBatch& batch, Offset base_offset) {
  Entry& e = entry(batch.tp);
  if (batch.producer_id == e.producer_id && batch.producer_epoch == e.epoch) {
    e.last_acked_sequence = std::max(e.last_acked_sequence, batch.last_sequence().value);
    if (base_offset.value >= 0) e.last_acked_offset = base_offset + (batch.count() - 1);
  }
  remove_in_flight(batch);
}

bool IdempotenceManager::can_retry(Errc error, const ProducerBatch& batch, Offset log_start_offset) {
  if (error == Errc::unknown_producer_id) {
    if (log_start_offset.value == -1) return true;
    if (batch.sequence_reset) return true;
    // The idempotent producer always retries it, bumping the epoch.
    request_epoch_bump_for_partition(batch.tp);
    return true;
  }
  if (error == Errc::out_of_order_sequence_number) {
    const bool unresolved = unresolved_.count(batch.tp) > 0;
    if (!unresolved && (batch.sequence_reset || !is_next_sequence(batch.tp, batch.base_sequence.value))) return true;
    // A real gap: bump the epoch (unless we wait on an unresolved earlier batch).
    if (!unresolved || unresolved_.at(batch.tp) == batch.base_sequence.value) request_epoch_bump_for_partition(batch.tp);
    return true;
  }
  return is_retriable(error);
}

void IdempotenceManager::handle_failed_batch(ProducerBatch& batch, Errc error, bool adjust_sequence_numbers) {
  remove_in_flight(batch);
  if (error == Errc::out_of_order_sequence_number) {
    request_epoch_bump_for_partition(batch.tp);
  } else if (error == Errc::unknown_producer_id) {
    Entry& e = entry(batch.tp);
    e.next_sequence = 0;
    e.last_acked_sequence = -1;
  } else if (adjust_sequence_numbers && batch.has_sequence()) {
    request_epoch_bump_for_partition(batch.tp);
  }
}

void IdempotenceManager::mark_sequence_unresolved(const ProducerBatch& batch) {
  const int32_t next = batch.last_sequence().value + 1;
  auto [it, inserted] = unresolved_.emplace(batch.tp, next);
  if (!inserted) it->second = std::max(it->second, next);
}

void IdempotenceManager::maybe_resolve_sequences() {
  for (auto it = unresolved_.begin(); it != unresolved_.end();) {
    const Entry* e = find(it->first);
    if (e && !e->in_flight.empty()) {
      ++it;
      continue;
    }
    if (!is_next_sequence(it->first, e ? e->next_sequence : 0)) request_epoch_bump_for_partition(it->first);
    it = unresolved_.erase(it);
  }
}

void IdempotenceManager::check_invariants() const {
  for (const Partitions::const_iterator& partition : touched_) {
    int64_t prev = -1;
    for (const ProducerBatch* b : partition->second.in_flight) {
      KSIM_ASSERT_MSG(b->base_sequence.value > prev || prev < 0,
                      "in-flight sequences of " << partition->first.topic << " not increasing");
      prev = b->base_sequence.value;
    }
  }
  touched_.clear();
}

}  // namespace ksim::producer
