#pragma once
// Records and record batches as the log stores them (Kafka's RecordBatch v2,
// reduced to what replication and the checkers need).
//
// A batch is the unit of append, replication and truncation: the leader stamps
// its base offset and its partition leader epoch (KIP-101) on append; an
// idempotent producer stamps producer id, epoch and base sequence (KIP-98).
// Sizes are simulated bytes, close to Kafka's wire format so that
// batch.size, fetch.max.bytes and log.segment.bytes behave as in Kafka.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/ids.h"

namespace ksim {

// User records are simulated: their value is only an id and a size. Records of
// Kafka's internal topics (__consumer_offsets) carry real key and value bytes,
// because the broker itself reads them back (the group coordinator loads its
// state from them): `key` holds the encoded key, `value` the encoded value, and
// value_bytes is value.size(). An empty value with has_key is a tombstone.
struct Record {
  RecordId id;          // ksim's record identity, carried in the value
  std::string key;      // meaningful only if has_key
  bool has_key = false;
  int32_t value_bytes = 0;  // simulated size of the value
  int64_t timestamp_ms = 0;
  std::string value = {};  // the value's bytes, for internal topics only (empty for user records)

  // DefaultRecord's size: length varint, attributes, timestamp and offset
  // deltas, key and value with their lengths, no headers (about 7 B + data).
  int64_t size_bytes() const { return 7 + (has_key ? static_cast<int64_t>(key.size()) : 0) + value_bytes; }
};

struct RecordBatch {
  static constexpr int64_t kHeaderBytes = 61;  // DefaultRecordBatch.RECORD_BATCH_OVERHEAD

  Offset base_offset;
  LeaderEpoch partition_leader_epoch{-1};
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  Sequence base_sequence{-1};
  std::vector<Record> records;

  int32_t count() const { return static_cast<int32_t>(records.size()); }
  Offset last_offset() const { return base_offset + (count() - 1); }
  // The offset after this batch (what the LEO becomes when it is appended last).
  Offset next_offset() const { return base_offset + count(); }
  bool idempotent() const { return producer_id.value >= 0; }
  Sequence last_sequence() const { return Sequence(base_sequence.value + count() - 1); }
  int64_t size_bytes() const {
    int64_t total = kHeaderBytes;
    for (const Record& r : records) total += r.size_bytes();
    return total;
  }
  bool operator==(const RecordBatch&) const = default;
};

inline bool operator==(const Record& a, const Record& b) {
  return a.id == b.id && a.key == b.key && a.has_key == b.has_key && a.value_bytes == b.value_bytes &&
         a.timestamp_ms == b.timestamp_ms && a.value == b.value;
}

}  // namespace ksim
