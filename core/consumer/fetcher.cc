#include "core/consumer/fetcher.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim {

Fetcher::Fetcher(Env& env, RequestTracker& tracker, const ConsumerConfig& config, SubscriptionState& subscriptions,
                 ConsumerMetadata& metadata)
    : env_(env), tracker_(tracker), config_(config), subscriptions_(subscriptions), metadata_(metadata) {}

bool Fetcher::has_buffered_data() const {
  for (const CompletedFetch& f : buffer_)
    if (f.next < f.items.size() && subscriptions_.fetchable(f.tp)) return true;
  return false;
}

void Fetcher::drop_unassigned() {
  std::erase_if(buffer_, [&](const CompletedFetch& f) { return !subscriptions_.is_assigned(f.tp); });
}

void Fetcher::send_fetches() {
  std::set<TopicPartition> buffered;
  for (const CompletedFetch& f : buffer_)
    if (f.next < f.items.size()) buffered.insert(f.tp);
  std::map<NodeId, std::vector<FetchPartitionData>> per_node;
  bool need_metadata = false;
  for (const TopicPartition& tp : subscriptions_.assigned()) {
    if (!subscriptions_.fetchable(tp) || buffered.count(tp)) continue;
    const auto leader = metadata_.leader(tp);
    if (!leader) {
      need_metadata = true;
      continue;
    }
    if (in_flight_.count(leader->node)) continue;
    FetchPartitionData d;
    d.tp = tp;
    d.current_leader_epoch = leader->epoch;
    d.fetch_offset = subscriptions_.entry(tp)->position->offset;
    d.partition_max_bytes = config_.max_partition_fetch_bytes;
    per_node[leader->node].push_back(d);
  }
  if (need_metadata) {
    metadata_.request_update();
    metadata_.refresh();
  }
  for (auto& [node, parts] : per_node) {
    FetchRequest req;
    req.replica_id = BrokerId(-1);
    req.max_wait_ms = config_.fetch_max_wait_ms;
    req.min_bytes = config_.fetch_min_bytes;
    req.max_bytes = config_.fetch_max_bytes;
    std::vector<TopicPartition> sent;
    std::map<TopicPartition, Offset> offsets;
    for (const auto& p : parts) {
      sent.push_back(p.tp);
      offsets[p.tp] = p.fetch_offset;
    }
    req.partitions = std::move(parts);
    in_flight_.insert(node);
    // The broker may hold the fetch for fetch.max.wait.ms; the client's
    // timeout covers that on top of request.timeout.ms.
    const Duration timeout = millis(config_.request_timeout_ms + config_.fetch_max_wait_ms);
    const NodeId to = node;
    tracker_.send(to, std::move(req), timeout,
                  [this, to, sent, offsets](const Message* response, Errc error) {
                    handle_response(to, sent, offsets, response, error);
                  });
  }
}

void Fetcher::handle_response(NodeId node, const std::vector<TopicPartition>& sent,
                              const std::map<TopicPartition, Offset>& offsets, const Message* response,
                              Errc transport_error) {
  in_flight_.erase(node);
  if (!response) {
    // A broken connection or a timeout: the leader may be gone; ask again.
    (void)transport_error;
    for (const TopicPartition& tp : sent) metadata_.forget_leader(tp);
    metadata_.refresh();
    if (on_progress) on_progress();
    return;
  }
  const auto& r = std::get<FetchResponse>(*response);
  for (const FetchPartitionResponse& p : r.partitions) {
    auto sent_at = offsets.find(p.tp);
    if (sent_at == offsets.end()) continue;
    const SubscriptionState::Entry* e = subscriptions_.entry(p.tp);
    // Not assigned any more, or the position moved (reset, rebalance): stale.
    if (!e || !e->position || e->position->offset != sent_at->second) continue;
    switch (p.error) {
      case Errc::none: {
        CompletedFetch f;
        f.tp = p.tp;
        f.fetch_offset = sent_at->second;
        for (const RecordBatch& b : p.batches)
          for (int32_t i = 0; i < b.count(); ++i) {
            const Offset off = b.base_offset + i;
            if (off < f.fetch_offset) continue;  // a batch can start below the fetch offset
            f.items.push_back({off, b.records[static_cast<size_t>(i)].id, b.partition_leader_epoch});
          }
        if (!f.items.empty()) buffer_.push_back(std::move(f));
        break;
      }
      case Errc::offset_out_of_range:
        if (config_.auto_offset_reset == OffsetResetStrategy::none) {
          if (on_fatal) on_fatal(p.tp, p.error);
        } else {
          subscriptions_.request_reset(p.tp);
        }
        break;
      case Errc::not_leader_or_follower:
      case Errc::unknown_topic_or_partition:
      case Errc::leader_not_available:
      case Errc::fenced_leader_epoch:
      case Errc::unknown_leader_epoch:
      case Errc::kafka_storage_error:
      default:
        metadata_.forget_leader(p.tp);
        break;
    }
  }
  if (metadata_.needs_update()) metadata_.refresh();
  if (on_progress) on_progress();
}

std::vector<PolledPartition> Fetcher::collect(int32_t max_records) {
  std::vector<PolledPartition> out;
  int32_t left = max_records;
  while (left > 0 && !buffer_.empty()) {
    CompletedFetch& f = buffer_.front();
    SubscriptionState::Entry* e = subscriptions_.entry(f.tp);
    // FetchCollector: data of a partition that is no longer fetchable (e.g.
    // awaiting KIP-320 validation against a new leader) is dropped.
    const bool valid = e && e->position && e->awaiting != SubscriptionState::Awaiting::validation &&
                       f.next < f.items.size() && e->position->offset == f.items[f.next].offset;
    if (!valid) {
      buffer_.pop_front();
      continue;
    }
    PolledPartition* part = nullptr;
    for (auto& p : out)
      if (p.tp == f.tp) part = &p;
    if (!part) {
      out.push_back(PolledPartition{f.tp, {}, {}});
      part = &out.back();
    }
    while (left > 0 && f.next < f.items.size()) {
      const auto& item = f.items[f.next++];
      part->offsets.push_back(item.offset);
      part->records.push_back(item.record);
      e->position = PartitionPosition{item.offset + 1, item.epoch};
      --left;
    }
    if (f.next >= f.items.size()) buffer_.pop_front();
  }
  return out;
}

}  // namespace ksim
