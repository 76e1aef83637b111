#pragma once
// Test helpers for partitioners: a one-line way to partition a record, and a
// toy RecordAccumulator that drives a partitioner through the protocol of
// core/producer/partitioner/partitioner.h (steps 1-4), so tests can show what
// a producer would do without the real accumulator.
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/producer/partitioner/partitioner.h"

namespace ksim::producer::testing {

inline PartitionId partition_of(Partitioner& partitioner, const ClusterView& cluster, Rng& rng,
                                std::string_view topic, std::optional<std::string_view> key = std::nullopt,
                                SimTime now = SimTime::zero()) {
  const PartitionResult result = partitioner.partition(PartitionRequest{topic, key, std::nullopt}, cluster, now, rng);
  REQUIRE(result.ok());
  return result.choice().partition;
}

// Each partition has at most one open batch, holding up to `records_per_batch`
// records of `record_bytes` bytes each. A record that finds no open batch, or
// a full one, needs a new batch. drain() is the sender taking every batch.
class ToyAccumulator {
 public:
  ToyAccumulator(Partitioner& partitioner, const ClusterView& cluster, Rng& rng, int records_per_batch,
                 int64_t record_bytes = 100)
      : partitioner_(partitioner),
        cluster_(cluster),
        rng_(rng),
        records_per_batch_(records_per_batch),
        record_bytes_(record_bytes) {}

  PartitionId append(std::string_view topic, std::optional<std::string_view> key = std::nullopt) {
    const PartitionRequest request{topic, key, std::nullopt};
    for (;;) {
      PartitionResult result = partitioner_.partition(request, cluster_, now, rng_);
      REQUIRE(result.ok());
      PartitionChoice choice = result.choice();
      // Step 2: a deferred KIP-794 switch completes once the batches are full.
      if (choice.sticky && needs_new_batch(topic, choice.partition) &&
          partitioner_.complete_deferred_switch(topic, choice, cluster_, rng_)) {
        continue;
      }
      // Step 3: abortOnNewBatch for Partitioner classes.
      if (needs_new_batch(topic, choice.partition) && partitioner_.calls_on_new_batch()) {
        partitioner_.on_new_batch(topic, choice.partition, cluster_, rng_);
        result = partitioner_.partition(request, cluster_, now, rng_);
        REQUIRE(result.ok());
        choice = result.choice();
        ++new_batch_aborts;
      }
      // Append, opening a batch if needed.
      int& open = open_[{std::string(topic), choice.partition.value}];
      if (open == records_per_batch_) open = 0;  // the full batch waits for the sender; a new one opens
      ++open;
      ++records_sent_to[choice.partition];
      // Step 4.
      partitioner_.on_bytes_appended(topic, choice, record_bytes_, open == records_per_batch_, cluster_, rng_);
      return choice.partition;
    }
  }

  void drain() { open_.clear(); }

  SimTime now = SimTime::zero();
  std::map<PartitionId, int> records_sent_to;
  int new_batch_aborts = 0;

 private:
  bool needs_new_batch(std::string_view topic, PartitionId p) const {
    auto it = open_.find({std::string(topic), p.value});
    return it == open_.end() || it->second == records_per_batch_;
  }

  Partitioner& partitioner_;
  const ClusterView& cluster_;
  Rng& rng_;
  int records_per_batch_;
  int64_t record_bytes_;
  std::map<std::pair<std::string, int32_t>, int> open_;  // records in the open batch; 0 after drain
};

}  // namespace ksim::producer::testing
