#pragma once
// The properties of one direction of a network link.
#include "core/base/time.h"

namespace ksim {

struct LinkSpec {
  // One-way latency, uniform in [latency_min, latency_max].
  Duration latency_min = millis(1);
  Duration latency_max = millis(5);
  // Extra one-way delay (a "slow link" fault).
  Duration extra_delay;
  // Fraction of messages lost with their connection (a "lossy link" fault; 0 =
  // TCP-like). TCP never delivers past a hole in its stream, so each loss
  // breaks the connection as Network::lose_with_connection says.
  double loss = 0.0;
};

// One direction of a link between two nodes, as a Boost.Graph edge property.
struct LinkState {
  LinkSpec spec;
  bool up = true;
  // Arrival time of the last message sent this way: later messages never
  // arrive earlier (TCP keeps order within a connection).
  SimTime last_arrival;
  // Incremented whenever the connection breaks: messages sent under an older
  // connection are lost.
  uint64_t connection = 0;
  // A connection-lost notice to the sender is already on its way.
  bool notice_pending = false;
  // A message sent this way was lost: the connection carries nothing more
  // this way, and closes when the first endpoint notices.
  bool dead = false;
};

}  // namespace ksim
