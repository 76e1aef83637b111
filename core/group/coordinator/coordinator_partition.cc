#include "core/group/coordinator/coordinator_partition.h"

#include "core/base/assert.h"

namespace ksim {
namespace {

// Appends one UTF-16 code unit to the running hash (h * 31 + c, wrapping).
uint32_t mix(uint32_t h, uint32_t unit) { return h * 31u + unit; }

}  // namespace

int32_t java_string_hash(std::string_view s) {
  uint32_t h = 0;
  for (size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0;
    size_t len = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 >> 5) == 0x6 && i + 1 < s.size()) {
      cp = ((b0 & 0x1fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3fu);
      len = 2;
    } else if ((b0 >> 4) == 0xe && i + 2 < s.size()) {
      cp = ((b0 & 0x0fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3fu);
      len = 3;
    } else if ((b0 >> 3) == 0x1e && i + 3 < s.size()) {
      cp = ((b0 & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3fu) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3fu);
      len = 4;
    } else {
      cp = 0xfffd;  // malformed byte: Java's decoder substitutes U+FFFD
    }
    if (cp >= 0x10000) {  // a surrogate pair in UTF-16
      cp -= 0x10000;
      h = mix(h, 0xd800u + (cp >> 10));
      h = mix(h, 0xdc00u + (cp & 0x3ffu));
    } else {
      h = mix(h, cp);
    }
    i += len;
  }
  return static_cast<int32_t>(h);
}

int32_t kafka_abs(int32_t n) { return n == INT32_MIN ? 0 : (n < 0 ? -n : n); }

PartitionId offsets_partition_for(std::string_view group_id, int32_t num_partitions) {
  KSIM_ASSERT(num_partitions > 0);
  return PartitionId(kafka_abs(java_string_hash(group_id)) % num_partitions);
}

}  // namespace ksim
