#pragma once
// ConnectionId and ReplyTo: which connection a request came in on, so that its
// response goes back on that connection and on no other.
//
// Kafka names each accepted socket (RequestContext.connectionId: local and
// remote address and port plus an index, so never reused) and sends a response
// on the socket its request came in on (RequestChannel.sendResponse). If that
// socket has closed meanwhile (the link broke, the client died), the response
// is dropped (SocketServer's Processor.sendResponse: "Attempting to send
// response via channel for which there is no open connection"). A client that
// restarts opens new sockets, so it never receives an answer meant for its
// previous incarnation, and a reconnected client never receives one meant for
// its old connection: its correlation ids start again and would match the
// wrong request.
//
// A request answered at once needs none of this (the connection it came on is
// still open while its handler runs). A request parked until it can complete
// (DelayedProduce, DelayedFetch, a JoinGroup waiting for the rebalance, a
// metadata fetch waiting for new records) keeps its ReplyTo and answers through
// Env::respond.
#include <cstdint>

#include "core/base/ids.h"

namespace ksim {

// One connection between two nodes; a new one after every break. Compared only
// between messages of the same pair of nodes.
using ConnectionId = StrongInt<struct ConnectionIdTag, uint64_t>;

// Where the response to a request goes: its sender, on the connection it came in on.
struct ReplyTo {
  NodeId node;
  ConnectionId connection;
};

}  // namespace ksim
