#pragma once
// CoordinatorHost: what the group coordinator needs from the broker it runs
// on. The broker implements it over its own partitions and purgatory; unit
// tests implement it with a fake log they complete by hand.
#include <functional>
#include <vector>

#include "core/log/partition_log.h"
#include "core/log/record_batch.h"
#include "core/protocol/errors.h"

namespace ksim {

class CoordinatorHost {
 public:
  virtual ~CoordinatorHost() = default;
  // Appends `records` as one batch to __consumer_offsets-`partition` as its
  // leader, with acks=all: `done` runs once the HW covers the batch (NONE), or
  // with the append's error (NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS,
  // NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT after
  // offsets.commit.timeout.ms). `done` may run before this call returns.
  virtual void append_offsets_records(PartitionId partition, std::vector<Record> records,
                                      std::function<void(Errc)> done) = 0;
  // This broker's replica of __consumer_offsets-`partition` (to load from),
  // or nullptr if it has none.
  virtual const PartitionLog* offsets_log(PartitionId partition) const = 0;
};

}  // namespace ksim
