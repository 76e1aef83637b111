#include "core/producer/record_accumulator.h"

#include <algorithm>
#include <limits>

#include "core/base/assert.h"
#include "core/producer/idempotence_manager.h"

namespace ksim::producer {

int64_t RecordAccumulator::allocation_of(int64_t first_record_bytes) const {
  return std::max<int64_t>(config_.batch_size, RecordBatch::kHeaderBytes + first_record_bytes);
}

int64_t RecordAccumulator::bytes_needed(const TopicPartition& tp, int64_t record_bytes) const {
  auto it = queues_.find(tp);
  if (it != queues_.end() && !it->second.empty()) {
    const ProducerBatch& last = *it->second.back();
    if (!last.closed && last.size_bytes() + record_bytes <= config_.batch_size) return 0;
  }
  return allocation_of(record_bytes);
}

AppendResult RecordAccumulator::append(const TopicPartition& tp, Record record, std::shared_ptr<DeliveryState> delivery,
                                       SimTime now, uint64_t& next_batch_id) {
  const auto queue = queue_of(tp);
  touch(queue);
  auto& q = queue->second;
  AppendResult r;
  const int64_t bytes = record.size_bytes();
  ProducerBatch* target = nullptr;
  if (!q.empty() && !q.back()->closed && q.back()->size_bytes() + bytes <= config_.batch_size) {
    target = q.back().get();
  } else {
    if (!q.empty()) q.back()->closed = true;  // the next record did not fit: that batch is full
    auto b = std::make_unique<ProducerBatch>();
    b->id = next_batch_id++;
    b->tp = tp;
    b->created = now;
    b->last_attempt = now;
    const int64_t alloc = allocation_of(bytes);
    KSIM_ASSERT(has_room_for(alloc));
    allocated_ += alloc;
    KSIM_ASSERT(allocations_.empty() || allocations_.back().created <= now);
    allocations_.push_back(Allocation{b->id, alloc, now});
    target = b.get();
    q.push_back(std::move(b));
    r.new_batch = true;
  }
  const int64_t before = target->size_bytes();
  target->records.push_back(std::move(record));
  target->deliveries.push_back(std::move(delivery));
  r.appended_bytes = target->size_bytes() - before;
  // Java's isFull: the batch cannot take another record of this size.
  if (target->size_bytes() + bytes > config_.batch_size) target->closed = true;
  r.batch = target;
  r.batch_full = all_batches_full(tp);
  return r;
}

bool RecordAccumulator::all_batches_full(const TopicPartition& tp) const {
  auto it = queues_.find(tp);
  if (it == queues_.end() || it->second.empty()) return true;
  return it->second.back()->closed;
}

bool RecordAccumulator::sendable(const ProducerBatch& b, SimTime now, bool exhausted, size_t queue_len,
                                 SimTime* when) const {
  if (b.retry) {
    const auto it = backoff_ms_.find(b.id);
    const SimTime due = b.last_attempt + millis(it == backoff_ms_.end() ? 0 : it->second);
    *when = due;
    return now >= due;
  }
  const bool full = queue_len > 1 || b.closed;
  const SimTime due = b.created + millis(config_.linger_ms);
  *when = due;
  return full || exhausted || now >= due;
}

std::optional<SimTime> RecordAccumulator::ready(SimTime now, bool exhausted,
                                                std::vector<TopicPartition>* sendable_out) const {
  if (sendable_out) sendable_out->clear();
  std::optional<SimTime> next_check;
  // Order does not matter here (a set of partitions and a minimum): the flat
  // list is cheaper to walk than the map.
  for (const Queues::const_iterator& queue : by_creation_) {
    const Queue& q = queue->second;
    if (q.empty()) continue;
    SimTime when;
    if (sendable(*q.front(), now, exhausted, q.size(), &when)) {
      if (sendable_out) sendable_out->push_back(queue->first);
    } else if (!next_check || when < *next_check) {
      next_check = when;
    }
  }
  return next_check;
}

std::vector<std::unique_ptr<ProducerBatch>> RecordAccumulator::drain(uint32_t node_key,
                                                                     const std::vector<TopicPartition>& partitions,
                                                                     int32_t max_request_size, SimTime now,
                                                                     IdempotenceManager* idem, Rng& /*rng*/) {
  std::vector<std::unique_ptr<ProducerBatch>> out;
  if (partitions.empty()) return out;
  int64_t size = 0;
  size_t& index = drain_index_[node_key];
  const size_t start = index % partitions.size();
  size_t i = start;
  do {
    const TopicPartition& tp = partitions[i];
    i = (i + 1) % partitions.size();
    index = i;
    auto it = queues_.find(tp);
    if (it == queues_.end() || it->second.empty()) continue;
    auto& q = it->second;
    ProducerBatch& first = *q.front();
    SimTime when;
    if (first.retry && !sendable(first, now, false, q.size(), &when)) continue;  // backing off
    if (size + first.size_bytes() > max_request_size && !out.empty()) break;
    if (idem && idem->should_stop_drain(first)) break;  // Java breaks out of the node's loop here
    std::unique_ptr<ProducerBatch> b = std::move(q.front());
    q.pop_front();
    touch(it);
    if (idem && !b->has_sequence()) idem->assign_sequence(*b);
    b->closed = true;
    b->retry = false;
    backoff_ms_.erase(b->id);
    size += b->size_bytes();
    out.push_back(std::move(b));
  } while (i != start);
  return out;
}

void RecordAccumulator::reenqueue(std::unique_ptr<ProducerBatch> batch, SimTime now, Rng& rng) {
  batch->retry = true;
  batch->last_attempt = now;
  backoff_ms_[batch->id] = backoff_.backoff_ms(batch->attempts > 0 ? batch->attempts - 1 : 0, rng);
  const auto queue = queue_of(batch->tp);
  touch(queue);
  auto& q = queue->second;
  if (batch->has_sequence()) {
    // insertInSequenceOrder: before the first queued batch with a larger
    // sequence or without one.
    auto pos = q.begin();
    while (pos != q.end() && (*pos)->has_sequence() && (*pos)->base_sequence < batch->base_sequence) ++pos;
    q.insert(pos, std::move(batch));
  } else {
    q.push_front(std::move(batch));
  }
}

size_t RecordAccumulator::split_and_reenqueue(std::unique_ptr<ProducerBatch> big, uint64_t& next_batch_id,
                                             IdempotenceManager* idem) {
  KSIM_ASSERT(big->count() > 1);
  // KAFKA-8350: a split batch refused again is cut in halves (never below its
  // largest record), not at batch.size once more.
  const int64_t split_bytes =
      big->split ? std::max(big->max_record_bytes(), big->size_bytes() / 2) : int64_t{config_.batch_size};
  deallocate(*big);
  std::vector<std::unique_ptr<ProducerBatch>> pieces;
  for (size_t i = 0; i < big->records.size(); ++i) {
    const int64_t bytes = big->records[i].size_bytes();
    // ProducerBatch.split: a new batch when the record does not fit the current one.
    if (pieces.empty() || pieces.back()->size_bytes() + bytes > split_bytes) {
      auto b = std::make_unique<ProducerBatch>();
      b->id = next_batch_id++;
      b->tp = big->tp;
      b->created = big->created;  // "Retain the create time of the original batch"
      b->last_attempt = big->created;
      b->closed = true;
      b->split = true;
      pieces.push_back(std::move(b));
    }
    pieces.back()->records.push_back(std::move(big->records[i]));
    pieces.back()->deliveries.push_back(std::move(big->deliveries[i]));
  }
  if (big->has_sequence()) {
    // ProducerBatch.split: the pieces take the original's sequences in turn.
    int64_t sequence = big->base_sequence.value;
    for (auto& b : pieces) {
      b->producer_id = big->producer_id;
      b->producer_epoch = big->producer_epoch;
      b->base_sequence = Sequence(static_cast<int32_t>(sequence));
      sequence += b->count();
      if (sequence > std::numeric_limits<int32_t>::max()) sequence -= int64_t{std::numeric_limits<int32_t>::max()} + 1;
    }
  }
  // Off the buffer pool (createBatchOffAccumulatorForRecord): 0 bytes, listed
  // for the delivery deadline only.
  auto at = std::upper_bound(allocations_.begin(), allocations_.end(), big->created,
                             [](SimTime t, const Allocation& a) { return t < a.created; });
  for (const auto& b : pieces) at = allocations_.insert(at, Allocation{b->id, 0, b->created}) + 1;
  const auto queue = queue_of(big->tp);
  touch(queue);
  auto& q = queue->second;
  const size_t count = pieces.size();
  // Last piece first, each to the front (dq.pollLast, addFirst), or in
  // sequence order under idempotence (addInFlightBatch, insertInSequenceOrder).
  for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
    std::unique_ptr<ProducerBatch> b = std::move(*it);
    if (idem && b->has_sequence()) {
      idem->add_in_flight(*b);
      auto pos = q.begin();
      while (pos != q.end() && (*pos)->has_sequence() && (*pos)->base_sequence < b->base_sequence) ++pos;
      q.insert(pos, std::move(b));
    } else {
      q.push_front(std::move(b));
    }
  }
  return count;
}

