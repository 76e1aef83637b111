#pragma once
// ReplicaPlacer: where a new topic's replicas go when the request does not say.
//
// ksim uses Kafka's classic algorithm (AdminUtils.assignReplicasToBrokers, the
// ZooKeeper-era placer, still in server-common), not the KRaft
// StripedReplicaPlacer: its layouts are the ones Kafka's documentation and
// most teaching material show, and they are easy to work out by hand.
//
// Rack-unaware (no broker has a rack), with the brokers sorted by id:
//   1. start = random index, shift = random index (two draws, in that order,
//      from the controller's Rng; Kafka draws them from java.util.Random).
//   2. Partition p's first replica (its preferred leader) is broker
//      (p + start) mod n: leadership goes round robin.
//   3. After every n partitions the shift grows by one. The j-th follower
//      (j = 0..rf-2) is at first + 1 + (shift + j) mod (n - 1), mod n, so the
//      followers of one broker's partitions spread over the other brokers.
//   Example (n = 5, start = 0, shift = 0): p0 -> 0,1,2  p5 -> 0,2,3.
//
// Rack-aware (every broker has a rack): the same walk over a rack-alternated
// broker list (racks sorted by name, brokers in each by id, take one from each
// rack in turn), and each follower skips brokers on a rack that already has a
// replica until every rack has one (then brokers that already have one, until
// every broker has one). Kafka throws if only some brokers have a rack; ksim
// then places rack-unaware (as KRaft's placer would still succeed).
//
// Errors are Kafka's: partitions < 1 -> INVALID_PARTITIONS;
// replication factor < 1 or > brokers -> INVALID_REPLICATION_FACTOR.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "core/protocol/errors.h"

namespace ksim {

struct PlacementBroker {
  int32_t id = 0;
  std::string rack;  // empty: no rack
};

struct ReplicaPlacement {
  Errc error = Errc::none;
  std::string message;
  std::vector<std::vector<int32_t>> assignment;  // one replica list per partition, preferred leader first
};

// Where the walk starts: Kafka's startIndex and nextReplicaShift. Its
// fixedStartIndex sets both to the same value.
struct PlacementStart {
  int32_t start_index = 0;    // first replica of partition 0, an index into the broker list
  int32_t replica_shift = 0;  // initial follower shift
  // Kafka's startPartitionId: the id of the first partition placed. Adding
  // partitions continues the walk where creation left it: with partition 0's
  // leader as the fixed start, partition p's preferred leader is the one it
  // would have had in a topic created with p + 1 partitions.
  int32_t first_partition = 0;
};

// `brokers` in any order (they are sorted by id here). Draws the start index,
// then the shift, each uniform in [0, brokers), from `rng`, only if the
// request is valid.
ReplicaPlacement place_replicas(std::vector<PlacementBroker> brokers, int32_t partitions, int32_t replication_factor,
                                Rng& rng);
// The same with a given start (tests, tools, Kafka's fixedStartIndex).
ReplicaPlacement place_replicas(std::vector<PlacementBroker> brokers, int32_t partitions, int32_t replication_factor,
                                PlacementStart start);

// The rack-alternated broker list (Kafka's getRackAlternatedBrokerList):
// racks a:{1,2,3} b:{4,5,6} c:{7,8,9} -> 1,4,7,2,5,8,3,6,9.
std::vector<int32_t> rack_alternated_broker_list(const std::vector<PlacementBroker>& brokers);

}  // namespace ksim
