#pragma once
// Trace events of clients: what producers and consumers (and the application
// code of the workload) saw. The checkers build their history from these.
// docs/trace-format.md documents every kind.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"

namespace ksim::trace {

// The application called send() for one record. partition is the one the
// partitioner chose (or the explicit one). session identifies the producer
// instance: it changes when the producer restarts (a new producer id).
struct ProducerSend {
  static constexpr std::string_view kKind = "producer_send";
  RecordId record;
  std::string topic;
  PartitionId partition;
  std::string key;  // empty with has_key=false for a null key
  bool has_key = false;
  int64_t session = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("record", s.record); f("topic", s.topic); f("partition", s.partition); f("key", s.key);
    f("has_key", s.has_key); f("session", s.session);
  }
};

// The send completed successfully: the broker acknowledged it at `offset`
// (-1 with acks=0, where nothing is known).
struct ProducerAcked {
  static constexpr std::string_view kKind = "producer_acked";
  RecordId record;
  std::string topic;
  PartitionId partition;
  Offset offset;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("record", s.record); f("topic", s.topic); f("partition", s.partition); f("offset", s.offset);
  }
};

// The send completed with an error the application sees (after retries, or a
// non-retriable error): Kafka's error name, e.g. "NOT_ENOUGH_REPLICAS",
// "REQUEST_TIMED_OUT" (delivery.timeout.ms expired). The record may or may not
// be in the log: a failed send is indeterminate.
struct ProducerFailed {
  static constexpr std::string_view kKind = "producer_failed";
  RecordId record;
  std::string topic;
  PartitionId partition;
  std::string error;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("record", s.record); f("topic", s.topic); f("partition", s.partition); f("error", s.error);
  }
};

// The producer's Sender put one batch into a Produce request to `broker`
// (the partition leader's node). attempt counts from 1; a retry of the same
// batch has the same `batch` and a higher attempt. producer_id, producer_epoch
// and base_sequence are -1 without idempotence (KIP-98).
struct ProducerAttempt {
  static constexpr std::string_view kKind = "producer_attempt";
  uint64_t batch = 0;
  std::string topic;
  PartitionId partition;
  NodeId broker;
  int32_t attempt = 0;
  std::vector<RecordId> records;
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  Sequence base_sequence{-1};
  template <class S, class F> static void fields(S& s, F&& f) {
    f("batch", s.batch); f("topic", s.topic); f("partition", s.partition); f("broker", s.broker);
    f("attempt", s.attempt); f("records", s.records); f("producer_id", s.producer_id);
    f("producer_epoch", s.producer_epoch); f("base_sequence", s.base_sequence);
  }
};

// What became of one produce attempt of a batch: the broker's (or the
// transport's) error, "NONE" on success, and what the producer does next:
// "acked", "retry" (back into the accumulator after retry backoff), "failed"
// (handed to the application as an error), "expired" (delivery.timeout.ms
// passed) or "ignored" (a late answer for a batch already completed).
struct ProducerResponse {
  static constexpr std::string_view kKind = "producer_response";
  uint64_t batch = 0;
  std::string topic;
  PartitionId partition;
  int32_t attempt = 0;
  std::string error;
  Offset base_offset{-1};
  std::string outcome;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("batch", s.batch); f("topic", s.topic); f("partition", s.partition); f("attempt", s.attempt);
    f("error", s.error); f("base_offset", s.base_offset); f("outcome", s.outcome);
  }
};

// The idempotent producer's identity changed: InitProducerId answered (a new
// producer id) or the epoch was bumped locally after a sequence error
// (KIP-360). reason: "init_producer_id" or "epoch_bump".
struct ProducerIdChanged {
  static constexpr std::string_view kKind = "producer_id_changed";
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("producer_id", s.producer_id); f("producer_epoch", s.producer_epoch); f("reason", s.reason);
  }
};

// poll() returned records of one partition to the application. offsets[i]
// holds records[i]. generation is the group generation (or -1 without a group)
// of the assignment the consumer held.
struct ConsumerPolled {
  static constexpr std::string_view kKind = "consumer_polled";
  std::string group;
  GenerationId generation;
  std::string topic;
  PartitionId partition;
  std::vector<Offset> offsets;
  std::vector<RecordId> records;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("generation", s.generation); f("topic", s.topic); f("partition", s.partition);
    f("offsets", s.offsets); f("records", s.records);
  }
};

// The application finished processing one record (its side effect happened).
struct RecordProcessed {
  static constexpr std::string_view kKind = "record_processed";
  std::string group;
  std::string topic;
  PartitionId partition;
  Offset offset;
  RecordId record;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("topic", s.topic); f("partition", s.partition); f("offset", s.offset);
    f("record", s.record);
  }
};

// An offset commit completed: offset is the next offset to consume
// (last processed + 1). error is "NONE" on success, otherwise Kafka's name
// (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, ...).
struct OffsetCommitted {
  static constexpr std::string_view kKind = "offset_committed";
  std::string group;
  GenerationId generation;
  std::string topic;
  PartitionId partition;
  Offset offset;
  std::string error;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("generation", s.generation); f("topic", s.topic); f("partition", s.partition);
    f("offset", s.offset); f("error", s.error);
  }
};

// A consumer's assignment changed (after SyncGroup, or revocation in the
// cooperative protocol). Partitions as "topic-partition".
struct AssignmentChanged {
  static constexpr std::string_view kKind = "assignment_changed";
  std::string group;
  GenerationId generation;
  std::vector<std::string> assigned;
  std::vector<std::string> revoked;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("group", s.group); f("generation", s.generation); f("assigned", s.assigned); f("revoked", s.revoked);
  }
};

// KIP-320: the consumer checked its position in a partition against a new
// leader (OffsetsForLeaderEpoch). position / position_epoch: the next offset
// it would fetch and the leader epoch of the last record it consumed;
// leader_epoch: the new leader's; end_offset / end_epoch: the leader's answer
// (where position_epoch ends in its log). outcome: "valid" (fetching goes
// on), "truncated" (the log diverged below the position: it moves back to
// end_offset), "reset" (the leader does not know the epoch:
// auto.offset.reset), "truncation_fatal" (auto.offset.reset=none:
// LogTruncationException).
struct PositionValidated {
  static constexpr std::string_view kKind = "position_validated";
  std::string topic;
  PartitionId partition;
  Offset position;
  LeaderEpoch position_epoch;
  LeaderEpoch leader_epoch;
  Offset end_offset;
  LeaderEpoch end_epoch;
  std::string outcome;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("position", s.position);
    f("position_epoch", s.position_epoch); f("leader_epoch", s.leader_epoch); f("end_offset", s.end_offset);
    f("end_epoch", s.end_epoch); f("outcome", s.outcome);
  }
};

// A client stopped on a fatal error: what Kafka's client throws to the
// application and does not recover from (the consumer's poll() throws, the
// application's loop ends). client: "consumer" or "producer". error: Kafka's
// error name (INVALID_SESSION_TIMEOUT, FENCED_INSTANCE_ID, ...); exception: the
// Java exception the application would see; config: the setting that caused
// it, as "key=value" (session.timeout.ms=5000); partition: "topic-partition"
// when the error is about one, else ""; reason: one sentence for a reader.
struct ClientFailed {
  static constexpr std::string_view kKind = "client_failed";
  std::string client;
  std::string group;
  std::string error;
  std::string exception;
  std::string config;
  std::string partition;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("client", s.client); f("group", s.group); f("error", s.error); f("exception", s.exception);
    f("config", s.config); f("partition", s.partition); f("reason", s.reason);
  }
};

}  // namespace ksim::trace
