#pragma once
// RecordAccumulator: where send() leaves records until the sender takes them
// (Java's RecordAccumulator). One queue of batches per partition; records go
// into the last open batch of their partition, or a new one.
//
//   * batch.size: a batch is full when the next record would not fit; a record
//     larger than batch.size gets a batch of its own (Java allocates
//     max(batch.size, record size)).
//   * linger.ms: a batch is sendable when full, when it waited linger.ms, when
//     a later batch exists behind it, or when memory is exhausted (senders
//     blocked on buffer.memory). A retried batch waits its backoff instead.
//   * buffer.memory: every open or in-flight batch holds its allocation
//     (max(batch.size, its first record)) until it completes; an append that
//     would exceed buffer.memory must wait (KafkaProducer blocks up to
//     max.block.ms; ksim's producer parks the send, see kafka_producer.h).
//   * drain(node): for each partition the node leads, in rotation from where
//     the last drain stopped (drainIndex, against starvation), take the first
//     batch unless it backs off, it would push the request over
//     max.request.size, or idempotence says to wait; one batch per partition per
//     request.
//   * expiry: a batch whose delivery.timeout.ms passed since creation fails.
//   * split (Sender.completeBatch -> splitAndReenqueue, ProducerBatch.split,
//     KIP-126): a batch of several records the broker refused with
//     MESSAGE_TOO_LARGE is cut into batches of at most batch.size, or, when
//     it is itself a split batch, of max(its largest record, half its size)
//     (KAFKA-8350, Kafka 4.2: splitting at batch.size again would remake the
//     same batch forever). The pieces keep the original's creation time and
//     its sequence range (each takes the next base sequence), count as never
//     tried, and go back to the front of the queue (in sequence order under
//     idempotence). Like Kafka's, they are allocated off the buffer pool:
//     they hold no buffer.memory.
//
// Invariants: allocated bytes = the allocations of live batches (split
// batches count with 0 bytes: they are listed only for earliest_deadline);
// allocations are in creation-time order; a partition's
// queue holds at most one batch that is not closed, and it is the last one.
// check_invariants runs after every event of the producer's node, so it sums
// the live allocations (a flat list) but re-checks only the queues changed
// since it last ran: a queue changes only through append, drain, reenqueue
// and expire, which mark it touched.
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/base/exponential_backoff.h"
#include "core/producer/producer_batch.h"

namespace ksim::producer {

class IdempotenceManager;

struct AccumulatorConfig {
  int32_t batch_size = 16384;
  int64_t linger_ms = 5;
  int64_t buffer_memory = 33554432;
  int32_t delivery_timeout_ms = 120000;
  int64_t retry_backoff_ms = 100;
  int64_t retry_backoff_max_ms = 1000;
};

struct AppendResult {
  ProducerBatch* batch = nullptr;
  bool new_batch = false;
  int64_t appended_bytes = 0;
  bool batch_full = false;  // the partition's queue has no incomplete batch now
};

class RecordAccumulator {
 public:
  explicit RecordAccumulator(const AccumulatorConfig& config) : config_(config), backoff_(config.retry_backoff_ms, config.retry_backoff_max_ms) {}

  // Bytes a record of `record_bytes` would need to allocate (0: fits an open batch).
  int64_t bytes_needed(const TopicPartition& tp, int64_t record_bytes) const;
  bool has_room_for(int64_t bytes) const { return allocated_ + bytes <= config_.buffer_memory; }
  // Appends; the caller checked has_room_for(bytes_needed(...)).
  AppendResult append(const TopicPartition& tp, Record record, std::shared_ptr<DeliveryState> delivery, SimTime now,
                      uint64_t& next_batch_id);
  // Whether the partition has no incomplete (open, not full) batch.
  bool all_batches_full(const TopicPartition& tp) const;

  // The partitions whose head batch is sendable, in no particular order, into
  // `sendable` (cleared first; nullptr: not wanted), and the earliest time a
  // not yet sendable head batch becomes sendable. `exhausted`: someone waits
  // for memory.
  std::optional<SimTime> ready(SimTime now, bool exhausted, std::vector<TopicPartition>* sendable) const;

  // Drains up to one batch per partition of `partitions` (the node's, in order),
  // at most max_request_size bytes in all (a single oversized batch still goes).
  std::vector<std::unique_ptr<ProducerBatch>> drain(uint32_t node_key, const std::vector<TopicPartition>& partitions,
                                                    int32_t max_request_size, SimTime now, IdempotenceManager* idem,
                                                    Rng& rng);
  // A failed attempt: back into its queue for a retry (in sequence order under
  // idempotence, Java's insertInSequenceOrder; at the front otherwise).
  void reenqueue(std::unique_ptr<ProducerBatch> batch, SimTime now, Rng& rng);
  // A batch refused with MESSAGE_TOO_LARGE (more than one record): split as
  // the header says; returns the number of pieces. `idem` (nullptr without
  // idempotence) tracks the pieces in flight (addInFlightBatch) in place of
  // `big`, which the caller removed first.
  size_t split_and_reenqueue(std::unique_ptr<ProducerBatch> big, uint64_t& next_batch_id, IdempotenceManager* idem);
  // Queued batches whose delivery.timeout.ms passed; removed from the queues.
  std::vector<std::unique_ptr<ProducerBatch>> expire(SimTime now);
  // The earliest delivery deadline among the batches that hold memory: queued
  // ones and those in flight that have not completed (KafkaProducer expires
  // both). Batch ids grow with creation time, so it is the oldest allocation's
  // deadline: O(1), and nothing can expire before it.
  std::optional<SimTime> earliest_deadline() const;
  // A completed batch gives back its memory.
  void deallocate(const ProducerBatch& batch);

  int64_t allocated_bytes() const { return allocated_; }
  size_t queued_batches() const;
  bool has_queued() const { return queued_batches() > 0; }
  void check_invariants() const;

 private:
  int64_t allocation_of(int64_t first_record_bytes) const;
  bool sendable(const ProducerBatch& b, SimTime now, bool exhausted, size_t queue_len, SimTime* when) const;

  using Queue = std::deque<std::unique_ptr<ProducerBatch>>;
  using Queues = std::map<TopicPartition, Queue>;
  // Records that the queue changed (check_invariants looks at it again).
  void touch(Queues::const_iterator queue);
  // The partition's queue, created empty if new.
  Queues::iterator queue_of(const TopicPartition& tp);

  AccumulatorConfig config_;
  ExponentialBackoff backoff_;
  int64_t allocated_ = 0;
  Queues queues_;  // entries are never erased, so iterators to them stay valid
  std::vector<Queues::const_iterator> by_creation_;  // queues_ as a flat list, for ready()'s scan
  struct Allocation {
    uint64_t batch_id = 0;
    int64_t bytes = 0;
    SimTime created;  // the batch's
  };
  // The live batches' memory, in creation-time order (earliest_deadline);
  // batches mostly complete oldest first, so deallocate finds them near the
  // front. New batches have growing ids and times; split pieces keep their
  // original's time and are inserted where it was.
  std::vector<Allocation> allocations_;
  mutable std::vector<Queues::const_iterator> touched_;  // since the last check_invariants
  std::map<uint32_t, size_t> drain_index_;   // per node
  std::map<uint64_t, int64_t> backoff_ms_;   // retrying batch id -> its drawn backoff
};

}  // namespace ksim::producer
