#include "core/controller/replica_placer.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/base/assert.h"

namespace ksim {
namespace {

// The index of the (j+1)-th follower after `first` (AdminUtils.replicaIndex).
int32_t replica_index(int32_t first, int64_t shift, int32_t j, int32_t n) {
  const int64_t step = 1 + (shift + j) % (n - 1);
  return static_cast<int32_t>((first + step) % n);
}

}  // namespace

std::vector<int32_t> rack_alternated_broker_list(const std::vector<PlacementBroker>& brokers) {
  std::map<std::string, std::vector<int32_t>> by_rack;  // racks sorted by name
  for (const auto& b : brokers) by_rack[b.rack].push_back(b.id);
  for (auto& [rack, ids] : by_rack) std::sort(ids.begin(), ids.end());
  std::vector<std::vector<int32_t>*> racks;
  for (auto& [rack, ids] : by_rack) racks.push_back(&ids);
  std::vector<size_t> next(racks.size(), 0);
  std::vector<int32_t> result;
  for (size_t rack = 0; result.size() < brokers.size(); rack = (rack + 1) % racks.size()) {
    if (next[rack] < racks[rack]->size()) result.push_back((*racks[rack])[next[rack]++]);
  }
  return result;
}

namespace {

ReplicaPlacement validate(size_t brokers, int32_t partitions, int32_t replication_factor) {
  ReplicaPlacement out;
  if (partitions <= 0) {
    out.error = Errc::invalid_partitions;
    out.message = "Number of partitions must be larger than 0.";
    return out;
  }
  if (replication_factor <= 0) {
    out.error = Errc::invalid_replication_factor;
    out.message = "Replication factor must be larger than 0.";
    return out;
  }
  const auto n = static_cast<int32_t>(brokers);
  if (replication_factor > n) {
    out.error = Errc::invalid_replication_factor;
    out.message = "Replication factor: " + std::to_string(replication_factor) +
                  " larger than available brokers: " + std::to_string(n) + ".";
    return out;
  }
  return out;
}

}  // namespace

ReplicaPlacement place_replicas(std::vector<PlacementBroker> brokers, int32_t partitions, int32_t replication_factor,
                                Rng& rng) {
  ReplicaPlacement check = validate(brokers.size(), partitions, replication_factor);
  if (check.error != Errc::none) return check;
  const auto n = static_cast<uint64_t>(brokers.size());
  PlacementStart start;
  start.start_index = static_cast<int32_t>(rng.below(n));  // Kafka draws the start index first,
  start.replica_shift = static_cast<int32_t>(rng.below(n));  // then the shift
  return place_replicas(std::move(brokers), partitions, replication_factor, start);
}

ReplicaPlacement place_replicas(std::vector<PlacementBroker> brokers, int32_t partitions, int32_t replication_factor,
                                PlacementStart placement_start) {
  ReplicaPlacement out = validate(brokers.size(), partitions, replication_factor);
  if (out.error != Errc::none) return out;
  const auto n = static_cast<int32_t>(brokers.size());
  std::sort(brokers.begin(), brokers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  const bool rack_aware = std::all_of(brokers.begin(), brokers.end(), [](const auto& b) { return !b.rack.empty(); });

  std::map<int32_t, std::string> rack_of;
  std::set<std::string> racks;
  for (const auto& b : brokers) {
    rack_of[b.id] = b.rack;
    racks.insert(b.rack);
  }
  std::vector<int32_t> list;
  if (rack_aware) {
    list = rack_alternated_broker_list(brokers);
  } else {
    for (const auto& b : brokers) list.push_back(b.id);
  }

  const int32_t start = placement_start.start_index % n;
  int64_t shift = placement_start.replica_shift;
  const auto num_racks = static_cast<int64_t>(racks.size());

  for (int32_t p = placement_start.first_partition; p < placement_start.first_partition + partitions; ++p) {
    if (p > 0 && p % n == 0) ++shift;
    const int32_t first = (p + start) % n;
    std::vector<int32_t> replicas{list[first]};
    if (!rack_aware) {
      for (int32_t j = 0; j < replication_factor - 1; ++j) replicas.push_back(list[replica_index(first, shift, j, n)]);
    } else {
      std::set<std::string> racks_with_replicas{rack_of[list[first]]};
      std::set<int32_t> brokers_with_replicas{list[first]};
      int32_t k = 0;
      for (int32_t j = 0; j < replication_factor - 1; ++j) {
        // Skip a broker whose rack already has a replica while some rack has
        // none, or that has a replica already while some broker has none.
        while (true) {
          const int32_t broker = list[replica_index(first, shift * num_racks, k, n)];
          const std::string& rack = rack_of[broker];
          ++k;
          const bool rack_ok = !racks_with_replicas.count(rack) || racks_with_replicas.size() == racks.size();
          const bool broker_ok =
              !brokers_with_replicas.count(broker) || static_cast<int32_t>(brokers_with_replicas.size()) == n;
          if (rack_ok && broker_ok) {
            replicas.push_back(broker);
            racks_with_replicas.insert(rack);
            brokers_with_replicas.insert(broker);
            break;
          }
        }
      }
    }
    out.assignment.push_back(std::move(replicas));
  }
  KSIM_ASSERT(static_cast<int32_t>(out.assignment.size()) == partitions);
  return out;
}

}  // namespace ksim
