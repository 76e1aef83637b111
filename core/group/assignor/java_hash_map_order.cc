#include "core/group/assignor/java_hash_map_order.h"

#include <algorithm>
#include <map>
#include <numeric>


namespace ksim::group {
namespace {

constexpr size_t kInitialCapacity = 16;      // HashMap.DEFAULT_INITIAL_CAPACITY
constexpr size_t kTreeifyThreshold = 8;      // HashMap.TREEIFY_THRESHOLD
constexpr size_t kMinTreeifyCapacity = 64;   // HashMap.MIN_TREEIFY_CAPACITY

// Decodes one UTF-8 sequence at s[i]; returns the code point, or U+FFFD for a
// malformed one (then consumes one byte).
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  size_t len = 0;
  uint32_t cp = 0;
  if (b0 < 0x80) { ++i; return b0; }
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1Fu; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0Fu; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07u; }
  if (len == 0 || i + len > s.size()) { ++i; return 0xFFFD; }
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) { ++i; return 0xFFFD; }
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { ++i; return 0xFFFD; }
  i += len;
  return cp;
}

uint32_t spread(int32_t h) {
  const uint32_t u = static_cast<uint32_t>(h);
  return u ^ (u >> 16);
}

}  // namespace

int32_t java_string_hash(std::string_view s) {
  uint32_t h = 0;  // Java's int arithmetic wraps; unsigned arithmetic gives the same bits
  for (size_t i = 0; i < s.size();) {
    const uint32_t cp = next_code_point(s, i);
    if (cp < 0x10000) {
      h = 31 * h + cp;
    } else {  // a surrogate pair
      h = 31 * h + (0xD800 + ((cp - 0x10000) >> 10));
      h = 31 * h + (0xDC00 + ((cp - 0x10000) & 0x3FF));
    }
  }
  return static_cast<int32_t>(h);
}

std::vector<std::string> java_hash_map_order(const std::vector<std::string>& keys) {
  std::vector<uint32_t> spread_hash;
  for (const std::string& k : keys) spread_hash.push_back(spread(java_string_hash(k)));

  // Steps 2 and 3: only the final capacity matters, since buckets keep insertion order.
  size_t capacity = kInitialCapacity;
  std::map<uint32_t, size_t> bucket_sizes;
  const auto recount = [&](size_t inserted) {
    bucket_sizes.clear();
    for (size_t j = 0; j < inserted; ++j) ++bucket_sizes[spread_hash[j] & (capacity - 1)];
  };
  for (size_t i = 0; i < keys.size(); ++i) {
    size_t& in_bucket = bucket_sizes[spread_hash[i] & (capacity - 1)];
    ++in_bucket;
    if (in_bucket > kTreeifyThreshold && capacity < kMinTreeifyCapacity) {
      // putVal calls treeifyBin once the bucket holds more than 8, and
      // treeifyBin resizes a small table instead of making a tree.
      capacity *= 2;
      recount(i + 1);
    }
    if (i + 1 > capacity / 4 * 3) {  // ++size > threshold
      capacity *= 2;
      recount(i + 1);
    }
  }

  // Steps 1 and 4.
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (spread_hash[a] & (capacity - 1)) < (spread_hash[b] & (capacity - 1));
  });
  std::vector<std::string> out;
  for (size_t i : order) out.push_back(keys[i]);
  return out;
}

}  // namespace ksim::group
