#pragma once
// Requests a leader parks until they can complete (Kafka's purgatories):
//
// DelayedProduce (acks=all): waits until the HW covers every appended batch
// (Partition.checkEnoughReplicasReachOffset), or request.timeout_ms passes
// (REQUEST_TIMED_OUT), or this broker stops leading a partition
// (NOT_LEADER_OR_FOLLOWER).
//
// DelayedFetch (long poll): waits until at least min_bytes can be returned
// (new data for a follower, a higher HW for a consumer), or max_wait_ms passes,
// or a partition's state changes (an error to report). See below.
#include <cstdint>
#include <functional>
#include <vector>

#include "core/broker/fetch_context.h"
#include "core/env/connection.h"
#include "core/env/timer.h"
#include "core/protocol/replication_messages.h"

namespace ksim {

// A parked request answers on the connection it came in on, or not at all
// (core/env/connection.h).
struct DelayedProduce {
  ReplyTo client;
  int32_t correlation_id = 0;
  TimerId timeout;
  ProduceResponse response;  // filled at append time; waiting entries get their final error later
  struct Waiting {
    size_t index;            // into response.partitions
    Offset required_offset;  // last appended offset + 1
    bool done = false;
  };
  std::vector<Waiting> waiting;
  // Set for the broker's own writes (the group coordinator's records in
  // __consumer_offsets): called with the response instead of sending it.
  std::function<void(const ProduceResponse&)> on_complete;

  bool complete() const {
    for (const Waiting& w : waiting)
      if (!w.done) return false;
    return true;
  }
};

// The fetch's partitions are its context's (for an incremental fetch, the
// whole session). Like Kafka's DelayedFetch.tryComplete, a partition's leader
// progress re-checks only that partition: `available_bytes[i]` is what
// partition i of the context could return as of its last check; the fetch
// completes when their sum reaches min_bytes, or a partition has an error or a
// diverging epoch to report. Only then is everything read again and answered.
struct DelayedFetch {
  ReplyTo requester;
  FetchRequest request;  // the request's header (its partitions are in the context)
  FetchContext context;
  std::vector<int64_t> available_bytes;
  TimerId timeout;
};

}  // namespace ksim
