#pragma once
// BrokerNode: a Kafka broker process (KRaft mode). It wires the pieces:
//
//   lifecycle   register with the controller (BrokerRegistration), heartbeat
//               every broker.heartbeat.interval.ms (retried as below), and
//               follow the metadata log with long-polling MetadataFetch requests;
//   metadata    replay records into a MetadataImage and, for each partition
//               assigned here, make it leader or follower (Partition) and start
//               or stop replica fetchers;
//   requests    Produce (with the acks=all purgatory), Fetch from followers and
//               consumers (with the long-poll purgatory), OffsetsForLeaderEpoch,
//               ListOffsets, Metadata, InitProducerId (ProducerIdManager);
//   timers      the isr-expiration task every replica.lag.time.max.ms / 2, the
//               HW checkpoint every replica.high.watermark.checkpoint.interval.ms,
//               and idle producer ids expire every
//               producer.id.expiration.check.interval.ms.
//
// Heartbeats follow BrokerLifecycleManager over its own "heartbeat"
// NodeToControllerChannelManager, whose retry timeout is
// broker.session.timeout.ms / 2 (KAFKA-14392; 4.5 s by default):
//   1. a heartbeat attempt times out after min(request.timeout.ms, that
//      retry timeout) (request.timeout.ms stands for controller.socket.timeout.ms);
//   2. an attempt lost at the transport (the connection broke, or it timed out:
//      NetworkClient then drops the connection) is re-queued and sent again
//      on the next connection, 50 ms later (the channel's reconnect backoff),
//      while less than the retry timeout has passed since the heartbeat was
//      first sent (NodeToControllerRequestThread.handleResponse/generateRequests);
//   3. past that the heartbeat has failed (onTimeout): the next one goes after
//      100 ms * 2^failures, at most broker.session.timeout.ms, jitter 2%
//      (scheduleNextCommunicationAfterFailure); an error answer is a failure
//      too, except that a stale epoch or unknown broker registers again;
//   4. an answered heartbeat resets the failures, and the next goes
//      broker.heartbeat.interval.ms later (200 ms while shutting down).
// So a short cut between broker and controller never silences a broker for
// longer than about half its session: it is not fenced for it.
//
// On a restart every partition log found on disk is recovered before anything
// else (LogManager's log loading); what it leads or follows comes from metadata.
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/base/exponential_backoff.h"
#include "core/broker/broker_config.h"
#include "core/broker/delayed_operations.h"
#include "core/broker/fetch_context.h"
#include "core/broker/fetch_session_cache.h"
#include "core/broker/partition.h"
#include "core/broker/producer_id_manager.h"
#include "core/broker/replica_fetcher.h"
#include "core/env/node.h"
#include "core/group/coordinator/coordinator_host.h"
#include "core/group/coordinator/group_coordinator.h"
#include "core/metadata/metadata_image.h"
#include "core/net/request_tracker.h"

namespace ksim {

class BrokerNode final : public Node, private PartitionHost, private CoordinatorHost {
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
  void begin_controlled_shutdown();
  bool shutdown_complete() const { return shutdown_complete_; }

  // Read access for tests and fixtures (checkers and the viewer use the trace).
  const BrokerConfig& config() const { return config_; }
  const MetadataImage& metadata() const { return image_; }
  const Partition* partition(const TopicPartition& tp) const;
  // Changing access (tests that plant a broken state; the partition is then
  // touched and checked after the event, like any other change).
  Partition* partition(const TopicPartition& tp);
  BrokerEpoch broker_epoch() const { return broker_epoch_; }
  bool is_fenced() const { return fenced_; }
  const GroupCoordinator& group_coordinator() const { return *group_coordinator_; }
  // KIP-227: the sessions this broker keeps as a leader, and the fetcher (with
  // its session) it runs towards `leader`, if any.
  const FetchSessionCache& fetch_sessions() const { return *fetch_sessions_; }
  const ReplicaFetcher* fetcher(BrokerId leader) const {
    auto it = fetchers_.find(leader.value);
    return it == fetchers_.end() ? nullptr : it->second.get();
  }

 private:
  // Timer tags (fetcher backoffs use kFetchBackoff + leader broker id).
  static constexpr TimerTag kRequestTimeout = 1, kHeartbeat = 2, kRegister = 3, kMetadataFetch = 4,
                            kIsrExpiration = 5, kHwCheckpoint = 6, kDelayedProduce = 7, kDelayedFetch = 8,
                            kProducerExpiration = 9, kGroupCoordinator = 10, kHeartbeatResend = 11,
                            kFetchBackoff = 1000;

