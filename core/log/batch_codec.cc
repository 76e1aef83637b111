#include "core/log/batch_codec.h"

#include <cstring>

namespace ksim {
namespace {

constexpr uint32_t kMagic = 0x6b62a7c2;  // marks a ksim batch entry

class Writer {
 public:
  template <class T>
  void put(T v) {
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out_.append(buf, sizeof(T));
  }
  void put_string(const std::string& s) {
    put(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  template <class T>
  bool get(T& v) {
    if (pos_ + sizeof(T) > in_.size()) return false;
    std::memcpy(&v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_string(std::string& s) {
    uint32_t n;
    if (!get(n) || pos_ + n > in_.size()) return false;
    s.assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  const std::string& in_;
  size_t pos_ = 0;
};

}  // namespace

std::string encode_batch(const RecordBatch& b) {
  Writer w;
  w.put(kMagic);
  w.put(b.base_offset.value);
  w.put(b.partition_leader_epoch.value);
  w.put(b.producer_id.value);
  w.put(b.producer_epoch.value);
  w.put(b.base_sequence.value);
  w.put(static_cast<uint32_t>(b.records.size()));
  for (const Record& r : b.records) {
    w.put(r.id.value);
    w.put(static_cast<uint8_t>(r.has_key));
    w.put_string(r.key);
    w.put(r.value_bytes);
    w.put(r.timestamp_ms);
  }
  return w.take();
}

std::optional<RecordBatch> decode_batch(const std::string& bytes) {
  Reader r(bytes);
  RecordBatch b;
  uint32_t magic = 0, count = 0;
  if (!r.get(magic) || magic != kMagic) return std::nullopt;
  if (!r.get(b.base_offset.value) || !r.get(b.partition_leader_epoch.value) || !r.get(b.producer_id.value) ||
      !r.get(b.producer_epoch.value) || !r.get(b.base_sequence.value) || !r.get(count))
    return std::nullopt;
  b.records.resize(count);
  for (Record& rec : b.records) {
    uint8_t has_key = 0;
    if (!r.get(rec.id.value) || !r.get(has_key) || !r.get_string(rec.key) || !r.get(rec.value_bytes) ||
        !r.get(rec.timestamp_ms))
      return std::nullopt;
    rec.has_key = has_key != 0;
  }
  if (!r.done() || count == 0) return std::nullopt;
  return b;
}

}  // namespace ksim
