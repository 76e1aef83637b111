#pragma once
// RecordJourneys: every produced record's path through the run, for the record
// inspector. Built once, while the model first reads the trace, from the same
// reducers that build the state (they report what happened to which record):
//
//   sent -> each produce attempt of its batch (to which broker, with which
//   producer id, epoch and sequence) and what came back (an error and a retry,
//   or the ack) -> appended on the leader -> fetched by each follower ->
//   covered by each replica's HW -> acknowledged (or failed) -> polled by
//   consumers -> processed -> committed;  or truncated from a replica.
//
// The producer side comes from producer_attempt / producer_response /
// producer_id_changed (core/trace/client_events.h): an attempt lists its
// batch's records, a response names only the batch, so the journeys remember
// each batch's records. A leader recognising a retried idempotent batch
// (produce_duplicate) or refusing its sequence (produce_rejected_sequence,
// core/trace/producer_state_events.h) names the producer id, epoch and first
// sequence, which the attempt carried: that is how those reach the records.
// A record appended by a leader at an offset while the same replica still
// holds it at another is a duplicate (the at-least-once retry of KIP-98's
// motivation, or a producer restart): the step says so.
//
// Whether an acknowledged record was later lost, or ends up duplicated, is the
// checkers' question about the whole run: checked_records.h.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "sim/trace/trace.h"
#include "viz/model/cluster_state.h"

namespace ksim::viz {

enum class JourneyKind : uint8_t {
  sent,
  produce_attempt,       // the batch holding it went out in a Produce request (peer: the broker)
  produce_response,      // what came back for that attempt (detail: error -> outcome)
  producer_id_changed,   // its producer got a new id or epoch while the record was in flight
  deduplicated,          // a leader recognised a retry of its batch and appended nothing
  sequence_rejected,     // a leader refused its batch's sequence or epoch
  producer_crashed,      // its producer's process died with the batch unanswered
  appended_by_leader,
  fetched_by_follower,
  covered_by_hw,
  acked,
  failed,
  polled,
  processed,
  committed,
  truncated,
  epoch_answered,        // the leader told the replica holding it where its epoch ends (OffsetsForLeaderEpoch)
};
std::string_view journey_kind_name(JourneyKind k);

struct JourneyStep {
  uint64_t event = 0;  // index of the trace event
  SimTime at;
  JourneyKind kind = JourneyKind::sent;
  NodeId node = kNoNode;  // where it happened (the broker, the client)
  Offset offset{-1};
  std::string detail;  // error name, truncation reason, group, ...
  NodeId peer = kNoNode;  // the other side: the broker a produce attempt went to
  bool bad = false;       // a step a student should notice: a retry's cause, a duplicate, a rejection
};

struct RecordJourney {
  RecordId id;
  std::optional<TopicPartition> tp;  // from send, ack or append
  std::vector<JourneyStep> steps;    // in trace order
  bool acked = false;
  Offset acked_offset{-1};
  uint64_t acked_event = 0;
  bool failed = false;
  int32_t attempts = 0;                // produce attempts of its batch(es)
  // Offsets where a leader appended it while the same replica already held it
  // elsewhere: the second copy of a duplicate (empty for most records).
  std::vector<Offset> duplicate_offsets;
  bool deduplicated = false;           // a leader answered a retry of it from its producer state
};

// One batch as its producer sent it (producer_attempt).
struct ProducedBatch {
  TopicPartition tp;
  std::vector<RecordId> records;
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  Sequence base_sequence{-1};
  NodeId broker = kNoNode;  // of the latest attempt
  bool done = false;        // acked, failed or expired
};

class RecordJourneys {
 public:
  void add(RecordId id, const std::optional<TopicPartition>& tp, JourneyStep step);
  const RecordJourney* find(RecordId id) const;
  const std::map<RecordId, RecordJourney>& all() const { return journeys_; }

  // Consumed records wait here until a commit of their group covers them.
  void consumed(const std::string& group, const std::string& tp, Offset offset, RecordId id);
  // Stamps `committed` on the pending records of (group, tp) below `offset`.
  void commit(const std::string& group, const std::string& tp, Offset offset, const JourneyStep& step);

  // The producer side. `producer` is the producing node; batch ids are its own.
  void attempt(NodeId producer, uint64_t batch, ProducedBatch sent, int32_t attempt, JourneyStep step);
  void response(NodeId producer, uint64_t batch, const std::string& outcome, Offset base_offset, JourneyStep step);
  void producer_id_changed(NodeId producer, const JourneyStep& step);
  // The producer's process died: its unfinished batches die with it (`step`
  // goes into their records' journeys).
  void producer_crashed(NodeId producer, const JourneyStep& step);
  // A leader's verdict on an idempotent batch, found by producer id, epoch and
  // first sequence. `offset_of_first` (dedup: the original base offset) numbers the records.
  void broker_verdict(const TopicPartition& tp, ProducerId pid, ProducerEpoch epoch, Sequence first_sequence,
                      Offset offset_of_first, JourneyStep step);

 private:
  using BatchKey = std::pair<NodeId, uint64_t>;
  using SequenceKey = std::tuple<TopicPartition, int64_t, int32_t, int32_t>;  // tp, pid, epoch, first sequence
  std::map<RecordId, RecordJourney> journeys_;
  std::map<BatchKey, ProducedBatch> batches_;
  std::map<SequenceKey, BatchKey> by_sequence_;
  std::map<std::pair<std::string, std::string>, std::map<Offset, RecordId>> pending_commit_;
};

// "p1#17": the producing node's name and its send count.
std::string record_label(const TraceHeader& header, RecordId id);

}  // namespace ksim::viz
