#pragma once
// Partitioner: chooses the partition of a topic that a producer record goes to.
// One object serves every topic of one producer (it keeps per-topic state, e.g.
// the current sticky partition, in ordered maps). Implementations reproduce a
// named client's strategy: Kafka's Java client across versions, sarama and
// librdkafka (see partitioner_registry.h for the list and make_partitioner).
//
// How the producer client (its RecordAccumulator) drives a partitioner for one
// record, mirroring KafkaProducer.doSend and RecordAccumulator.append (3.3+):
//
//   1. result = partition(record, cluster, now, rng).
//      A record with an explicit partition goes there, whatever the partitioner
//      (KafkaProducer.partition checks record.partition() first); otherwise the
//      strategy chooses. An error fails the send (see PartitionError).
//   2. If result.choice().sticky and the chosen partition's queue has no
//      incomplete batch, call complete_deferred_switch(...) first; if it returns
//      true the sticky partition moved: go back to 1 (RecordAccumulator's
//      partitionChanged check).
//   3. If the record needs a new batch and calls_on_new_batch() is true, call
//      on_new_batch(topic, chosen partition, ...), then partition() again, and
//      append where that second call says, creating the batch this time. This
//      is Java's abortOnNewBatch dance for Partitioner classes (KIP-480).
//   4. After appending, call on_bytes_appended(topic, choice, appended_bytes,
//      all_batches_full, ...) with the bytes the append added (Java's
//      RecordAppendResult.appendedBytes) and whether the partition's queue now
//      has no incomplete batch. Only the KIP-794 built-in partitioner uses it,
//      and only for sticky choices.
//   5. If adaptive_partitioning() is true, pass per-partition queue sizes to
//      update_partition_load_stats(...) whenever the accumulator checks which
//      partitions are ready to send (RecordAccumulator.partitionReady).
//
// Determinism: randomness only from the Rng passed in (the producer node's
// stream); state lives in std::map keyed by topic; time only from `now`.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/base/rng.h"
#include "core/base/time.h"
#include "core/producer/partitioner/cluster_view.h"

namespace ksim::producer {

// The parts of a producer record a partitioner looks at.
struct PartitionRequest {
  std::string_view topic;
  // The serialized key; nullopt is a null key. An empty key is a key, hashed
  // like any other (except by librdkafka's consistent_random, which treats an
  // empty key like a null one).
  std::optional<std::string_view> key;
  // Set when the application named the partition itself.
  std::optional<PartitionId> explicit_partition;
};

struct PartitionChoice {
  PartitionId partition;
  // True when the KIP-794 built-in partitioner chose through its sticky path
  // (Java: the accumulator got UNKNOWN_PARTITION and asked BuiltInPartitioner).
  // The accumulator passes the choice back to on_bytes_appended.
  bool sticky = false;
};

// Expected failures of partitioning, named after the clients' own errors.
enum class PartitionError {
  // An explicit partition outside [0, partition count): Java's KafkaException
  // "Invalid partition given with record", sarama's ErrInvalidPartition,
  // librdkafka's RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION.
  invalid_partition,
  // sarama: a partitioner that does not require consistency picks among the
  // writable partitions, and there are none (ErrLeaderNotAvailable).
  leader_not_available,
};

std::string_view to_string(PartitionError error);

class PartitionResult {
 public:
  static PartitionResult chosen(PartitionId partition, bool sticky = false);
  static PartitionResult failed(PartitionError error);

  bool ok() const { return !error_.has_value(); }
  // Valid only when ok().
  const PartitionChoice& choice() const;
  // Valid only when !ok().
  PartitionError error() const;

 private:
  PartitionChoice choice_{};
  std::optional<PartitionError> error_;
};

// One partition's load as the accumulator sees it: how many batches wait in its
// queue. Input to KIP-794's adaptive partitioning.
struct PartitionQueueSize {
  PartitionId partition;
  int32_t queue_size = 0;
};

// What RecordAccumulator.partitionReady hands to BuiltInPartitioner
// .updatePartitionLoadStats: the queue sizes of the partitions that have a
// leader and were not excluded by partitioner.availability.timeout.ms, and how
// many partitions the accumulator looked at in all (Java's queueSizes.length,
// the partitions it holds queues for).
struct PartitionLoadInput {
  std::vector<PartitionQueueSize> included;
  size_t considered = 0;
};

class Partitioner {
 public:
  virtual ~Partitioner() = default;

  // The canonical name this partitioner was made under (partitioner_registry.h).
  virtual std::string_view name() const = 0;

  // Step 1 above. The topic must be in `cluster` (ClusterView::topic asserts).
  PartitionResult partition(const PartitionRequest& record, const ClusterView& cluster, SimTime now, Rng& rng);

  // Step 3: true for Java Partitioner classes since 2.4 (KafkaProducer passes
  // abortOnNewBatch = true whenever a Partitioner object is configured).
  virtual bool calls_on_new_batch() const { return false; }
  // Java's Partitioner.onNewBatch(topic, cluster, prevPartition).
  virtual void on_new_batch(std::string_view topic, PartitionId prev_partition, const ClusterView& cluster,
                            Rng& rng);

  // Step 4. Returns true if the sticky partition of `topic` changed.
  virtual bool on_bytes_appended(std::string_view topic, const PartitionChoice& choice, int64_t appended_bytes,
                                 bool all_batches_full, const ClusterView& cluster, Rng& rng);
  // Step 2: a switch that on_bytes_appended deferred because the batch was not
  // full can happen once it is (Java calls updatePartitionInfo with 0 bytes).
  bool complete_deferred_switch(std::string_view topic, const PartitionChoice& choice, const ClusterView& cluster,
                                Rng& rng) {
    return on_bytes_appended(topic, choice, 0, true, cluster, rng);
  }

  // Step 5.
  virtual bool adaptive_partitioning() const { return false; }
  // partitioner.availability.timeout.ms for the accumulator's exclusion rule
  // (0: disabled). Meaningful only when adaptive_partitioning().
  virtual int64_t availability_timeout_ms() const { return 0; }
  // nullopt: no load stats (adaptive off, or not every partition has had a
  // batch yet), so the next sticky switch is uniform.
  virtual void update_partition_load_stats(std::string_view topic, const std::optional<PartitionLoadInput>& input);

  // Asserts the implementation's invariants (KSIM_ASSERT); the producer node
  // calls it from its own check_invariants.
  virtual void check_invariants() const {}

 protected:
  // The strategy, for a record without an explicit partition.
  virtual PartitionResult choose(const PartitionRequest& record, const TopicPartitions& partitions, SimTime now,
                                 Rng& rng) = 0;
};

// A uniformly random index in [0, n), n >= 1, from the caller's stream. Java
// draws toPositive(nextInt()) % n; the distribution is the same up to Java's
// modulo bias of at most n / 2^31, which ksim does not reproduce.
inline size_t random_index(Rng& rng, size_t n) { return static_cast<size_t>(rng.below(n)); }

}  // namespace ksim::producer
