#pragma once
// CoordinatorRuntime: what the group coordinator's managers
// (group_metadata_manager.h, offset_metadata_manager.h) need from the runtime
// that runs them: finding the shard that owns a group, timers, and the write
// path to __consumer_offsets. Kafka splits the same duties between
// CoordinatorRuntime (shards, loading, writes) and CoordinatorTimer (keyed
// timers); ksim's GroupCoordinator implements both (group_coordinator.h).
//
// A timer or a write outlives nothing: both name their shard by (partition,
// incarnation), and a shard unloaded or reloaded meanwhile makes them no-ops.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "core/env/timer.h"
#include "core/group/coordinator/group_records.h"
#include "core/protocol/errors.h"

namespace ksim {

struct CoordinatorShard;

enum class CoordinatorTimerKind : uint8_t { heartbeat, join, initial_join, sync, load, expire_offsets };

// What a coordinator timer does when it fires, and for which shard.
struct CoordinatorTimerTask {
  CoordinatorTimerKind kind = CoordinatorTimerKind::heartbeat;
  int32_t partition = 0;
  uint64_t incarnation = 0;
  std::string group;
  std::string member;
  GenerationId generation{-1};
  int32_t delay_ms = 0;      // initial_join: this delay
  int32_t remaining_ms = 0;  // initial_join: what is left of the rebalance timeout
};

class CoordinatorRuntime {
 public:
  // The shard owning `group_id`, or nullptr and the error to answer
  // (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS).
  virtual CoordinatorShard* shard_for(const std::string& group_id, Errc& error) = 0;

  virtual TimerId schedule(Duration after, CoordinatorTimerTask task) = 0;
  // Cancels `id` if set, and clears it.
  virtual void cancel(TimerId& id) = 0;
  // One heartbeat timer per (group, member), as Kafka's timer keys: a pending
  // member's MEMBER_ID_REQUIRED deadline goes when it joins for real.
  virtual void cancel_member_timer(const std::string& group_id, const std::string& member_id) = 0;

  // Writes `records` to the shard's partition with acks=all; `done` gets the
  // shard if it is still the same load (nullptr otherwise) and the append's
  // error. `done` may run before this call returns.
  virtual void append(CoordinatorShard& shard, std::vector<GroupRecord> records,
                      std::function<void(CoordinatorShard*, Errc)> done) = 0;

 protected:
  ~CoordinatorRuntime() = default;
};

}  // namespace ksim
