#pragma once
// Node: a simulated process (a broker, the controller, a client). It is a state
// machine: handlers run to completion and act only through the Env it was built
// with. A crash destroys the object (volatile state and timers die with it); a
// restart builds a new one over the same Storage, and start() recovers from it.
#include "core/base/ids.h"
#include "core/env/connection.h"
#include "core/env/timer.h"
#include "core/protocol/message.h"

namespace ksim {

class Node {
 public:
  virtual ~Node() = default;

  // The process starts (run start or restart). Recover from Env::storage() here.
  virtual void start() = 0;
  // `from` sent `msg` on `connection`: a response sent later, through
  // Env::respond, goes back on that connection or nowhere.
  virtual void on_message(NodeId from, ConnectionId connection, const Message& msg) = 0;
  virtual void on_timer(TimerId id, TimerTag tag) = 0;
  // The connection to `peer` broke; whatever was in flight on it is lost.
  virtual void on_connection_lost(NodeId /*peer*/) {}
  // Asserts this node's invariants (KSIM_ASSERT). The simulation calls it after
  // every event the node handled.
  virtual void check_invariants() const {}
};

}  // namespace ksim
