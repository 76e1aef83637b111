// libFuzzer target: the JSON Lines trace reader and the checkers (fuzz_targets.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ksim::fuzz::trace_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
