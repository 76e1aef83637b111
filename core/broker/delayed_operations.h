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
// or a partition's state changes (an error to report).
#include <cstdint>
#include <functional>
#include <vector>

#include "core/env/timer.h"
#include "core/protocol/replication_messages.h"

namespace ksim {

struct DelayedProduce {
  NodeId client;
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

struct DelayedFetch {
  NodeId requester;
  FetchRequest request;
  TimerId timeout;
};

}  // namespace ksim
