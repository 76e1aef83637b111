#pragma once
// KafkaProducer: ksim's Java-like producer client on a simulated node
// (KafkaProducer + Sender + RecordAccumulator + the idempotent part of
// TransactionManager), configured by Kafka's config names with 4.x defaults
// (producer_config.h).
//
// send(topic, key, [partition]) returns a DeliveryHandle at once. What follows:
//   1. Metadata: a topic the producer does not know yet is looked up first
//      (waitOnMetadata); meanwhile the send is parked, at most max.block.ms.
//   2. The partitioner picks the partition (partitioner/partitioner.h's
//      protocol), the record joins its partition's open batch or a new one,
//      which needs buffer.memory; without room the send is parked (Java blocks
//      the caller up to max.block.ms; a simulated node cannot block, so parked
//      sends queue in FIFO order and fail with a timeout after max.block.ms).
//   3. The Sender loop (run_once, after every event): with idempotence, first
//      InitProducerId (and a local epoch bump when a sequence error asked for
//      one, KIP-360); refresh metadata when due; expire batches past
//      delivery.timeout.ms; drain sendable batches (full, linger.ms passed,
//      retry backoff passed) per leader into one Produce request each, at most
//      max.in.flight.requests.per.connection requests per broker, and only
//      to a broker whose connection is ready (Sender.sendProducerData: `if
//      (!client.ready(node, now)) iter.remove()`). A broker whose connection
//      failed is skipped until its reconnect backoff (reconnect.backoff.ms,
//      exponential to reconnect.backoff.max.ms) has passed and a new
//      connection opens: its batches wait in the accumulator for it, or for
//      a metadata update naming a new leader, or for delivery.timeout.ms.
//      Every disconnection requests a metadata update (NetworkClient's
//      DefaultMetadataUpdater.handleServerDisconnect). Metadata and
//      InitProducerId never go to a node in its reconnect backoff
//      (leastLoadedNode).
//   4. Each partition's answer: success completes the batch's deliveries with
//      their offsets; a retriable error re-enqueues the batch after
//      retry.backoff.ms (exponential to retry.backoff.max.ms, with jitter);
//      MESSAGE_TOO_LARGE for a batch of several records splits it
//      (RecordAccumulator::split_and_reenqueue); anything else fails them.
//      NOT_LEADER_OR_FOLLOWER and the other invalid
//      metadata errors, a broken connection or a request timeout refresh
//      metadata first.
// Without idempotence and with more than one request in flight, a retried
// batch can land after a later one: ksim reproduces that, as Kafka documents
// for max.in.flight.requests.per.connection > 1.
//
// Record ids and sessions. A record's ksim id is (node, running send count);
// the count and the session number live in a ProducerLineage shared by every
// incarnation of the node (the scenario runner keeps it in the node factory's
// closure), so a restarted producer continues the count (ids stay unique) and
// starts a new session (a new producer id: Kafka's idempotence no longer
// covers re-sends across it).
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/env/env.h"
#include "core/env/node.h"
#include "core/net/request_tracker.h"
#include "core/producer/delivery.h"
#include "core/producer/idempotence_manager.h"
#include "core/producer/partitioner/partitioner.h"
#include "core/producer/producer_config.h"
#include "core/producer/producer_metadata.h"
#include "core/producer/record_accumulator.h"

namespace ksim::producer {

struct ProducerLineage {
  uint64_t next_send_index = 0;
  int64_t sessions = 0;  // incarnations so far; the current session is this count
};

class KafkaProducer final : public Node {
 public:
  // `config` must come from validate_producer_config; `lineage` may be shared
  // with earlier incarnations (nullptr: a fresh one).
  KafkaProducer(Env& env, EffectiveProducerConfig config, std::shared_ptr<ProducerLineage> lineage = nullptr);

  void start() override;
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;
  void on_connection_lost(NodeId peer) override;
  void check_invariants() const override;

