#pragma once
// ProducerStateEntry: what one partition replica remembers about one
// idempotent producer (KIP-98): its current epoch and the metadata of the last
// five batches it appended here. Kafka's ProducerStateEntry and BatchMetadata
// (storage/.../internals/log/).
//
// Why five: a producer keeps at most max.in.flight.requests.per.connection = 5
// requests in flight with idempotence, so a retry can only be a duplicate of
// one of the last five batches it sent to this partition. A retry of anything
// older cannot happen with a correct client; if it does, it is not recognised
// and fails the sequence check (OUT_OF_ORDER_SEQUENCE_NUMBER).
//
// Invariants:
//   1. at most kBatchesToRetain batches, oldest first;
//   2. consecutive batches have consecutive sequences (modulo wrap-around at
//      Int32 max) and increasing offsets (a replica may hold batches of
//      several epochs only across an epoch change, which clears the list).
#include <cstdint>
#include <deque>
#include <optional>

#include "core/base/ids.h"

namespace ksim {

// One appended batch of a producer (Kafka's BatchMetadata keeps last sequence,
// last offset and the offset delta; first values are kept here directly).
struct BatchMetadata {
  Sequence first_seq{-1};
  Sequence last_seq{-1};
  Offset first_offset{-1};
  Offset last_offset{-1};
  int64_t timestamp_ms = -1;  // the batch's max timestamp
  bool operator==(const BatchMetadata&) const = default;
};

struct ProducerStateEntry {
  // ProducerStateEntry.NUM_BATCHES_TO_RETAIN.
  static constexpr size_t kBatchesToRetain = 5;

  ProducerId producer_id{-1};
  ProducerEpoch epoch{-1};  // -1 (RecordBatch.NO_PRODUCER_EPOCH): nothing known
  std::deque<BatchMetadata> batches;
  int64_t last_timestamp_ms = -1;

  bool empty() const { return batches.empty(); }
  // RecordBatch.NO_SEQUENCE (-1) when no batch is cached.
  Sequence last_seq() const { return batches.empty() ? Sequence(-1) : batches.back().last_seq; }

  // ProducerStateEntry.addBatch: a new epoch forgets the old epoch's batches;
  // the oldest of six is dropped.
  void add_batch(ProducerEpoch batch_epoch, const BatchMetadata& batch) {
    if (batch_epoch != epoch) {
      batches.clear();
      epoch = batch_epoch;
    }
    if (batches.size() == kBatchesToRetain) batches.pop_front();
    batches.push_back(batch);
    last_timestamp_ms = batch.timestamp_ms;
  }

  // ProducerStateEntry.findDuplicateBatch: same epoch and the exact sequence
  // range of a cached batch.
  std::optional<BatchMetadata> find_duplicate(ProducerEpoch batch_epoch, Sequence first, Sequence last) const {
    if (batch_epoch != epoch) return std::nullopt;
    for (const BatchMetadata& b : batches)
      if (b.first_seq == first && b.last_seq == last) return b;
    return std::nullopt;
  }

  bool operator==(const ProducerStateEntry&) const = default;
};

}  // namespace ksim
