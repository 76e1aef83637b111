#pragma once
// EventQueue: the scheduler's priority queue. Events run in (time, sequence)
// order, where the sequence is the order in which they were scheduled, so
// events at the same virtual time run in insertion order: a run never depends
// on heap internals.
//
// A 4-ary implicit heap over a vector of small POD entries: no allocation per
// event once the vector has grown, and shallower than a binary heap (fewer cache
// misses per pop). Payload must be trivially copyable.
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/base/assert.h"
#include "core/base/time.h"

namespace ksim {

template <class Payload>
class EventQueue {
  static_assert(std::is_trivially_copyable_v<Payload>, "event payloads are POD");

 public:
  struct Entry {
    SimTime at;
    uint64_t seq;
    Payload payload;
  };

  // Schedules `payload` at `at`; returns its sequence number.
  uint64_t push(SimTime at, const Payload& payload) {
    const uint64_t seq = next_seq_++;
    heap_.push_back(Entry{at, seq, payload});
    sift_up(heap_.size() - 1);
    return seq;
  }

  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  const Entry& top() const {
    KSIM_ASSERT(!heap_.empty());
    return heap_.front();
  }

  Entry pop() {
    KSIM_ASSERT(!heap_.empty());
    Entry out = heap_.front();
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down_from_root(last);
    return out;
  }

  void reserve(size_t n) { heap_.reserve(n); }
  uint64_t scheduled_count() const { return next_seq_; }

 private:
  static constexpr size_t kArity = 4;

  static bool before(const Entry& a, const Entry& b) {
    return a.at < b.at || (a.at == b.at && a.seq < b.seq);
  }

  void sift_up(size_t i) {
    const Entry moving = heap_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      if (!before(moving, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = moving;
  }

  // Places `moving` (the former last element) starting at the root.
  void sift_down_from_root(const Entry& moving) {
    const size_t n = heap_.size();
    size_t i = 0;
    for (;;) {
      const size_t first = i * kArity + 1;
      if (first >= n) break;
      size_t best = first;
      const size_t end = first + kArity < n ? first + kArity : n;
      for (size_t c = first + 1; c < end; ++c)
        if (before(heap_[c], heap_[best])) best = c;
      if (!before(heap_[best], moving)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = moving;
  }

  std::vector<Entry> heap_;
  uint64_t next_seq_ = 0;
};

}  // namespace ksim
