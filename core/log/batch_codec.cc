#include "core/log/batch_codec.h"

#include "core/base/byte_codec.h"

#include <cstring>

namespace ksim {
namespace {

constexpr uint32_t kBatchEntryMagic = 0x6b62a7c2;  // marks a ksim batch entry


}  // namespace

std::string encode_batch(const RecordBatch& b) {
  // One allocation: the exact size, field by field as written below.
  size_t bytes = sizeof(kBatchEntryMagic) + sizeof(b.base_offset.value) + sizeof(b.partition_leader_epoch.value) +
                 sizeof(b.producer_id.value) + sizeof(b.producer_epoch.value) + sizeof(b.base_sequence.value) +
                 sizeof(uint32_t);
  for (const Record& r : b.records)
    bytes += sizeof(r.id.value) + 1 + sizeof(uint32_t) + r.key.size() + sizeof(r.value_bytes) + sizeof(r.timestamp_ms) +
             sizeof(uint32_t) + r.value.size();
  ByteWriter w;
  w.reserve(bytes);
  w.put(kBatchEntryMagic);
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
    w.put_string(r.value);
  }
  return w.take();
}

std::optional<RecordBatch> decode_batch(const std::string& bytes) {
  ByteReader r(bytes);
  RecordBatch b;
  uint32_t magic = 0, count = 0;
  if (!r.get(magic) || magic != kBatchEntryMagic) return std::nullopt;
  if (!r.get(b.base_offset.value) || !r.get(b.partition_leader_epoch.value) || !r.get(b.producer_id.value) ||
      !r.get(b.producer_epoch.value) || !r.get(b.base_sequence.value) || !r.get(count))
    return std::nullopt;
  b.records.resize(count);
  for (Record& rec : b.records) {
    uint8_t has_key = 0;
    if (!r.get(rec.id.value) || !r.get(has_key) || !r.get_string(rec.key) || !r.get(rec.value_bytes) ||
        !r.get(rec.timestamp_ms) || !r.get_string(rec.value))
      return std::nullopt;
    rec.has_key = has_key != 0;
  }
  if (!r.done() || count == 0) return std::nullopt;
  return b;
}

}  // namespace ksim
