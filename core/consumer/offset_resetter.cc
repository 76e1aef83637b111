#include "core/consumer/offset_resetter.h"

#include <map>

namespace ksim {

OffsetResetter::OffsetResetter(Env& env, RequestTracker& tracker, const ConsumerConfig& config,
                               SubscriptionState& subscriptions, ConsumerMetadata& metadata)
    : env_(env), tracker_(tracker), config_(config), subscriptions_(subscriptions), metadata_(metadata) {}

void OffsetResetter::request_failed(const TopicPartition& tp) {
  if (SubscriptionState::Entry* e = subscriptions_.entry(tp)) e->next_retry = env_.now() + millis(config_.retry_backoff_ms);
}

void OffsetResetter::reset_positions() {
  std::map<NodeId, std::vector<ListOffsetsPartition>> per_node;
  bool need_metadata = false;
  for (const TopicPartition& tp : subscriptions_.assigned()) {
    SubscriptionState::Entry* e = subscriptions_.entry(tp);
    if (e->awaiting != SubscriptionState::Awaiting::reset || e->request_in_flight) continue;
    if (env_.now() < e->next_retry) continue;  // awaitingRetryBackoff
    if (config_.auto_offset_reset == OffsetResetStrategy::none) {
      if (on_fatal) on_fatal(tp, Errc::offset_out_of_range);  // NoOffsetForPartitionException
      return;
    }
    const auto leader = metadata_.leader(tp);
    if (!leader) {
      need_metadata = true;
      continue;
    }
    if (in_flight_.count(leader->node)) continue;
    ListOffsetsPartition q;
    q.tp = tp;
    q.current_leader_epoch = leader->epoch;
    q.timestamp = config_.auto_offset_reset == OffsetResetStrategy::earliest ? kEarliestTimestamp : kLatestTimestamp;
    per_node[leader->node].push_back(q);
  }
  if (need_metadata) {
    metadata_.request_update();
    metadata_.refresh();
  }
  for (auto& [node, parts] : per_node) {
    ListOffsetsRequest req;
    req.replica_id = BrokerId(-1);
    std::vector<TopicPartition> sent;
    for (const auto& p : parts) {
      subscriptions_.entry(p.tp)->request_in_flight = true;
      sent.push_back(p.tp);
    }
    req.partitions = std::move(parts);
    in_flight_.insert(node);
    const NodeId to = node;
    tracker_.send(to, std::move(req), millis(config_.request_timeout_ms), [this, to, sent](const Message* response, Errc) {
      in_flight_.erase(to);
      // Everything that was asked is askable again, answered or not; after a
      // failure, once retry.backoff.ms has passed.
      for (const TopicPartition& tp : sent)
        if (SubscriptionState::Entry* e = subscriptions_.entry(tp); e && e->awaiting == SubscriptionState::Awaiting::reset) {
          e->request_in_flight = false;
          if (!response) request_failed(tp);
        }
      if (response) {
        for (const auto& p : std::get<ListOffsetsResponse>(*response).partitions) {
          SubscriptionState::Entry* e = subscriptions_.entry(p.tp);
          if (!e || e->awaiting != SubscriptionState::Awaiting::reset) continue;
          e->request_in_flight = false;
          if (p.error == Errc::none) {
            subscriptions_.set_position(p.tp, PartitionPosition{p.offset, p.leader_epoch});
          } else {
            metadata_.forget_leader(p.tp);
            request_failed(p.tp);
          }
        }
      }
      if (metadata_.needs_update()) metadata_.refresh();
      if (on_progress) on_progress();
    });
  }
}

}  // namespace ksim
