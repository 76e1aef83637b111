#pragma once
// RecordJourneys: every produced record's path through the run, for the record
// inspector. Built once, while the model first reads the trace, from the same
// reducers that build the state (they report what happened to which record):
//
//   sent -> appended on the leader -> fetched by each follower -> covered by
//   each replica's HW -> acknowledged (or failed) -> polled by consumers ->
//   processed -> committed;  or truncated from a replica.
//
// Whether an acknowledged record was later lost is a question about the end of
// the run (is it in the final leader's log?), answered by find_lost_acked().
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "sim/trace/trace.h"
#include "viz/model/cluster_state.h"

namespace ksim::viz {

enum class JourneyKind : uint8_t {
  sent,
  appended_by_leader,
  fetched_by_follower,
  covered_by_hw,
  acked,
  failed,
  polled,
  processed,
  committed,
  truncated,
};
std::string_view journey_kind_name(JourneyKind k);

struct JourneyStep {
  uint64_t event = 0;  // index of the trace event
  SimTime at;
  JourneyKind kind = JourneyKind::sent;
  NodeId node = kNoNode;  // where it happened (the broker, the client)
  Offset offset{-1};
  std::string detail;  // error name, truncation reason, group, ...
};

struct RecordJourney {
  RecordId id;
  std::optional<TopicPartition> tp;  // from send, ack or append
  std::vector<JourneyStep> steps;    // in trace order
  bool acked = false;
  Offset acked_offset{-1};
  uint64_t acked_event = 0;
  bool failed = false;
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

 private:
  std::map<RecordId, RecordJourney> journeys_;
  std::map<std::pair<std::string, std::string>, std::map<Offset, RecordId>> pending_commit_;
};

// An acknowledged record that the end of the run no longer has.
struct LostRecord {
  RecordId id;
  TopicPartition tp;
  std::string why;                          // one readable sentence
  std::optional<uint64_t> truncation_event;  // the last truncation that removed it, if any
};

// Acknowledged records absent from the final leader's log (or, for a partition
// with no leader at the end, from every replica): Kafka's "lost acknowledged
// write". `final_state` is the state after the last event.
std::map<RecordId, LostRecord> find_lost_acked(const ClusterState& final_state, const RecordJourneys& journeys,
                                               const TraceHeader& header);

// "p1#17": the producing node's name and its send count.
std::string record_label(const TraceHeader& header, RecordId id);

}  // namespace ksim::viz
