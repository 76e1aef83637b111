#pragma once
// Message rules: faults aimed at particular messages, such as "drop the 3rd
// Produce response from broker-1 to p1" (a lost acknowledgement) or "hold every
// Fetch from broker-2 until released".
#include <cstdint>
#include <string>

#include "core/base/ids.h"

namespace ksim {

struct MessageMatch {
  std::string type;     // a message kName such as "ProduceResponse"; empty = any
  NodeId from = kNoNode;  // kNoNode = any sender
  NodeId to = kNoNode;    // kNoNode = any receiver
};

enum class RuleAction : uint8_t { drop, hold };

struct MessageRule {
  MessageMatch match;
  RuleAction action = RuleAction::drop;
  // The rule acts on matching messages number nth .. nth + count - 1 (1-based,
  // counted from when the rule was added); count < 0 means every one from nth on.
  int64_t nth = 1;
  int64_t count = 1;
  int64_t seen = 0;  // matching messages so far
  bool active = true;
};

using RuleId = uint32_t;

}  // namespace ksim
