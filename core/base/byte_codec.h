#pragma once
// ByteWriter / ByteReader: the little binary encoding ksim uses for what nodes
// persist (log batches, metadata records). Fixed-width values in the host's
// byte order, strings and int lists length-prefixed. The reader never reads
// past the end: a torn or garbled entry fails to decode (returns false), which
// is how recovery finds where the durable data stops.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ksim {

class ByteWriter {
 public:
  template <class T>
  void put(T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out_.append(buf, sizeof(T));
  }
  void put_bool(bool b) { put(static_cast<uint8_t>(b ? 1 : 0)); }
  void put_string(const std::string& s) {
    put(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  void put_ints(const std::vector<int32_t>& v) {
    put(static_cast<uint32_t>(v.size()));
    for (int32_t x : v) put(x);
  }
  void reserve(size_t bytes) { out_.reserve(bytes); }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(const std::string& in) : in_(in) {}
  template <class T>
  bool get(T& v) {
    if (pos_ + sizeof(T) > in_.size()) return false;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_bool(bool& b) {
    uint8_t v = 0;
    if (!get(v) || v > 1) return false;
    b = v == 1;
    return true;
  }
  bool get_string(std::string& s) {
    uint32_t n = 0;
    if (!get(n) || n > in_.size() - pos_) return false;
    s.assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool get_ints(std::vector<int32_t>& v) {
    uint32_t n = 0;
    if (!get(n) || static_cast<uint64_t>(n) * sizeof(int32_t) > in_.size() - pos_) return false;
    v.resize(n);
    for (auto& x : v)
      if (!get(x)) return false;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  const std::string& in_;
  size_t pos_ = 0;
};

}  // namespace ksim
