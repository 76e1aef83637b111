#pragma once
// RemoteReplicaState: what a partition leader knows about one follower, learnt
// only from the follower's Fetch requests (followers pull; there is no other
// acknowledgement). Kafka's Replica / ReplicaState.
//
// lastCaughtUpTimeMs, exactly as Replica.updateFetchStateOrThrow:
//   fetch offset >= leader LEO now                     -> the time of this fetch
//   fetch offset >= leader LEO at the previous fetch   -> the time of the previous fetch
//   otherwise                                          -> unchanged
// so a follower chasing a stream of small produces still counts as caught up.
#include <algorithm>
#include <cstdint>

#include "core/base/ids.h"

namespace ksim {

struct RemoteReplicaState {
  // "Long ago". Kafka uses 0, which is 1970 for its wall clock; ksim's virtual
  // clock starts at 0, so "never" must be far below any run's time.
  static constexpr int64_t kNeverMs = INT64_MIN / 4;

  Offset log_end_offset{-1};               // -1 = unknown (no fetch since this leader took over)
  int64_t last_fetch_leader_log_end_offset = 0;
  int64_t last_fetch_time_ms = kNeverMs;
  int64_t last_caught_up_time_ms = kNeverMs;
  BrokerEpoch broker_epoch{-1};

  void update_fetch_state(Offset fetch_offset, int64_t fetch_time_ms, Offset leader_end_offset, BrokerEpoch epoch) {
    int64_t caught_up = last_caught_up_time_ms;
    if (fetch_offset >= leader_end_offset)
      caught_up = std::max(last_caught_up_time_ms, fetch_time_ms);
    else if (fetch_offset.value >= last_fetch_leader_log_end_offset)
      caught_up = std::max(last_caught_up_time_ms, last_fetch_time_ms);
    log_end_offset = fetch_offset;
    last_fetch_leader_log_end_offset = std::max(leader_end_offset.value, last_fetch_leader_log_end_offset);
    last_fetch_time_ms = fetch_time_ms;
    last_caught_up_time_ms = caught_up;
    broker_epoch = epoch;
  }

  // Replica.resetReplicaState, on a leader election or re-election.
  void reset(int64_t now_ms, Offset leader_end_offset, bool is_new_leader, bool in_isr) {
    last_caught_up_time_ms = in_isr ? now_ms : kNeverMs;
    if (is_new_leader) {
      log_end_offset = Offset(-1);
      last_fetch_leader_log_end_offset = -1;
      last_fetch_time_ms = kNeverMs;
      broker_epoch = BrokerEpoch(-1);
    } else {
      last_fetch_leader_log_end_offset = leader_end_offset.value;
      last_fetch_time_ms = in_isr ? now_ms : kNeverMs;
    }
  }

  // ReplicaState.isCaughtUp: at the leader's LEO, or caught up within the lag limit.
  bool is_caught_up(Offset leader_end_offset, int64_t now_ms, int64_t replica_lag_time_max_ms) const {
    return leader_end_offset == log_end_offset || now_ms - last_caught_up_time_ms <= replica_lag_time_max_ms;
  }
};

}  // namespace ksim
