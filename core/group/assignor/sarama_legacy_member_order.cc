#include "core/group/assignor/sarama_legacy_member_order.h"

#include <algorithm>
#include <utility>

namespace ksim::group {
namespace {

constexpr uint32_t kFnvOffset = 2166136261u;
constexpr uint32_t kFnvPrime = 16777619u;
constexpr uint32_t kReplacementChar = 0xFFFD;

// Decodes one code point at s[i] the way Go's `for _, c := range s` does and
// advances i: an invalid or truncated sequence yields U+FFFD and consumes one byte.
uint32_t next_rune(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t length;
  uint32_t rune;
  uint32_t min;
  if ((b0 & 0xE0) == 0xC0) length = 2, rune = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) length = 3, rune = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) length = 4, rune = b0 & 0x07, min = 0x10000;
  else {
    ++i;
    return kReplacementChar;
  }
  if (i + length > s.size()) {
    ++i;
    return kReplacementChar;
  }
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kReplacementChar;
    }
    rune = (rune << 6) | (byte(i + k) & 0x3F);
  }
  if (rune < min || rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) {
    ++i;
    return kReplacementChar;
  }
  i += length;
  return rune;
}

void mix(uint32_t& h, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    h ^= next_rune(s, i);
    h *= kFnvPrime;
  }
}

}  // namespace

uint32_t sarama_legacy_member_hash(std::string_view topic, std::string_view member_id) {
  uint32_t h = kFnvOffset;
  mix(h, topic);
  mix(h, member_id);
  return h;
}

std::vector<std::string> sarama_legacy_member_order(std::string_view topic, std::vector<std::string> members) {
  std::vector<std::pair<uint32_t, std::string>> keyed;
  for (std::string& m : members) keyed.emplace_back(sarama_legacy_member_hash(topic, m), std::move(m));
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> order;
  for (auto& [hash, m] : keyed) order.push_back(std::move(m));
  return order;
}

}  // namespace ksim::group
