#pragma once
// Messages of the kernel demo (`ksim demo`) and the kernel's own tests: a node
// that gossips a counter to its peers. Not part of Kafka's protocol.
#include <cstdint>
#include <string_view>

namespace ksim::demo {

struct Gossip {
  static constexpr std::string_view kName = "Gossip";
  uint64_t counter = 0;
  int64_t size_bytes() const { return 16; }
};

}  // namespace ksim::demo