  // lifecycle
  void send_registration();
  void send_heartbeat();
  void send_heartbeat_attempt();
  void on_heartbeat_failed();
  void send_metadata_fetch();
  void apply_metadata(const MetadataFetchResponse& response);
  void on_partition_record(const PartitionRecord& record);
  void on_topic_record(const TopicRecord& record);
  Partition& get_or_create_partition(const TopicPartition& tp);
  PartitionSettings settings_for(const std::string& topic) const;
  LogConfig log_config_for(const std::string& topic) const;
  void recover_logs();
  ReplicaFetcher& fetcher_for(BrokerId leader);
  void stop_fetching(const TopicPartition& tp);

  // requests
  void handle_produce(const ReplyTo& from, const ProduceRequest& req);
  void handle_fetch(const ReplyTo& from, const FetchRequest& req);
  void handle_offsets_for_leader_epoch(NodeId from, const OffsetsForLeaderEpochRequest& req);
  void handle_list_offsets(NodeId from, const ListOffsetsRequest& req);
  void handle_metadata(NodeId from, const MetadataRequest& req);
  // Reads every partition of a fetch's context into `reads` (index-aligned
  // with context.partitions()); returns the bytes read and whether any
  // partition has an error or a diverging epoch to report.
  struct FetchReadSummary {
    int64_t bytes = 0;
    bool error = false;
  };
  FetchReadSummary read_fetch(FetchContext& context, const FetchRequest& req, bool update_fetch_state,
                              std::vector<FollowerReadResult>& reads);
  // One partition of a fetch (`max_bytes`: what is left of the response's budget).
  FollowerReadResult read_partition(CachedPartition& cp, const FetchRequest& req, int64_t max_bytes,
                                    bool update_fetch_state);
  void finish_fetch(DelayedFetch d);

  // purgatories
  void try_complete_produces(const TopicPartition& tp);
  void try_complete_fetches(const TopicPartition& tp);
  void finish_produce(size_t index);
  void on_produce_timeout(TimerId id);
  void on_fetch_timeout(TimerId id);

  // consumer groups (broker_node_groups.cc)
  void handle_find_coordinator(NodeId from, const FindCoordinatorRequest& req);
  void maybe_create_offsets_topic();
  void on_offsets_partition_record(const PartitionRecord& r, bool assigned_here);
  // CoordinatorHost
  void append_offsets_records(PartitionId partition, std::vector<Record> records,
                              std::function<void(Errc)> done) override;
  const PartitionLog* offsets_log(PartitionId partition) const override;

  // PartitionHost
  void submit_alter_partition(const TopicPartition& tp, AlterPartitionRequest request, uint64_t change_id) override;
  bool is_replica_isr_eligible(BrokerId broker, BrokerEpoch fetch_epoch) const override;
  BrokerEpoch local_broker_epoch() const override { return broker_epoch_; }
  void on_leader_progress(const TopicPartition& tp) override;
  void on_partition_touched(const Partition& partition) override;

  Env& env_;
  BrokerConfig config_;
  RequestTracker tracker_;
  ProducerIdManager producer_ids_;
  MetadataImage image_;
  std::map<TopicPartition, std::unique_ptr<Partition>> partitions_;
  // Partitions touched since check_invariants() last ran, in touch order
  // (partitions are never removed, so the pointers stay valid).
  mutable std::vector<const Partition*> touched_partitions_;
  std::map<int32_t, std::unique_ptr<ReplicaFetcher>> fetchers_;  // by leader broker id
  std::vector<DelayedProduce> delayed_produces_;
  std::vector<DelayedFetch> delayed_fetches_;
  // KIP-227 sessions (volatile: a restarted broker starts with none). Made in
  // start(), seeded by the incarnation.
  std::optional<FetchSessionCache> fetch_sessions_;
  std::unique_ptr<GroupCoordinator> group_coordinator_;
  bool offsets_topic_creation_in_flight_ = false;

  uint64_t incarnation_id_ = 0;
  BrokerEpoch broker_epoch_{-1};
  bool registered_ = false;
  bool fenced_ = true;
  bool heartbeat_in_flight_ = false;  // from a heartbeat's first attempt to its answer or failure
  SimTime heartbeat_created_;         // when the heartbeat in flight was first sent
  int64_t heartbeat_failures_ = 0;    // failed heartbeats since the last answered one
  bool metadata_fetch_in_flight_ = false;
  ExponentialBackoff heartbeat_backoff_;
  bool shutting_down_ = false;
  bool shutdown_complete_ = false;
};

}  // namespace ksim
