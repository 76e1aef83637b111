#pragma once
// BrokerNode: a Kafka broker process in KRaft mode (Kafka's BrokerServer and
// KafkaApis). It wires the pieces and dispatches requests:
//
//   lifecycle   registration and heartbeats (BrokerLifecycleManager,
//               broker_lifecycle_manager.h), and following the metadata log
//               with long-polling MetadataFetch requests (a KRaft observer);
//   metadata    replay records into a MetadataImage, then hand each touched
//               partition to the ReplicaManager (leader, follower, offline)
//               and the group coordinator (__consumer_offsets);
//   requests    Produce, Fetch, OffsetsForLeaderEpoch and ListOffsets go to
//               the ReplicaManager (replica_manager.h); Metadata is answered
//               from the image; InitProducerId by the ProducerIdManager;
//               group requests by the GroupCoordinator (broker_node_groups.cc);
//   timers      the isr-expiration task every replica.lag.time.max.ms / 2, the
//               HW checkpoint every replica.high.watermark.checkpoint.interval.ms,
//               and idle producer ids expire every
//               producer.id.expiration.check.interval.ms.
//
// On a restart every partition log found on disk is recovered before anything
// else (LogManager's log loading); what it leads or follows comes from metadata.
#include <memory>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/broker/broker_lifecycle_manager.h"
#include "core/broker/partition.h"
#include "core/broker/producer_id_manager.h"
#include "core/broker/replica_fetcher.h"
#include "core/broker/replica_manager.h"
#include "core/env/node.h"
#include "core/group/coordinator/coordinator_host.h"
#include "core/group/coordinator/group_coordinator.h"
#include "core/metadata/metadata_image.h"
#include "core/net/request_tracker.h"

namespace ksim {

class BrokerNode final : public Node, private CoordinatorHost {
 public:
  BrokerNode(Env& env, BrokerConfig config);
  ~BrokerNode() override;

  void start() override;
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;
  void on_connection_lost(NodeId peer) override;
  void check_invariants() const override;

  // Controlled shutdown: ask the controller to move leadership away; when it
  // agrees, flush and report shutdown_complete() (the environment then stops
  // the process).
  void begin_controlled_shutdown() { lifecycle_.begin_controlled_shutdown(); }
  bool shutdown_complete() const { return lifecycle_.shutdown_complete(); }

  // Read access for tests and fixtures (checkers and the viewer use the trace).
  const BrokerConfig& config() const { return config_; }
  const MetadataImage& metadata() const { return image_; }
  const Partition* partition(const TopicPartition& tp) const { return replicas_.partition(tp); }
  // Changing access (tests that plant a broken state; the partition is then
  // touched and checked after the event, like any other change).
  Partition* partition(const TopicPartition& tp) { return replicas_.partition(tp); }
  BrokerEpoch broker_epoch() const { return lifecycle_.broker_epoch(); }
  bool is_fenced() const { return lifecycle_.fenced(); }
  const GroupCoordinator& group_coordinator() const { return *group_coordinator_; }
  // KIP-227: the sessions this broker keeps as a leader, and the fetcher (with
  // its session) it runs towards `leader`, if any.
  const FetchSessionCache& fetch_sessions() const { return replicas_.fetch_sessions(); }
  const ReplicaFetcher* fetcher(BrokerId leader) const { return replicas_.fetcher(leader); }

 private:
  // Timer tags (fetcher backoffs use kFetchBackoff + leader broker id).
  static constexpr TimerTag kRequestTimeout = 1, kHeartbeat = 2, kRegister = 3, kMetadataFetch = 4,
                            kIsrExpiration = 5, kHwCheckpoint = 6, kDelayedProduce = 7, kDelayedFetch = 8,
                            kProducerExpiration = 9, kGroupCoordinator = 10, kHeartbeatResend = 11,
                            kFetchBackoff = 1000;

  // metadata
  void send_metadata_fetch();
  void apply_metadata(const MetadataFetchResponse& response);
  void on_partition_record(const PartitionRecord& record);

  void handle_metadata(NodeId from, const MetadataRequest& req);

  // consumer groups (broker_node_groups.cc)
  void handle_find_coordinator(NodeId from, const FindCoordinatorRequest& req);
  void maybe_create_offsets_topic();
  void on_offsets_partition_record(const PartitionRecord& r, bool assigned_here);
  // CoordinatorHost
  void append_offsets_records(PartitionId partition, std::vector<Record> records,
                              std::function<void(Errc)> done) override;
  const PartitionLog* offsets_log(PartitionId partition) const override;

  Env& env_;
  BrokerConfig config_;
  RequestTracker tracker_;
  ProducerIdManager producer_ids_;
  MetadataImage image_;
  BrokerLifecycleManager lifecycle_;
  ReplicaManager replicas_;
  std::unique_ptr<GroupCoordinator> group_coordinator_;
  bool offsets_topic_creation_in_flight_ = false;
  bool metadata_fetch_in_flight_ = false;
};

}  // namespace ksim
