#pragma once
// Env: the one seam between a core component and the world. It is the only way
// core code touches time, other nodes, timers, randomness, storage and output;
// the simulation implements it over virtual time, and unit tests implement it
// with a fake they can inspect. The same core could run over a real network.
#include <utility>

#include "core/base/ids.h"
#include "core/base/rng.h"
#include "core/base/time.h"
#include "core/env/connection.h"
#include "core/env/storage.h"
#include "core/env/timer.h"
#include "core/protocol/message.h"
#include "core/trace/trace_event.h"

namespace ksim {

class Env {
 public:
  virtual ~Env() = default;

  virtual SimTime now() const = 0;
  virtual NodeId self() const = 0;
  // Sends `msg` to `to` over this node's connection to it. Delivery is FIFO per
  // connection while it lasts; a broken connection loses what was in flight
  // and the node hears of it through Node::on_connection_lost.
  virtual void send(NodeId to, Message msg) = 0;
  // Sends the response to a parked request on the connection the request came
  // in on (see core/env/connection.h). If that connection has closed since, the
  // response is dropped and nobody is told, as Kafka's SocketServer drops a
  // response for a closed channel. Fakes that model no network just send it.
  virtual void respond(const ReplyTo& to, Message msg) { send(to.node, std::move(msg)); }
  // Opens a connection to `to` (NetworkClient.initiateConnect): true if it is
  // up at once; false if `to` is down or cut off, and the node then hears
  // Node::on_connection_lost(to) once the network notices. Fakes that model
  // no network keep every connection up.
  virtual bool connect(NodeId /*to*/) { return true; }
  // Arms a timer that fires Node::on_timer(id, tag) after `after` (>= 0).
  virtual TimerId set_timer(Duration after, TimerTag tag) = 0;
  // Cancels an armed timer; cancelling a fired or cancelled one is a no-op.
  virtual void cancel_timer(TimerId id) = 0;
  // This node's own random stream.
  virtual Rng& rng() = 0;
  virtual Storage& storage() = 0;
  // Records an observable change made by this node at now().
  virtual void trace(trace::Payload event) = 0;
};

}  // namespace ksim
