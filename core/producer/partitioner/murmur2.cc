#include "core/producer/partitioner/murmur2.h"

#include <cstddef>

namespace ksim::producer {

int32_t murmur2(std::string_view bytes) {
  // Mixing constants of MurmurHash2 (Austin Appleby).
  constexpr uint32_t m = 0x5bd1e995U;
  constexpr int r = 24;

  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t length = bytes.size();
  // Java's length is an int; keys are far below 2^31 bytes.
  uint32_t h = kKafkaMurmur2Seed ^ static_cast<uint32_t>(length);

  // Body: little-endian 4-byte words, whatever the host's endianness.
  const size_t words = length / 4;
  for (size_t i = 0; i < words; ++i) {
    const unsigned char* w = data + 4 * i;
    uint32_t k = static_cast<uint32_t>(w[0]) | (static_cast<uint32_t>(w[1]) << 8) |
                 (static_cast<uint32_t>(w[2]) << 16) | (static_cast<uint32_t>(w[3]) << 24);
    k *= m;
    k ^= k >> r;  // Java's `>>>`: logical, since k is unsigned here
    k *= m;
    h *= m;
    h ^= k;
  }

  // Tail: the last 1-3 bytes, highest first, each case falling through.
  const unsigned char* tail = data + 4 * words;
  switch (length % 4) {
    case 3:
      h ^= static_cast<uint32_t>(tail[2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<uint32_t>(tail[1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= static_cast<uint32_t>(tail[0]);
      h *= m;
      break;
    default:
      break;
  }

  // Final avalanche.
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>(h);  // two's complement reinterpretation (C++20)
}

}  // namespace ksim::producer
