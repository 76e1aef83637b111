#include "core/producer/partitioner/fnv1a32.h"

namespace ksim::producer {

uint32_t fnv1a32(std::string_view bytes) {
  uint32_t h = kFnv32OffsetBasis;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnv32Prime;
  }
  return h;
}

}  // namespace ksim::producer
