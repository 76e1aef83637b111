#pragma once
// Messages of the kernel demo (`ksim demo`, core/demo/gossip_node.h) and the
// kernel's own tests: a node that gossips a counter to its peers. Not part of
// Kafka's protocol, but part of the wire: Message (message.h) is one closed
// variant, so every message it carries is defined here, in core/protocol,
// and the protocol names nothing above it (tools/lint-layers.sh).
#include <cstdint>
#include <string_view>

namespace ksim::demo {

struct Gossip {
  static constexpr std::string_view kName = "Gossip";
  uint64_t counter = 0;
  int64_t size_bytes() const { return 16; }
};

}  // namespace ksim::demo
