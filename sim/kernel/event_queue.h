#pragma once
// EventQueue: the scheduler's priority queue. Events run in (time, sequence)
// order, where the sequence is the order in which they were scheduled, so
// events at the same virtual time run in insertion order: a run never depends
// on heap internals.
//
// remove_if drops entries that will never matter (cancelled timers) and
// rebuilds the heap. Keys are unique, so the order in which the remaining
// events run is exactly what it would have been.
//
// A 4-ary implicit heap, stored as two parallel arrays: the (time, seq) keys
// packed in 128-bit integers, and the payloads. Choosing the smallest child
// reads one run of four keys (64 bytes, a cache line), and nothing allocates
// per event once the arrays have grown. Payload must be trivially copyable.
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/base/assert.h"
#include "core/base/time.h"

namespace ksim {

template <class Payload>
class EventQueue {
  static_assert(std::is_trivially_copyable_v<Payload>, "event payloads are POD");
  using Key = unsigned __int128;

 public:
  struct Entry {
    SimTime at;
    uint64_t seq;
    Payload payload;
  };

  // Schedules `payload` at `at`; returns its sequence number.
  uint64_t push(SimTime at, const Payload& payload) {
    KSIM_ASSERT(at.us >= 0);  // the key treats times as unsigned
    const uint64_t seq = next_seq_++;
    keys_.push_back(make_key(at, seq));
    payloads_.push_back(payload);
    sift_up(keys_.size() - 1);
    return seq;
  }

  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }
  Entry top() const {
    KSIM_ASSERT(!keys_.empty());
    return entry(0);
  }

  Entry pop() {
    KSIM_ASSERT(!keys_.empty());
    Entry out = entry(0);
    const Key last_key = keys_.back();
    const Payload last_payload = payloads_.back();
    keys_.pop_back();
    payloads_.pop_back();
    if (!keys_.empty()) sift_down(0, last_key, last_payload);
    return out;
  }

  // Removes every entry whose payload satisfies `pred` (called once per entry,
  // in array order) and restores the heap; O(size).
  template <class Pred>
  size_t remove_if(Pred&& pred) {
    size_t kept = 0;
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (pred(payloads_[i])) continue;
      keys_[kept] = keys_[i];
      payloads_[kept] = payloads_[i];
      ++kept;
    }
    const size_t removed = keys_.size() - kept;
    keys_.resize(kept);
    payloads_.resize(kept);
    // Floyd's heap construction: sift down every parent, last to first.
    if (kept > 1)
      for (size_t i = (kept - 2) / kArity + 1; i-- > 0;) sift_down(i, keys_[i], payloads_[i]);
    return removed;
  }

  void reserve(size_t n) {
    keys_.reserve(n);
    payloads_.reserve(n);
  }
  uint64_t scheduled_count() const { return next_seq_; }

 private:
  static constexpr size_t kArity = 4;

  static Key make_key(SimTime at, uint64_t seq) {
    return (static_cast<Key>(static_cast<uint64_t>(at.us)) << 64) | seq;
  }
  Entry entry(size_t i) const {
    return Entry{SimTime{static_cast<int64_t>(static_cast<uint64_t>(keys_[i] >> 64))},
                 static_cast<uint64_t>(keys_[i]), payloads_[i]};
  }

  void sift_up(size_t i) {
    const Key key = keys_[i];
    const Payload payload = payloads_[i];
    while (i > 0) {
      const size_t parent = (i - 1) / kArity;
      if (!(key < keys_[parent])) break;
      keys_[i] = keys_[parent];
      payloads_[i] = payloads_[parent];
      i = parent;
    }
    keys_[i] = key;
    payloads_[i] = payload;
  }

  // Places (key, payload) in the subtree rooted at `i`, whose children are heaps.
  void sift_down(size_t i, Key key, Payload payload) {
    const size_t n = keys_.size();
    const Key* keys = keys_.data();
    for (;;) {
      const size_t first = i * kArity + 1;
      if (first >= n) break;
      size_t best = first;
      Key best_key = keys[first];
      const size_t end = first + kArity < n ? first + kArity : n;
      for (size_t c = first + 1; c < end; ++c) {
        const bool smaller = keys[c] < best_key;
        best = smaller ? c : best;
        best_key = smaller ? keys[c] : best_key;
      }
      if (!(best_key < key)) break;
      keys_[i] = best_key;
      payloads_[i] = payloads_[best];
      i = best;
    }
    keys_[i] = key;
    payloads_[i] = payload;
  }

  std::vector<Key> keys_;
  std::vector<Payload> payloads_;
  uint64_t next_seq_ = 0;
};

}  // namespace ksim
