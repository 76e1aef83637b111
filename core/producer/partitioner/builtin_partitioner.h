#pragma once
// BuiltinPartitioner: Kafka's default partitioning since 3.3 (KIP-794), the
// logic of KafkaProducer.partition plus BuiltInPartitioner, used when
// `partitioner.class` is not set. ksim's default.
//
//   * Explicit partition: used as is (Partitioner::partition).
//   * Keyed record, partitioner.ignore.keys=false: toPositive(murmur2(key)) % the
//     topic's partition count, over *all* partitions (partitionForKey).
//   * Null key (or any record with partitioner.ignore.keys=true): the topic's
//     sticky partition, "uniform sticky":
//       1. the first such record of a topic picks the sticky partition
//          (nextPartition below);
//       2. every append to it adds its bytes (on_bytes_appended); once the
//          produced bytes reach batch.size *and* the partition has no incomplete
//          batch, or reach 2 x batch.size regardless, the partitioner picks the
//          next sticky partition and the count restarts at 0
//          (updatePartitionInfo; the 2x cap keeps a never-full batch from
//          pinning the partition forever);
//       3. a switch held back by an incomplete batch happens as soon as the
//          accumulator sees that partition's batches all full
//          (complete_deferred_switch).
//   * nextPartition: without load statistics, uniformly at random among the
//     available partitions (all partitions if none is available). The next
//     sticky partition may be the same as the last one: unlike KIP-480, KIP-794
//     does not exclude it.
//
// Adaptive partitioning (partitioner.adaptive.partitioning.enable, default true)
// and partitioner.availability.timeout.ms: in Java the accumulator, not the
// partitioner, measures broker load. RecordAccumulator.partitionReady collects
// each partition's queue length (batches waiting), leaves out partitions
// without a leader and, if the timeout is > 0, partitions whose leader has not
// been able to drain for longer than the timeout, and hands that to
// updatePartitionLoadStats. nextPartition then draws partition i with weight
// (max queue + 1 - queue_i): shorter queues, i.e. faster brokers, win more
// often. ksim keeps that split. This class implements the weighting exactly
// (update_partition_load_stats, cumulative frequency table, weighted draw), and
// the accumulator is responsible for feeding it queue sizes and applying the
// timeout exclusion (it knows node readiness; the partitioner does not). Until
// the accumulator calls update_partition_load_stats (or when adaptive is off,
// or stats are "all equal"), switching is uniform, which is exactly what Java
// does before every partition has had a batch. With adaptive disabled, stats
// passed in are ignored.
//
// Invariants (check_invariants): for each topic,
//   1. 0 <= produced bytes < 2 x batch.size (reaching 2 x batch.size always
//      switches and restarts the count), and bytes are counted only while a
//      sticky partition is set;
//   2. a load-stats table, when present, is non-empty, strictly increasing, and
//      names one partition per entry.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/producer/partitioner/partitioner.h"
#include "core/producer/partitioner/partitioner_config.h"

namespace ksim::producer {

class BuiltinPartitioner final : public Partitioner {
 public:
  // config.batch_size >= 1 and partitioner_availability_timeout_ms >= 0
  // (make_partitioner reports bad values as errors before constructing).
  explicit BuiltinPartitioner(const PartitionerConfig& config);

  std::string_view name() const override { return "builtin"; }

  bool on_bytes_appended(std::string_view topic, const PartitionChoice& choice, int64_t appended_bytes,
                         bool all_batches_full, const ClusterView& cluster, Rng& rng) override;

  bool adaptive_partitioning() const override { return adaptive_; }
  int64_t availability_timeout_ms() const override { return availability_timeout_ms_; }
  void update_partition_load_stats(std::string_view topic, const std::optional<PartitionLoadInput>& input) override;
  void check_invariants() const override;

  // Inspection (tests, traces): the topic's current sticky partition, if chosen.
  std::optional<PartitionId> sticky_partition(std::string_view topic) const;
  // Bytes produced to the current sticky partition since it was chosen.
  int64_t produced_bytes(std::string_view topic) const;
  // Whether `topic` has adaptive load statistics in force.
  bool has_load_stats(std::string_view topic) const;

 protected:
  PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                         Rng& rng) override;

 private:
  // A cumulative frequency table: partition ids[i] is drawn for a uniform
  // r in [cumulative[i-1], cumulative[i]).
  struct LoadStats {
    std::vector<int64_t> cumulative;
    std::vector<PartitionId> ids;
  };
  struct TopicState {
    std::optional<PartitionId> sticky;
    int64_t produced_bytes = 0;
    std::optional<LoadStats> load;
  };

  PartitionId next_partition(const TopicState& state, const TopicPartitions& partitions, Rng& rng) const;
  const TopicState* find(std::string_view topic) const;
  TopicState& state(std::string_view topic);

  int32_t batch_size_;
  bool ignore_keys_;
  bool adaptive_;
  int64_t availability_timeout_ms_;
  std::map<std::string, TopicState, std::less<>> topics_;
};

}  // namespace ksim::producer
