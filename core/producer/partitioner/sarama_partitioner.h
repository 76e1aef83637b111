#pragma once
// SaramaPartitioner: the partitioners of sarama, the Go client (IBM/sarama,
// formerly Shopify/sarama, partitioner.go and async_producer.go).
//
// sarama asks a partitioner for an *index* into a list of partitions, and
// which list depends on whether the partitioner "requires consistency"
// (topicProducer.partitionMessage):
//   * consistency required (a hash partitioner with a non-nil key, the manual
//     partitioner): the list is all partitions, sorted, so index == partition;
//   * otherwise (random, round robin, a hash partitioner with a nil key): the
//     list is the *writable* partitions (those with a leader), and if there are
//     none the send fails with ErrLeaderNotAvailable.
//
//   ksim name               sarama constructor             keyed record          nil key
//   sarama-hash             NewHashPartitioner (default)   sarama_hash_partition random
//   sarama-reference-hash   NewReferenceHashPartitioner    sarama_reference_...  random
//   sarama-consistent-crc   NewConsistentCRCHashPartitioner crc32_partition      random
//   sarama-murmur2          NewMurmur2Partitioner          kafka_partition_...   random
//   sarama-random           NewRandomPartitioner           random                random
//   sarama-roundrobin       NewRoundRobinPartitioner       next in turn          next in turn
//   sarama-manual           NewManualPartitioner           the record's partition
//
// (key_hash_partition.h has the formulas.) "random" is Intn over the writable
// list; round robin keeps one counter per topic (sarama builds one partitioner
// per topic), from 0, reset to 0 when it reaches the list's length.
//
// Explicit partitions: ksim's rule that an explicit partition always wins
// applies here too (Partitioner::partition). Real sarama only honours
// ProducerMessage.Partition through the manual partitioner and overwrites it
// otherwise; with the manual partitioner and no partition set, Go's zero value
// sends the record to partition 0, which is what sarama-manual does here.
#include <cstdint>
#include <map>
#include <string>

#include "core/producer/partitioner/partitioner.h"

namespace ksim::producer {

class SaramaPartitioner final : public Partitioner {
 public:
  enum class Kind { hash, reference_hash, consistent_crc, murmur2, random, round_robin, manual };
  explicit SaramaPartitioner(Kind kind) : kind_(kind) {}

  std::string_view name() const override;

 protected:
  PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                         Rng& rng) override;

 private:
  Kind kind_;
  std::map<std::string, int32_t, std::less<>> round_robin_next_;
};

}  // namespace ksim::producer
