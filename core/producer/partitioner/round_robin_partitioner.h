#pragma once
// RoundRobinPartitioner: org.apache.kafka.clients.producer.RoundRobinPartitioner
// (KIP-369, Kafka 2.4+), ksim name "roundrobin". Every record, keyed or not,
// goes to the next partition in turn:
//
//   next = counter++ (per topic, from 0, wrapping like a Java int);
//   partition = available[toPositive(next) % available.size()],
//               or toPositive(next) % partition count if none is available.
//
// The new-batch problem. Being a Partitioner class, it is driven through
// KIP-480's abortOnNewBatch: when a record needs a new batch, the producer calls
// on_new_batch and then partition() a second time for the same record. Until
// KAFKA-17632 (Kafka 4.0, backported to 3.9) that second call advanced the
// counter again, so a partition was skipped on every new batch; with an even
// partition count and one record per batch, only every other partition ever got
// records (KAFKA-9965, KAFKA-16283). The fix makes on_new_batch remember the
// (topic, partition) it was told about, and the next partition() call for that
// topic returns it without advancing the counter; the memory is dropped by the
// next partition() call whatever its topic.
//
// ksim offers both: Variant::fixed ("roundrobin", Kafka 4.x) and
// Variant::kafka_16283 ("roundrobin-kafka-16283", Kafka 2.4-3.8), so a lecture
// can show the skew and its fix.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/producer/partitioner/partitioner.h"

namespace ksim::producer {

class RoundRobinPartitioner final : public Partitioner {
 public:
  enum class Variant { fixed, kafka_16283 };
  explicit RoundRobinPartitioner(Variant variant) : variant_(variant) {}

  std::string_view name() const override {
    return variant_ == Variant::fixed ? "roundrobin" : "roundrobin-kafka-16283";
  }
  bool calls_on_new_batch() const override { return true; }
  void on_new_batch(std::string_view topic, PartitionId prev_partition, const ClusterView& cluster,
                    Rng& rng) override;

 protected:
  PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                         Rng& rng) override;

 private:
  struct Remembered {
    std::string topic;
    PartitionId partition;
  };
  Variant variant_;
  std::map<std::string, uint32_t, std::less<>> counters_;  // Java's int, kept unsigned to wrap
  std::optional<Remembered> previous_;                     // set by on_new_batch (fixed variant)
};

}  // namespace ksim::producer
