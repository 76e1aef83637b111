#include "core/consumer/position_validator.h"

#include <map>

#include "core/trace/client_events.h"
#include "core/trace/replication_events.h"

namespace ksim {

PositionValidator::PositionValidator(Env& env, RequestTracker& tracker, const ConsumerConfig& config,
                                     SubscriptionState& subscriptions, ConsumerMetadata& metadata)
    : env_(env), tracker_(tracker), config_(config), subscriptions_(subscriptions), metadata_(metadata) {}

void PositionValidator::validate_positions() {
  using Awaiting = SubscriptionState::Awaiting;
  std::map<NodeId, std::vector<EpochQuery>> per_node;
  std::map<NodeId, std::map<TopicPartition, PartitionPosition>> asked;
  for (const TopicPartition& tp : subscriptions_.assigned()) {
    SubscriptionState::Entry* e = subscriptions_.entry(tp);
    if (!e->position) continue;
    const auto leader = metadata_.leader(tp);
    if (!leader) continue;  // the fetcher asks for metadata
    if (e->awaiting == Awaiting::nothing && leader->epoch > e->validated_leader_epoch) {
      // maybeValidatePositionForCurrentLeader: a new leader since the position
      // was last checked. The first leader a position meets, or a position
      // without an offset epoch, has nothing to validate.
      const bool first = e->validated_leader_epoch.value < 0;
      e->validated_leader_epoch = leader->epoch;
      if (!first && e->position->epoch.value >= 0) e->awaiting = Awaiting::validation;
    }
    if (e->awaiting != Awaiting::validation || e->request_in_flight || in_flight_.count(leader->node)) continue;
    if (env_.now() < e->next_retry) continue;  // awaitingRetryBackoff after a failed request
    EpochQuery q;
    q.tp = tp;
    q.current_leader_epoch = leader->epoch;
    q.leader_epoch = e->position->epoch;
    per_node[leader->node].push_back(q);
    asked[leader->node][tp] = *e->position;
  }
  for (auto& [node, queries] : per_node) {
    OffsetsForLeaderEpochRequest req;
    req.replica_id = BrokerId(-1);  // a consumer
    std::map<TopicPartition, LeaderEpoch> leader_epochs;
    for (const EpochQuery& q : queries) {
      subscriptions_.entry(q.tp)->request_in_flight = true;
      leader_epochs[q.tp] = q.current_leader_epoch;
      env_.trace(trace::EpochEndOffsetRequested{node, req.version, q.tp.topic, q.tp.partition, q.current_leader_epoch,
                                                q.leader_epoch});
    }
    req.partitions = std::move(queries);
    in_flight_.insert(node);
    const NodeId to = node;
    tracker_.send(to, std::move(req), millis(config_.request_timeout_ms),
                  [this, to, sent = asked[node], leader_epochs](const Message* response, Errc) {
                    on_response(to, sent, leader_epochs, response);
                  });
  }
}

void PositionValidator::on_response(NodeId node, const std::map<TopicPartition, PartitionPosition>& asked,
                                    const std::map<TopicPartition, LeaderEpoch>& leader_epochs,
                                    const Message* response) {
  using Awaiting = SubscriptionState::Awaiting;
  in_flight_.erase(node);
  for (const auto& [tp, pos] : asked)
    if (SubscriptionState::Entry* e = subscriptions_.entry(tp); e && e->awaiting == Awaiting::validation)
      e->request_in_flight = false;
  // validatePositionsAsync's onFailure: subscriptions.requestFailed, so the
  // partition is not asked again within retry.backoff.ms.
  auto request_failed = [&](const TopicPartition& tp) {
    if (SubscriptionState::Entry* e = subscriptions_.entry(tp)) e->next_retry = env_.now() + millis(config_.retry_backoff_ms);
  };
  if (!response) {
    for (const auto& [tp, pos] : asked) {
      metadata_.forget_leader(tp);
      request_failed(tp);
    }
  } else {
    for (const EpochAnswer& a : std::get<OffsetsForLeaderEpochResponse>(*response).partitions) {
      auto sent = asked.find(a.tp);
      if (sent == asked.end()) continue;
      SubscriptionState::Entry* e = subscriptions_.entry(a.tp);
      // Not assigned any more, no longer validating, or sought meanwhile: stale.
      if (!e || e->awaiting != Awaiting::validation || !e->position || e->position->offset != sent->second.offset ||
          e->position->epoch != sent->second.epoch)
        continue;
      if (a.error != Errc::none) {
        // OffsetsForLeaderEpochUtils: a leader error asks for new metadata
        // and validates again with it.
        metadata_.forget_leader(a.tp);
        request_failed(a.tp);
        continue;
      }
      trace::PositionValidated t;
      t.topic = a.tp.topic;
      t.partition = a.tp.partition;
      t.position = sent->second.offset;
      t.position_epoch = sent->second.epoch;
      t.leader_epoch = leader_epochs.at(a.tp);
      t.end_offset = a.end_offset;
      t.end_epoch = a.leader_epoch;
      const bool has_policy = config_.auto_offset_reset != OffsetResetStrategy::none;
      if (a.end_offset.value < 0 || a.leader_epoch.value < 0) {
        t.outcome = has_policy ? "reset" : "truncation_fatal";
        env_.trace(t);
        if (has_policy) {
          subscriptions_.request_reset(a.tp);
        } else if (on_fatal) {
          on_fatal(a.tp, Errc::offset_out_of_range);
          return;
        }
      } else if (a.end_offset < sent->second.offset) {
        t.outcome = has_policy ? "truncated" : "truncation_fatal";
        env_.trace(t);
        if (has_policy) {
          // seekValidated: the first offset known to diverge, at the answered epoch.
          const LeaderEpoch validated = e->validated_leader_epoch;
          subscriptions_.set_position(a.tp, PartitionPosition{a.end_offset, a.leader_epoch});
          e->validated_leader_epoch = validated;
        } else if (on_fatal) {
          on_fatal(a.tp, Errc::offset_out_of_range);
          return;
        }
      } else {
        t.outcome = "valid";
        env_.trace(t);
        e->awaiting = Awaiting::nothing;
      }
    }
  }
  if (metadata_.needs_update()) metadata_.refresh();
  if (on_progress) on_progress();
}

}  // namespace ksim
