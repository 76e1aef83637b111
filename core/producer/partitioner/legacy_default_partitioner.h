#pragma once
// LegacyDefaultPartitioner: the Java client's DefaultPartitioner from 0.10.2
// (per-topic counters, KAFKA-4402) to 2.3, before KIP-480; ksim name
// "legacy-roundrobin". Keyed records: toPositive(murmur2(key)) % partition
// count. Null keys: round robin over the *available* partitions, driven by a
// per-topic counter:
//
//   next = counter++ (a Java int that wraps from INT32_MAX to INT32_MIN);
//   partition = available[toPositive(next) % available.size()],
//               or toPositive(next) % partition count if none is available.
//
// The counter of each topic starts at a random int (ThreadLocalRandom.nextInt()
// in Java; the caller's Rng here), so two producers do not march in lock step.
// Because toPositive is a mask, the cycle restarts at index 0 when the counter
// wraps into the negatives. One record per batch per partition is what made this
// partitioner slow, and why KIP-480 replaced it.
#include <cstdint>
#include <map>
#include <string>

#include "core/producer/partitioner/partitioner.h"

namespace ksim::producer {

class LegacyDefaultPartitioner final : public Partitioner {
 public:
  std::string_view name() const override { return "legacy-roundrobin"; }

  // Starts the topic's counter at `value` (tests; a teaching scenario can pin it).
  void set_counter(std::string_view topic, int32_t value);

 protected:
  PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                         Rng& rng) override;

 private:
  std::map<std::string, uint32_t, std::less<>> counters_;  // Java's int, kept unsigned to wrap
};

}  // namespace ksim::producer
