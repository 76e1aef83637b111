#pragma once
// The fault kinds `ksim explore --faults crash,pause` may draw: the kinds of
// the fault registry (sim/fault/fault_kind.h) that say how to draw them. Each
// is a window in time where it has one (a crash until the restart, a pause,
// an isolation until the heal, a slow link until it is restored) or an
// instant (a dropped produce response):
//
//   crash        a process crash, then a restart after the window
//   power_loss   a crash that loses unflushed writes, then a restart
//   pause        stop-the-world for the window (a long GC)
//   isolate      every link of one node cut for the window
//   partition    the controller and brokers split in two groups for the window
//   cut          one link cut (both ways or one way) for the window
//   slow_link    extra one-way delay on one link for the window
//   lossy_link   a fraction of one link's messages lost for the window
//   drop         a lost ProduceResponse: a lost ack
//   hold         FetchResponses from a leader (or Fetches from a follower)
//                held back for the window: a stalled but connected follower
//
// "restart" and "heal"/"release" are not drawn on their own: they end the
// windows above. How each kind draws is in its file, sim/fault/kinds/.
#include <string>
#include <string_view>
#include <vector>

#include "sim/fault/fault_kind.h"

namespace ksim::explore {

using ksim::FaultKind;

// Every kind explore can draw, in registry order.
std::vector<const FaultKind*> all_fault_kinds();
inline std::string_view fault_kind_name(const FaultKind* kind) { return kind->name; }
const FaultKind* parse_fault_kind(std::string_view name);

struct FaultKindsParse {
  std::vector<const FaultKind*> kinds;
  std::string error;  // set when a name is unknown: which, and the nearest known one
};
// "crash,pause,drop" (or "all"); '-' for '_' accepted.
FaultKindsParse parse_fault_kinds(std::string_view list);

// The registry's kind by name, for tests and callers that know it is drawable.
const FaultKind* fault_kind(std::string_view name);

}  // namespace ksim::explore
