#pragma once
// CowChunkedVector: a growable sequence stored in fixed-size chunks shared
// copy-on-write between copies. The replay model keeps a snapshot of the whole
// cluster state every few thousand events; with partition logs stored this way
// a snapshot costs one pointer per chunk instead of one copy per record, and a
// later append or truncation clones only the chunk it touches.
//
// Invariants:
//   1. every chunk but the last holds exactly kChunk elements; the last holds
//      size() - kChunk * (chunks - 1) elements, at least 1;
//   2. a chunk is mutated only while this vector is its sole owner.
// Single-threaded: use_count() is exact without concurrent copies.
#include <cstddef>
#include <memory>
#include <vector>

namespace ksim::viz {

template <class T>
class CowChunkedVector {
 public:
  static constexpr size_t kChunk = 256;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }
  const T& back() const { return (*this)[size_ - 1]; }

  void push_back(const T& v) {
    if (size_ % kChunk == 0) {
      chunks_.push_back(std::make_shared<std::vector<T>>());
      chunks_.back()->reserve(kChunk);
    }
    own(chunks_.size() - 1).push_back(v);
    ++size_;
  }

  // Keeps the first n elements (no-op if n >= size()).
  void truncate(size_t n) {
    if (n >= size_) return;
    const size_t keep_chunks = (n + kChunk - 1) / kChunk;
    chunks_.resize(keep_chunks);
    if (n % kChunk != 0) own(keep_chunks - 1).resize(n % kChunk);
    size_ = n;
  }

  // Element-wise: two vectors that share no chunk can still be equal.
  bool operator==(const CowChunkedVector& o) const {
    if (size_ != o.size_) return false;
    for (size_t c = 0; c < chunks_.size(); ++c)
      if (chunks_[c] != o.chunks_[c] && *chunks_[c] != *o.chunks_[c]) return false;
    return true;
  }

 private:
  std::vector<T>& own(size_t c) {
    auto& p = chunks_[c];
    if (p.use_count() > 1) {
      auto copy = std::make_shared<std::vector<T>>();
      copy->reserve(kChunk);
      copy->assign(p->begin(), p->end());
      p = std::move(copy);
    }
    return *p;
  }

  std::vector<std::shared_ptr<std::vector<T>>> chunks_;
  size_t size_ = 0;
};

}  // namespace ksim::viz