  // Java's send(ProducerRecord, Callback). `key` nullopt is a null key;
  // value_bytes defaults to the config's value_bytes. `resend_of`: the
  // application sends a message it sent before again (after a failure or a
  // restart): the record keeps its ksim id, so the checkers can see it twice
  // in the log; Kafka sees a new record.
  DeliveryHandle send(const std::string& topic, std::optional<std::string> key = std::nullopt,
                      std::optional<PartitionId> partition = std::nullopt, DeliveryCallback callback = {},
                      std::optional<int32_t> value_bytes = std::nullopt,
                      std::optional<RecordId> resend_of = std::nullopt);

  int64_t session() const { return session_; }
  bool idempotent() const { return config_.idempotence; }
  const EffectiveProducerConfig& config() const { return config_; }
  const IdempotenceManager& idempotence() const { return idem_; }
  const RecordAccumulator& accumulator() const { return accumulator_; }
  const ProducerMetadata& metadata() const { return metadata_; }
  size_t parked_sends() const { return parked_.size(); }
  int32_t in_flight_requests(NodeId broker) const;
  // Sends not completed yet.
  size_t pending() const { return pending_; }

 private:
  static constexpr TimerTag kRequestTimeout = 1, kWake = 2;

  struct Parked {
    std::string topic;
    std::optional<std::string> key;
    std::optional<PartitionId> partition;
    std::shared_ptr<DeliveryState> delivery;
    int32_t value_bytes = 0;
    SimTime deadline;
    bool traced_partition = false;
  };

  void run_once();
  void sender_step(SimTime now);
  void process_parked(SimTime now);
  // Partitions and appends; false if it must wait for memory.
  bool try_append(Parked& p, SimTime now);
  // One TopicName per topic for all the producer's batches: a record's
  // TopicPartition copies it instead of allocating a name (topic_name.h).
  const TopicName& shared_name(const std::string& topic);
  void send_metadata_request();
  void send_init_producer_id();
  void send_produce(NodeId node, std::vector<std::unique_ptr<ProducerBatch>> batches, SimTime now);
  void handle_partition_response(uint64_t batch_id, Errc error, Offset base_offset, Offset log_start_offset);
  void expire_batches(SimTime now);
  void complete_batch(ProducerBatch& b, Offset base_offset);
  void fail_batch(ProducerBatch& b, Errc error, bool adjust_sequences);
  void fail_delivery(DeliveryState& d, const std::string& topic, PartitionId partition, Errc error);
  // NetworkClient.leastLoadedNode, roughly, over the known brokers (the
  // bootstrap servers before any metadata); nullopt if every one is in its
  // reconnect backoff.
  std::optional<NodeId> pick_broker();
  void arm_wake(SimTime now);
  void trace_response(const ProducerBatch& b, Errc error, Offset base_offset, std::string_view outcome);

  Env& env_;
  EffectiveProducerConfig config_;
  std::shared_ptr<ProducerLineage> lineage_;
  int64_t session_ = 0;
  RequestTracker tracker_;
  ProducerMetadata metadata_;
  RecordAccumulator accumulator_;
  IdempotenceManager idem_;
  std::unique_ptr<Partitioner> partitioner_;
  std::deque<Parked> parked_;
  std::map<uint64_t, std::unique_ptr<ProducerBatch>> in_flight_;  // by batch id
  std::map<NodeId, int32_t> in_flight_requests_;
  std::map<std::string, TopicName, std::less<>> names_;  // shared_name
  uint64_t next_batch_id_ = 0;
  size_t pending_ = 0;
  size_t next_bootstrap_ = 0;
  bool metadata_in_flight_ = false;
  std::optional<SimTime> metadata_retry_at_;
  std::optional<SimTime> init_retry_at_;
  std::optional<TimerId> wake_timer_;
  std::optional<SimTime> wake_at_;
  // The earliest reconnect-backoff end of a leader with sendable batches
  // (Sender's notReadyTimeout), for arm_wake.
  std::optional<SimTime> not_ready_until_;
  bool running_ = false;
  bool rerun_ = false;
  // sender_step's scratch (it never nests, see run_once): kept to reuse their memory.
  std::vector<TopicPartition> sendable_;
  std::vector<NodeId> ready_nodes_;
};

}  // namespace ksim::producer
