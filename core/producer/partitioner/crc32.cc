#include "core/producer/partitioner/crc32.h"

#include <array>

namespace ksim::producer {
namespace {

// The byte-at-a-time table of the reflected CRC-32 polynomial.
constexpr std::array<uint32_t, 256> make_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int bit = 0; bit < 8; ++bit) c = (c & 1U) ? (0xEDB88320U ^ (c >> 1)) : (c >> 1);
    table[n] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kTable = make_table();

}  // namespace

uint32_t crc32_ieee(std::string_view bytes) {
  uint32_t c = 0xFFFFFFFFU;
  for (const char ch : bytes) c = kTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

}  // namespace ksim::producer
