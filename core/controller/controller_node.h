#pragma once
// ControllerNode: the cluster's single KRaft controller (a quorum of one).
// It owns the metadata log and answers brokers and admins:
//
//   BrokerRegistration   -> RegisterBrokerRecord; the new broker epoch is the
//                           offset of the write that registers it (Kafka's
//                           nextWriteOffset); a new broker starts fenced.
//                           A different incarnation while the old one's session
//                           is valid: DUPLICATE_BROKER_REGISTRATION (retry).
//                           The same incarnation again: the same epoch, no record.
//   BrokerHeartbeat      -> session refresh and the fencing / controlled
//                           shutdown state machine (BrokerHeartbeatManager).
//                           Unknown broker or wrong epoch: STALE_BROKER_EPOCH.
//   MetadataFetch        -> records from fetch_offset on; if there are none yet
//                           the request is parked until records are appended
//                           or max_wait_ms passes (then an empty answer).
//   AlterPartition       -> validated and applied (ReplicationControl).
//   CreateTopics         -> TopicRecord + PartitionRecords (ReplicationControl).
//   CreatePartitions     -> PartitionRecords for the added partitions.
//   AllocateProducerIds  -> the next block of 1000 producer ids, recorded as a
//                           ProducerIdsRecord (ProducerIdControl, KIP-730).
//
// and acts on its own, on timers:
//   - fences a broker at the instant its session expires
//     (last heartbeat + broker.session.timeout.ms), one write per broker, as
//     QuorumController.maybeFenceOneStaleBroker;
//   - automatic preferred leader election (see LeaderBalancePolicy);
//   - creates ControllerConfig.initial_topics once enough brokers are active.
//
// Every write goes: generate records against the image -> MetadataLog.append
// (durable) -> replay into the image -> trace -> answer the request and wake
// parked fetches. Nothing is answered before it is durable.
//
// Crash and restart: the object dies with its timers and parked fetches; the
// new one's start() recovers the log from storage, rebuilds the image and
// gives every registered broker a fresh session starting now, so brokers that
// keep heartbeating are not fenced for the controller's own absence.
//
// Invariants (check_invariants, after every event):
//   1. log end offset == image offset + 1: every durable record is applied.
//   2. Per partition: replicas distinct; ISR and ELR are distinct subsets of
//      the replicas and disjoint; with ELR off the ISR is never empty and the
//      ELR is empty.
//   3. A partition's leader, if any, is in its ISR and is an active broker
//      (registered, unfenced, not in controlled shutdown). Kafka writes the
//      leadership moves and the fencing in one batch, so this holds at every
//      batch boundary, which is every point a broker can observe.
//   4. Leader and partition epochs never decrease; the partition epoch grows
//      with every record (asserted when a record is replayed).
//   5. A parked fetch has nothing to read yet.
#include <cstdint>
#include <map>
#include <vector>

#include "core/controller/broker_heartbeat_manager.h"
#include "core/controller/controller_config.h"
#include "core/controller/controller_record.h"
#include "core/controller/metadata_log.h"
#include "core/env/env.h"
#include "core/env/node.h"
#include "core/metadata/metadata_image.h"

namespace ksim {

class ControllerNode final : public Node {
 public:
  ControllerNode(Env& env, ControllerConfig config);

  void start() override;
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;
  void on_connection_lost(NodeId peer) override;
  void check_invariants() const override;

  // CreatePartitions as an operator's `kafka-topics.sh --alter --partitions`
  // reaches the controller (the scenarios' add_partitions fault): the records
  // are appended now, and the answer (also traced when it is an error) is
  // what the tool would print. on_message answers the request with it.
  CreatePartitionsResponse create_partitions(const CreatePartitionsRequest& req);
  // CreateTopics as an operator's `kafka-topics.sh --create` reaches the
  // controller (the scenarios' create_topic fault): the TopicRecord and
  // PartitionRecords are appended now (traced as topic_created); an error
  // (the topic exists, too few brokers) is traced as a note.
  void create_topic(const InitialTopic& topic);

  // Read-only views for tests and fixtures (checkers read the trace).
  const MetadataImage& image() const { return image_; }
  const MetadataLog& log() const { return log_; }
  const ControllerConfig& config() const { return config_; }
  const BrokerHeartbeatManager& heartbeats() const { return heartbeats_; }
  size_t parked_fetches() const { return parked_.size(); }

 private:
  void check_partition_invariants() const;
  struct Registration {
    int64_t record_offset = -1;  // offset of the broker's RegisterBrokerRecord
    uint64_t incarnation_id = 0;
  };
  struct ParkedFetch {
    TimerId expiry;
    ReplyTo from;  // answered on the connection the fetch came in on, or not at all
    MetadataFetchRequest request;
  };

  void on_registration(NodeId from, const BrokerRegistrationRequest& req);
  void on_heartbeat(NodeId from, const BrokerHeartbeatRequest& req);
  void on_metadata_fetch(const ReplyTo& from, const MetadataFetchRequest& req);
  void on_alter_partition(NodeId from, const AlterPartitionRequest& req);
  void on_create_topics(NodeId from, const CreateTopicsRequest& req);
  void on_create_partitions(NodeId from, const CreatePartitionsRequest& req);
  void on_allocate_producer_ids(NodeId from, const AllocateProducerIdsRequest& req);

  // One durable write: append, replay, trace, wake parked fetches.
  void append(const ControllerRecords& batch);
  void replay(const MetadataRecord& record, int64_t offset);
  // `was`: for a registration change, the broker as it was before it.
  void trace_record(const ControllerRecords& batch, size_t index, const BrokerInfo* was);
  void answer_fetch(const ReplyTo& to, const MetadataFetchRequest& req);
  void wake_parked_fetches();

  void fence_stale_brokers();
  void reschedule_fence_check();
  // Kafka schedules these after every write event.
  void after_event();
  void maybe_schedule_leader_balance();
  void run_leader_balance();
  void maybe_create_initial_topics();

  Env& env_;
  ControllerConfig config_;
  MetadataLog log_;
  MetadataImage image_;
  BrokerHeartbeatManager heartbeats_;
  std::map<int32_t, Registration> registrations_;
  mutable int64_t partitions_checked_at_ = -2;  // image offset of the last partition check
  std::vector<ParkedFetch> parked_;  // in arrival order

  TimerId fence_timer_;
  SimTime fence_timer_at_;
  TimerId balance_timer_;
  bool balance_immediately_ = false;  // the last run hit kMaxElectionsPerImbalance
  std::vector<std::string> failed_initial_topics_;
};

}  // namespace ksim