std::vector<std::unique_ptr<ProducerBatch>> RecordAccumulator::expire(SimTime now) {
  std::vector<std::unique_ptr<ProducerBatch>> out;
  for (auto queue = queues_.begin(); queue != queues_.end(); ++queue) {
    Queue& q = queue->second;
    for (auto it = q.begin(); it != q.end();) {
      if (now >= (*it)->created + millis(config_.delivery_timeout_ms)) {
        touch(queue);
        backoff_ms_.erase((*it)->id);
        out.push_back(std::move(*it));
        it = q.erase(it);
      } else {
        ++it;
      }
    }
  }
  return out;
}

std::optional<SimTime> RecordAccumulator::earliest_deadline() const {
  if (allocations_.empty()) return std::nullopt;
  return allocations_.front().created + millis(config_.delivery_timeout_ms);
}

void RecordAccumulator::deallocate(const ProducerBatch& batch) {
  auto it = std::find_if(allocations_.begin(), allocations_.end(),
                         [&](const Allocation& a) { return a.batch_id == batch.id; });
  if (it == allocations_.end()) return;
  allocated_ -= it->bytes;
  allocations_.erase(it);
}

size_t RecordAccumulator::queued_batches() const {
  size_t n = 0;
  for (const auto& [tp, q] : queues_) n += q.size();
  return n;
}

RecordAccumulator::Queues::iterator RecordAccumulator::queue_of(const TopicPartition& tp) {
  const auto [queue, inserted] = queues_.try_emplace(tp);
  if (inserted) by_creation_.push_back(queue);
  return queue;
}

void RecordAccumulator::touch(Queues::const_iterator queue) {
  if (std::find(touched_.begin(), touched_.end(), queue) == touched_.end()) touched_.push_back(queue);
}

void RecordAccumulator::check_invariants() const {
  int64_t sum = 0;
  for (const Allocation& a : allocations_) sum += a.bytes;
  KSIM_ASSERT_MSG(sum == allocated_, "accumulator allocations " << sum << " != allocated " << allocated_);
  KSIM_ASSERT(allocated_ <= config_.buffer_memory || allocations_.size() == 1);
  for (const Queues::const_iterator& queue : touched_) {
    const Queue& q = queue->second;
    for (size_t i = 0; i + 1 < q.size(); ++i)
      KSIM_ASSERT_MSG(q[i]->closed || q[i]->retry,
                      "an open batch of " << queue->first.topic << " is not the last in its queue");
  }
  touched_.clear();
}

}  // namespace ksim::producer
