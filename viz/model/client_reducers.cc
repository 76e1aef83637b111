// Reducers of client events: producer sends and their outcomes, consumer
// polls, processing, offset commits and assignment changes
// (core/trace/client_events.h).
//
// A consumer's assignment is folded incrementally, new = (old - revoked) +
// assigned, which reads both protocols right: an eager rebalance revokes
// everything and assigns the new set; a cooperative one (KIP-429) revokes and
// assigns only the partitions that move.
#include <algorithm>
#include <set>

#include "viz/model/reducers.h"

namespace ksim::viz {
namespace {

JourneyStep step_of(const EventContext& c, JourneyKind kind, Offset offset, std::string detail = {}) {
  return JourneyStep{c.index, c.event.time, kind, c.event.node, offset, std::move(detail)};
}

// Without coordinator events the consumers' generations are all there is: a
// newer one is a rebalance. With them, the coordinator counts (group_reducers.cc).
GroupState& group_of(ClusterState& s, const std::string& name, GenerationId generation) {
  GroupState& g = s.groups[name];
  if (generation > g.generation && g.state.empty()) {
    if (g.generation.value >= 0) ++g.rebalances;
    g.generation = generation;
    g.rebalance_moved.clear();
  }
  return g;
}

void note_moved(GroupState& g, const std::vector<std::string>& tps) {
  std::set<std::string> moved(g.rebalance_moved.begin(), g.rebalance_moved.end());
  moved.insert(tps.begin(), tps.end());
  g.rebalance_moved.assign(moved.begin(), moved.end());
}

}  // namespace

void reduce(ClusterState& s, const EventContext& c, const trace::ProducerSend& e) {
  ++s.producers[c.event.node].sent;
  if (c.journeys)
    c.journeys->add(e.record, TopicPartition{e.topic, e.partition},
                    step_of(c, JourneyKind::sent, Offset(-1), e.has_key ? "key \"" + e.key + "\"" : "null key"));
}

void reduce(ClusterState& s, const EventContext& c, const trace::ProducerAcked& e) {
  ++s.producers[c.event.node].acked;
  if (c.journeys)
    c.journeys->add(e.record, TopicPartition{e.topic, e.partition}, step_of(c, JourneyKind::acked, e.offset));
}

void reduce(ClusterState& s, const EventContext& c, const trace::ProducerFailed& e) {
  ProducerState& p = s.producers[c.event.node];
  ++p.failed;
  p.last_error = e.error;
  if (c.journeys)
    c.journeys->add(e.record, TopicPartition{e.topic, e.partition}, step_of(c, JourneyKind::failed, Offset(-1), e.error));
}

void reduce(ClusterState&, const EventContext& c, const trace::ProducerAttempt& e) {
  if (!c.journeys) return;
  ProducedBatch b{TopicPartition{e.topic, e.partition}, e.records, e.producer_id, e.producer_epoch, e.base_sequence,
                  e.broker, false};
  JourneyStep st = step_of(c, JourneyKind::produce_attempt, Offset(-1),
                           "attempt " + std::to_string(e.attempt) + (e.attempt > 1 ? ", a retry," : "") + " of batch " +
                               std::to_string(e.batch));
  st.peer = e.broker;
  c.journeys->attempt(c.event.node, e.batch, std::move(b), e.attempt, std::move(st));
}

void reduce(ClusterState&, const EventContext& c, const trace::ProducerResponse& e) {
  if (!c.journeys) return;
  std::string what = "answer to attempt " + std::to_string(e.attempt) + ": " + e.error + " -> " + e.outcome;
  JourneyStep st = step_of(c, JourneyKind::produce_response, Offset(-1), std::move(what));
  st.bad = e.error != "NONE" || (e.outcome != "acked" && e.outcome != "ignored");
  c.journeys->response(c.event.node, e.batch, e.outcome, e.base_offset, std::move(st));
}

void reduce(ClusterState&, const EventContext& c, const trace::ProducerIdChanged& e) {
  if (!c.journeys) return;
  JourneyStep st = step_of(c, JourneyKind::producer_id_changed, Offset(-1),
                           "now producer id " + std::to_string(e.producer_id.value) + " epoch " +
                               std::to_string(e.producer_epoch.value) + " (" + e.reason + ")");
  st.bad = true;  // the sequences of its unfinished batches start again
  c.journeys->producer_id_changed(c.event.node, st);
}

void reduce(ClusterState& s, const EventContext& c, const trace::ConsumerPolled& e) {
  GroupState& g = group_of(s, e.group, e.generation);
  MemberState& m = g.members[c.event.node];
  const TopicPartition tp{e.topic, e.partition};
  const std::string key = tp.str();
  if (!e.offsets.empty()) m.position[key] = *std::max_element(e.offsets.begin(), e.offsets.end()) + 1;
  if (c.journeys) {
    for (size_t i = 0; i < e.records.size() && i < e.offsets.size(); ++i) {
      c.journeys->add(e.records[i], tp, step_of(c, JourneyKind::polled, e.offsets[i], e.group));
      c.journeys->consumed(e.group, key, e.offsets[i], e.records[i]);
    }
  }
}

void reduce(ClusterState&, const EventContext& c, const trace::RecordProcessed& e) {
  if (c.journeys)
    c.journeys->add(e.record, TopicPartition{e.topic, e.partition}, step_of(c, JourneyKind::processed, e.offset, e.group));
}

void reduce(ClusterState& s, const EventContext& c, const trace::OffsetCommitted& e) {
  GroupState& g = s.groups[e.group];
  const std::string key = TopicPartition{e.topic, e.partition}.str();
  if (e.error != "NONE") {
    g.last_commit_error = e.error;
    g.last_commit_error_event = c.index;
    return;
  }
  g.committed[key] = CommittedOffset{e.offset, e.generation, c.event.node, {}, c.index};
  if (c.journeys) c.journeys->commit(e.group, key, e.offset, step_of(c, JourneyKind::committed, e.offset, e.group));
}

void reduce(ClusterState& s, const EventContext& c, const trace::AssignmentChanged& e) {
  GroupState& g = group_of(s, e.group, e.generation);
  MemberState& m = g.members[c.event.node];
  std::set<std::string> now(m.assigned.begin(), m.assigned.end());
  for (const auto& tp : e.revoked) now.erase(tp);
  for (const auto& tp : e.assigned) now.insert(tp);
  m.assigned.assign(now.begin(), now.end());
  m.added = e.assigned;
  m.revoked = e.revoked;
  std::sort(m.added.begin(), m.added.end());
  std::sort(m.revoked.begin(), m.revoked.end());
  m.generation = e.generation;
  if (!e.group.empty()) {
    note_moved(g, e.assigned);
    note_moved(g, e.revoked);
  }
  m.changed_event = c.index;
  m.changed_at = c.event.time;
  for (const auto& tp : e.revoked) m.position.erase(tp);
}

void reduce(ClusterState& s, const EventContext& c, const trace::ClientFailed& e) {
  if (c.event.node.value >= s.nodes.size()) return;
  NodeState& n = s.nodes[c.event.node.value];
  n.stopped_by = e.error;
  n.stopped_config = e.config;
  n.stopped_incarnation = n.incarnation;
}

}  // namespace ksim::viz
