#include "viz/model/record_journey.h"

#include <algorithm>
#include <set>

namespace ksim::viz {

std::string_view journey_kind_name(JourneyKind k) {
  switch (k) {
    case JourneyKind::sent: return "sent";
    case JourneyKind::produce_attempt: return "produce attempt";
    case JourneyKind::produce_response: return "answer";
    case JourneyKind::producer_id_changed: return "producer id changed";
    case JourneyKind::deduplicated: return "retry recognised";
    case JourneyKind::sequence_rejected: return "sequence rejected";
    case JourneyKind::producer_crashed: return "producer crashed";
    case JourneyKind::appended_by_leader: return "appended by leader";
    case JourneyKind::fetched_by_follower: return "fetched by follower";
    case JourneyKind::covered_by_hw: return "below HW";
    case JourneyKind::acked: return "acknowledged";
    case JourneyKind::failed: return "send failed";
    case JourneyKind::polled: return "consumed";
    case JourneyKind::processed: return "processed";
    case JourneyKind::committed: return "offset committed";
    case JourneyKind::truncated: return "TRUNCATED";
    case JourneyKind::epoch_answered: return "epoch end asked";
  }
  return "?";
}

void RecordJourneys::add(RecordId id, const std::optional<TopicPartition>& tp, JourneyStep step) {
  RecordJourney& j = journeys_[id];
  j.id = id;
  if (!j.tp && tp) j.tp = tp;
  if (step.kind == JourneyKind::acked) {
    j.acked = true;
    j.acked_offset = step.offset;
    j.acked_event = step.event;
  } else if (step.kind == JourneyKind::failed) {
    j.failed = true;
  } else if (step.kind == JourneyKind::produce_attempt) {
    ++j.attempts;
  } else if (step.kind == JourneyKind::deduplicated) {
    j.deduplicated = true;
  } else if (step.kind == JourneyKind::appended_by_leader && step.offset.value >= 0) {
    // Does this replica still hold the record at an earlier offset? Then the
    // leader just wrote it a second time.
    for (size_t i = 0; i < j.steps.size(); ++i) {
      const JourneyStep& earlier = j.steps[i];
      if (earlier.node != step.node || earlier.offset.value < 0 || earlier.offset >= step.offset) continue;
      if (earlier.kind != JourneyKind::appended_by_leader && earlier.kind != JourneyKind::fetched_by_follower) continue;
      bool removed = false;
      for (size_t k = i + 1; k < j.steps.size() && !removed; ++k)
        removed = j.steps[k].kind == JourneyKind::truncated && j.steps[k].node == step.node &&
                  j.steps[k].offset == earlier.offset;
      if (removed) continue;
      j.duplicate_offsets.push_back(step.offset);
      step.bad = true;
      step.detail = "DUPLICATE: this replica already has it at offset " + std::to_string(earlier.offset.value) +
                    (step.detail.empty() ? "" : "; " + step.detail);
      break;
    }
  }
  j.steps.push_back(std::move(step));
}

void RecordJourneys::attempt(NodeId producer, uint64_t batch, ProducedBatch sent, int32_t attempt, JourneyStep step) {
  const BatchKey key{producer, batch};
  ProducedBatch& b = batches_[key];
  b = std::move(sent);
  if (b.producer_id.value >= 0)
    by_sequence_[SequenceKey{b.tp, b.producer_id.value, b.producer_epoch.value, b.base_sequence.value}] = key;
  step.bad = attempt > 1;  // a retry: something went wrong before it
  for (size_t i = 0; i < b.records.size(); ++i) {
    JourneyStep st = step;
    if (b.producer_id.value >= 0)
      st.detail += ": producer id " + std::to_string(b.producer_id.value) + ", epoch " +
                   std::to_string(b.producer_epoch.value) + ", sequence " +
                   std::to_string(b.base_sequence.value + static_cast<int64_t>(i));
    else
      st.detail += " (no producer id: not idempotent)";
    add(b.records[i], b.tp, std::move(st));
  }
}

void RecordJourneys::response(NodeId producer, uint64_t batch, const std::string& outcome, Offset base_offset,
                              JourneyStep step) {
  auto it = batches_.find(BatchKey{producer, batch});
  if (it == batches_.end()) return;
  ProducedBatch& b = it->second;
  // "split": the records go on in new batches (Sender.completeBatch, KIP-126).
  if (outcome == "acked" || outcome == "failed" || outcome == "expired" || outcome == "split") b.done = true;
  for (size_t i = 0; i < b.records.size(); ++i) {
    JourneyStep st = step;
    if (base_offset.value >= 0) st.offset = base_offset + static_cast<int64_t>(i);
    add(b.records[i], b.tp, std::move(st));
  }
}

void RecordJourneys::producer_id_changed(NodeId producer, const JourneyStep& step) {
  for (auto it = batches_.lower_bound(BatchKey{producer, 0}); it != batches_.end() && it->first.first == producer; ++it)
    if (!it->second.done)
      for (RecordId id : it->second.records) add(id, it->second.tp, step);
}

void RecordJourneys::producer_crashed(NodeId producer, const JourneyStep& step) {
  // Its unfinished batches died with it: a later id change is another process's.
  for (auto it = batches_.lower_bound(BatchKey{producer, 0}); it != batches_.end() && it->first.first == producer; ++it) {
    if (it->second.done) continue;
    it->second.done = true;
    for (RecordId id : it->second.records) add(id, it->second.tp, step);
  }
}

void RecordJourneys::broker_verdict(const TopicPartition& tp, ProducerId pid, ProducerEpoch epoch,
                                    Sequence first_sequence, Offset offset_of_first, JourneyStep step) {
  auto key = by_sequence_.find(SequenceKey{tp, pid.value, epoch.value, first_sequence.value});
  if (key == by_sequence_.end()) return;
  auto it = batches_.find(key->second);
  if (it == batches_.end()) return;
  const ProducedBatch& b = it->second;
  for (size_t i = 0; i < b.records.size(); ++i) {
    JourneyStep st = step;
    if (offset_of_first.value >= 0) st.offset = offset_of_first + static_cast<int64_t>(i);
    add(b.records[i], b.tp, std::move(st));
  }
}

const RecordJourney* RecordJourneys::find(RecordId id) const {
  auto it = journeys_.find(id);
  return it == journeys_.end() ? nullptr : &it->second;
}

void RecordJourneys::consumed(const std::string& group, const std::string& tp, Offset offset, RecordId id) {
  pending_commit_[{group, tp}][offset] = id;
}

void RecordJourneys::commit(const std::string& group, const std::string& tp, Offset offset, const JourneyStep& step) {
  auto it = pending_commit_.find({group, tp});
  if (it == pending_commit_.end()) return;
  auto& pending = it->second;
  for (auto p = pending.begin(); p != pending.end() && p->first < offset;) {
    JourneyStep s = step;
    s.offset = p->first;
    add(p->second, std::nullopt, std::move(s));
    p = pending.erase(p);
  }
}

std::string record_label(const TraceHeader& header, RecordId id) {
  const NodeId producer = record_producer(id);
  std::string name = producer.value < header.nodes.size() ? header.nodes[producer.value].name
                                                           : "node" + std::to_string(producer.value);
  return name + "#" + std::to_string(record_send_index(id));
}

}  // namespace ksim::viz
