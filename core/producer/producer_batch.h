#pragma once
// ProducerBatch: records bound for one partition that travel together (Java's
// ProducerBatch). Built by the RecordAccumulator, sent by the Sender, retried
// whole. Under idempotence the batch gets its producer id, epoch and base
// sequence the first time it is drained, and keeps them on every retry
// (re-stamping a retry could let the broker accept it twice), unless an epoch
// bump rewrites the sequences of the partition's in-flight batches
// (TxnPartitionMap.startSequencesAtBeginning, KIP-360).
//
// Invariants: records.size() == deliveries.size(); a closed batch takes no
// more records; size_bytes() counts the v2 batch header plus the records.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/base/time.h"
#include "core/log/record_batch.h"
#include "core/producer/delivery.h"
#include "core/protocol/topic_partition.h"

namespace ksim::producer {

struct ProducerBatch {
  uint64_t id = 0;  // the producer's running batch number, for the trace
  TopicPartition tp;
  std::vector<Record> records;
  std::vector<std::shared_ptr<DeliveryState>> deliveries;
  SimTime created;
  SimTime last_attempt;     // when it was last drained or re-enqueued
  int32_t attempts = 0;     // produce requests sent so far
  bool closed = false;      // full, or drained once: no more appends
  bool retry = false;       // re-enqueued after a failed attempt (backs off)
  bool in_flight = false;
  bool done = false;
  bool split = false;       // made by splitting a batch the broker found too large (isSplitBatch)
  // Idempotence.
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  Sequence base_sequence{-1};
  bool sequence_reset = false;  // sequences rewritten by an epoch bump

  bool has_sequence() const { return base_sequence.value >= 0; }
  int32_t count() const { return static_cast<int32_t>(records.size()); }
  Sequence last_sequence() const { return Sequence(base_sequence.value + count() - 1); }
  int64_t max_record_bytes() const {
    int64_t n = 0;
    for (const Record& r : records) n = std::max(n, r.size_bytes());
    return n;
  }
  int64_t size_bytes() const {
    int64_t n = RecordBatch::kHeaderBytes;
    for (const Record& r : records) n += r.size_bytes();
    return n;
  }
  RecordBatch to_record_batch() const {
    RecordBatch b;
    b.producer_id = producer_id;
    b.producer_epoch = producer_epoch;
    b.base_sequence = base_sequence;
    b.records = records;
    return b;
  }
};

}  // namespace ksim::producer
