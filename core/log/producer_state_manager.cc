#include "core/log/producer_state_manager.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim {
namespace {

// ProducerAppendInfo.inSequence.
bool in_sequence(Sequence last, Sequence next) {
  return static_cast<int64_t>(next.value) == static_cast<int64_t>(last.value) + 1 ||
         (next.value == 0 && last.value == INT32_MAX);
}

int64_t max_timestamp_ms(const RecordBatch& batch) {
  int64_t ts = -1;
  for (const Record& r : batch.records) ts = std::max(ts, r.timestamp_ms);
  return ts;
}

}  // namespace

ProducerAppendCheck ProducerStateManager::check_client_batch(const RecordBatch& batch) const {
  ProducerAppendCheck out;
  if (!batch.idempotent()) return out;
  const ProducerStateEntry* current = entry(batch.producer_id);
  const ProducerEpoch stored_epoch = current ? current->epoch : ProducerEpoch(-1);
  out.stored_epoch = stored_epoch;
  out.stored_last_seq = current ? current->last_seq() : Sequence(-1);
  const Sequence first = batch.base_sequence;

  // UnifiedLog.analyzeAndValidateProducerState: duplicates are looked for first.
  if (current) {
    out.duplicate = current->find_duplicate(batch.producer_epoch, first, batch.last_sequence());
    if (out.duplicate) return out;
  }
  // ProducerAppendInfo.checkProducerEpoch.
  if (batch.producer_epoch < stored_epoch) {
    out.error = Errc::invalid_producer_epoch;
    return out;
  }
  // ProducerAppendInfo.checkSequence.
  if (batch.producer_epoch != stored_epoch) {
    if (first.value != 0 && stored_epoch.value != -1) out.error = Errc::out_of_order_sequence_number;
    return out;
  }
  // Same epoch. With no stored epoch there is nothing to be in sequence with.
  if (stored_epoch.value != -1 && !in_sequence(out.stored_last_seq, first))
    out.error = Errc::out_of_order_sequence_number;
  return out;
}

void ProducerStateManager::on_append(const RecordBatch& batch) {
  map_end_offset_ = batch.next_offset();
  if (!batch.idempotent()) return;
  auto [it, inserted] = producers_.try_emplace(batch.producer_id);
  if (inserted) it->second.producer_id = batch.producer_id;
  // A replicated batch is not validated (AppendOrigin.REPLICATION); the leader did.
  it->second.add_batch(batch.producer_epoch, BatchMetadata{batch.base_sequence, batch.last_sequence(),
                                                           batch.base_offset, batch.last_offset(),
                                                           max_timestamp_ms(batch)});
}

void ProducerStateManager::clear(Offset log_start_offset) {
  producers_.clear();
  map_end_offset_ = log_start_offset;
}

const ProducerStateEntry* ProducerStateManager::entry(ProducerId id) const {
  auto it = producers_.find(id);
  return it == producers_.end() ? nullptr : &it->second;
}

size_t ProducerStateManager::remove_expired(int64_t now_ms, int64_t expiration_ms) {
  // ProducerStateManager.isProducerExpired (no transactions here).
  return std::erase_if(producers_,
                       [&](const auto& kv) { return now_ms - kv.second.last_timestamp_ms >= expiration_ms; });
}

void ProducerStateManager::check_invariants() const {
  for (const auto& [id, e] : producers_) {
    KSIM_ASSERT_MSG(e.producer_id == id, "producer state keyed by the wrong id");
    KSIM_ASSERT_MSG(e.batches.size() <= ProducerStateEntry::kBatchesToRetain,
                    "producer " << id.value << " caches " << e.batches.size() << " batches");
    for (size_t i = 0; i < e.batches.size(); ++i) {
      const BatchMetadata& b = e.batches[i];
      KSIM_ASSERT(b.first_offset <= b.last_offset && b.last_offset < map_end_offset_);
      if (i > 0) KSIM_ASSERT_MSG(e.batches[i - 1].last_offset < b.first_offset, "producer batches out of offset order");
    }
  }
}

}  // namespace ksim
