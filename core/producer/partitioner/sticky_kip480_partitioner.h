#pragma once
// StickyKip480Partitioner: the Java client's partitioners of Kafka 2.4-3.2
// (KIP-480), still selectable by class name until 4.0 removed them:
//
//   * org.apache.kafka.clients.producer.internals.DefaultPartitioner
//     (ksim name "sticky-kip480"): keyed records go to
//     toPositive(murmur2(key)) % partition count; null keys go to the topic's
//     sticky partition (sticky_partition_cache.h).
//   * org.apache.kafka.clients.producer.UniformStickyPartitioner
//     (ksim name "uniform-sticky"): every record goes to the sticky partition,
//     keys ignored.
//
// The sticky partition changes only in on_new_batch, which the producer calls
// when a record would open a new batch (KafkaProducer's abortOnNewBatch), then
// asks partition() again. So a null-key stream sticks until its batch is
// closed (full, or sent after linger.ms) and then moves to a *different*
// available partition. A quirk this reproduces: the very first record of a
// topic finds no batch, so the sticky partition picked for it is immediately
// replaced by a different one before anything is appended.
#include <string_view>

#include "core/producer/partitioner/partitioner.h"
#include "core/producer/partitioner/sticky_partition_cache.h"

namespace ksim::producer {

class StickyKip480Partitioner final : public Partitioner {
 public:
  enum class Keys { hashed, ignored };  // DefaultPartitioner, UniformStickyPartitioner
  explicit StickyKip480Partitioner(Keys keys) : keys_(keys) {}

  std::string_view name() const override { return keys_ == Keys::hashed ? "sticky-kip480" : "uniform-sticky"; }
  bool calls_on_new_batch() const override { return true; }
  void on_new_batch(std::string_view topic, PartitionId prev_partition, const ClusterView& cluster,
                    Rng& rng) override;

  std::optional<PartitionId> sticky_partition(std::string_view topic) const { return cache_.current(topic); }

 protected:
  PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                         Rng& rng) override;

 private:
  Keys keys_;
  StickyPartitionCache cache_;
};

}  // namespace ksim::producer
