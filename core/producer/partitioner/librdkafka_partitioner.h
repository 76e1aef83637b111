#pragma once
// LibrdkafkaPartitioner: the built-in partitioners of librdkafka, the C client
// under confluent-kafka-{python,go,dotnet} (src/rdkafka_msg.c, rdkafka_topic.c,
// CONFIGURATION.md), selected by the `partitioner` property; the ksim names are
// librdkafka's own.
//
//   name               keyed record                      null key (sticky off)
//   random             random                            random
//   consistent         crc32_partition(key)              crc32("") = 0: partition 0
//   consistent_random  crc32_partition(key); an empty    random
//                      key is treated like a null one
//   murmur2            kafka_partition_for_key(key)      murmur2("") % n: one fixed partition
//   murmur2_random     kafka_partition_for_key(key)      random
//   fnv1a              librdkafka_fnv1a_partition(key)   fnv1a("") % n: one fixed partition
//   fnv1a_random       librdkafka_fnv1a_partition(key)   random
//
// (librdkafka's default is consistent_random; the Java default corresponds to
// murmur2_random.) "random" draws uniformly among *all* partitions and, if the
// draw has no leader, draws once more and keeps the second draw whatever it is
// (rd_kafka_msg_partitioner_random).
//
// Sticky partitioning (KIP-480 in librdkafka 1.6+, `sticky.partitioning.linger.ms`,
// default 10): when it is > 0 and the partitioner is not one of consistent,
// murmur2, fnv1a, then null keys (and, for consistent_random, empty keys) do
// not reach the partitioner at all. They go to the topic's sticky partition,
// which is re-drawn with the random rule above when
//   * the topic has none yet, or
//   * the sticky partition has no leader, or
//   * more than sticky.partitioning.linger.ms has passed since it was drawn
//     (strictly more: rd_interval switches when now - last - linger > 0).
// Unlike the Java client, this stickiness is by time, not by batch or bytes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/producer/partitioner/partitioner.h"

namespace ksim::producer {

class LibrdkafkaPartitioner final : public Partitioner {
 public:
  enum class Kind { random, consistent, consistent_random, murmur2, murmur2_random, fnv1a, fnv1a_random };
  // sticky_partitioning_linger_ms in [0, 900000].
  LibrdkafkaPartitioner(Kind kind, int64_t sticky_partitioning_linger_ms);

  std::string_view name() const override;

  // Whether null keys take the time-based sticky path (librdkafka's
  // !rkt_conf.random_partitioner).
  bool sticky_enabled() const { return sticky_enabled_; }
  std::optional<PartitionId> sticky_partition(std::string_view topic) const;

 protected:
  PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                         Rng& rng) override;

 private:
  struct Sticky {
    PartitionId partition;
    SimTime chosen_at;
  };
  PartitionId random_partition(const TopicPartitions& partitions, Rng& rng) const;
  PartitionId sticky(std::string_view topic, const TopicPartitions& partitions, SimTime now, Rng& rng);

  Kind kind_;
  Duration linger_;
  bool sticky_enabled_;
  std::map<std::string, Sticky, std::less<>> sticky_;
};

}  // namespace ksim::producer
