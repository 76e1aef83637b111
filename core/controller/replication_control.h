#pragma once
// ReplicationControl: turns controller decisions into metadata records
// (Kafka's ReplicationControlManager). It reads the controller's current
// MetadataImage and never changes it: every method returns the records to
// append, and the ControllerNode appends them, after which the image shows the
// change. Records of one call are computed against the image as it was before
// the call, as Kafka's generateRecordsAndResult computes against the last
// committed state.
//
// What each broker lifecycle event does to partitions (all through
// PartitionChangeBuilder, see its header for the election rules):
//   fenced (session expiry, want_fence, shutdown):
//       remove the broker from every ISR it is in (KRaft keeps a last member),
//       elect new leaders where it led (never itself); then the fence record.
//   unfenced: the unfence record; then every leaderless partition gets an
//       election in which the broker counts as acceptable (so a partition whose
//       sole ISR member it is comes back with it as leader).
//   controlled shutdown: the in-controlled-shutdown record; then as fenced.
//   unclean shutdown (KIP-966 only: a new incarnation registers): remove the
//       broker from every ISR and ELR, as it may have lost unflushed data.
// unclean.leader.election.enable (per topic) turns each of these elections
// into Election::unclean.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/rng.h"
#include "core/controller/controller_config.h"
#include "core/controller/controller_record.h"
#include "core/controller/partition_change_builder.h"
#include "core/metadata/metadata_image.h"
#include "core/protocol/controller_messages.h"

namespace ksim {

class ReplicationControl {
 public:
  // Kafka's ReplicationControlManager.MAX_ELECTIONS_PER_IMBALANCE.
  static constexpr size_t kMaxElectionsPerImbalance = 1000;

  ReplicationControl(const MetadataImage& image, const ControllerConfig& config) : image_(image), config_(config) {}

  struct CreateTopicResult {
    Errc error = Errc::none;
    std::string message;
    ControllerRecords records;  // TopicRecord then one PartitionRecord per partition
    std::vector<std::vector<int32_t>> assignment;
  };
  // CreateTopics for one topic. partitions / replication_factor of -1 mean the
  // cluster default; an explicit assignment overrides both. Draws the
  // placement's random start from `rng` only when it places replicas itself.
  CreateTopicResult create_topic(const std::string& name, int32_t partitions, int32_t replication_factor,
                                 const std::vector<std::vector<int32_t>>& assignment,
                                 const std::map<std::string, std::string>& configs, Rng& rng) const;

  struct CreatePartitionsResult {
    Errc error = Errc::none;
    std::string message;
    ControllerRecords records;  // one PartitionRecord per new partition
    int32_t first_new = 0;      // the topic's partition count before
    std::vector<std::vector<int32_t>> assignment;  // of the new partitions
  };
  // CreatePartitions for one topic (ReplicationControlManager.createPartitions):
  // grow `name` to `count` partitions, with the replication factor of its
  // partition 0. Without an explicit assignment the classic placer continues
  // from partition 0's preferred leader, as AdminZkClient.createPartitions
  // did (fixedStartIndex: the first active broker whose id is at least that
  // leader's, else the first), so leadership keeps going round robin.
  CreatePartitionsResult create_partitions(const std::string& name, int32_t count,
                                           const std::vector<std::vector<int32_t>>& assignment) const;

  void handle_broker_fenced(BrokerId broker, const std::string& reason, ControllerRecords& out) const;
  void handle_broker_unfenced(BrokerId broker, ControllerRecords& out) const;
  void handle_broker_in_controlled_shutdown(BrokerId broker, ControllerRecords& out) const;
  void handle_broker_unclean_shutdown(BrokerId broker, ControllerRecords& out) const;

  struct AlterPartitionResult {
    AlterPartitionResponse response;
    ControllerRecords records;  // empty if rejected or if the ISR is unchanged
  };
  AlterPartitionResult alter_partition(const AlterPartitionRequest& request) const;

  // Kafka 4.x automatic preferred election: every partition whose leader is
  // not its preferred replica, at most kMaxElectionsPerImbalance records.
  void balance_partition_leaders(ControllerRecords& out) const;
  // The ZooKeeper-era variant: only for preferred replicas whose share of
  // partitions not led by them exceeds leader.imbalance.per.broker.percentage.
  void balance_partition_leaders_by_ratio(ControllerRecords& out) const;

  bool has_leaderships(BrokerId broker) const;
  bool leaders_imbalanced() const;

 private:
  enum class Cause : uint8_t { fenced, unfenced, controlled_shutdown, unclean_shutdown, alter_partition, preferred };

  void generate_leader_and_isr_updates(int32_t broker_to_remove, int32_t broker_to_add,
                                       int32_t broker_with_unclean_shutdown, const std::vector<TopicPartition>& parts,
                                       Cause cause, ControllerRecords& out) const;
  void elect_preferred(const TopicPartition& tp, ControllerRecords& out) const;
  std::vector<TopicPartition> partitions_with_broker_in_isr(int32_t broker) const;
  std::vector<TopicPartition> partitions_with_broker_in_elr(int32_t broker) const;
  std::vector<TopicPartition> partitions_with_no_leader() const;
  Election election_for(const std::string& topic) const;
  static std::string reason_for(const PartitionChange& change, const PartitionRecord& before, Cause cause);

  const MetadataImage& image_;
  const ControllerConfig& config_;
};

}  // namespace ksim
