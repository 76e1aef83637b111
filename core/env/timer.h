#pragma once
#include <cstdint>

namespace ksim {

// Names an armed timer so it can be cancelled. Never reused within a run.
struct TimerId {
  uint64_t value = 0;
  constexpr bool valid() const { return value != 0; }
  constexpr auto operator<=>(const TimerId&) const = default;
};

// What a timer is for, chosen by the node that arms it (its own enum, cast).
using TimerTag = uint64_t;

}  // namespace ksim
