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

FetchRequest Fetcher::new_request() const {
  FetchRequest req;
  req.replica_id = BrokerId(-1);
  req.max_wait_ms = config_.fetch_max_wait_ms;
  req.min_bytes = config_.fetch_min_bytes;
  req.max_bytes = config_.fetch_max_bytes;
  return req;
}

void Fetcher::send_fetches() {
  std::set<TopicPartition> buffered;
  for (const CompletedFetch& f : buffer_)
    if (f.next < f.items.size()) buffered.insert(f.tp);
  std::map<NodeId, FetchSessionHandler::Builder> builders;
  bool need_metadata = false;
  FetchPartitionData d;
  for (const TopicPartition& tp : subscriptions_.assigned()) {
    if (!subscriptions_.fetchable(tp) || buffered.count(tp)) continue;
    const auto leader = metadata_.leader(tp);
    if (!leader) {
      need_metadata = true;
      continue;
    }
    // AbstractFetch.prepareFetchRequests: a leader whose connection failed and
    // is in its reconnect backoff (isUnavailable) is skipped, since a request
    // now would fail before it is sent; a later poll asks again. Sending it
    // anyway failed it at once, and the next send_fetches sent it again: a
    // zero-time loop (issue 24's group base found it).
    if (const auto delay = tracker_.connection_delay(leader->node); delay && *delay > Duration{}) continue;
    if (in_flight_.count(leader->node)) continue;
    auto b = builders.find(leader->node);
    if (b == builders.end()) b = builders.emplace(leader->node, sessions_[leader->node].new_builder()).first;
    d.tp = tp;
    d.current_leader_epoch = leader->epoch;
    d.fetch_offset = subscriptions_.entry(tp)->position->offset;
    d.partition_max_bytes = config_.max_partition_fetch_bytes;
    b->second.add(d);
  }
  if (need_metadata) {
    metadata_.request_update();
    metadata_.refresh();
  }
  for (auto& [node, builder] : builders) {
    FetchRequest req = new_request();
    if (!builder.build(req)) continue;
    in_flight_.insert(node);
    // The broker may hold the fetch for fetch.max.wait.ms; the client's
    // timeout covers that on top of request.timeout.ms.
    const Duration timeout = millis(config_.request_timeout_ms + config_.fetch_max_wait_ms);
    const NodeId to = node;
    tracker_.send(to, std::move(req), timeout,
                  [this, to](const Message* response, Errc error) { handle_response(to, response, error); });
  }
}

void Fetcher::close_sessions() {
  for (auto& [node, handler] : sessions_) {
    if (handler.session_id() == kInvalidFetchSessionId) continue;  // nothing for the broker to free
    handler.notify_close();
    FetchRequest req = new_request();
    handler.new_builder().build(req);  // no partitions: only the close
    tracker_.send(node, std::move(req), millis(config_.request_timeout_ms), [](const Message*, Errc) {});
  }
}

const FetchSessionHandler* Fetcher::session(NodeId node) const {
  auto it = sessions_.find(node);
  return it == sessions_.end() ? nullptr : &it->second;
}

void Fetcher::handle_response(NodeId node, const Message* response, Errc transport_error) {
  in_flight_.erase(node);
  FetchSessionHandler& session = sessions_[node];
  if (!response) {
    // A broken connection or a timeout: the leader may be gone; ask again.
    (void)transport_error;
    session.handle_error();
    for (const TopicPartition& tp : session.session_partitions()) metadata_.forget_leader(tp);
    metadata_.refresh();
    if (on_progress) on_progress();
    return;
  }
  const auto& r = std::get<FetchResponse>(*response);
  // A session error (the next fetch is full) or a malformed answer: no data.
  if (!session.handle_response(r)) {
    if (on_progress) on_progress();
    return;
  }
  for (const FetchPartitionResponse& p : r.partitions) {
    // The session's data for it is what the request meant (one fetch in flight per node).
    const FetchPartitionData* sent = session.session_partition(p.tp);
    if (!sent) continue;
    const Offset fetch_offset = sent->fetch_offset;
    const SubscriptionState::Entry* e = subscriptions_.entry(p.tp);
    // Not assigned any more, or the position moved (reset, rebalance): stale.
    if (!e || !e->position || e->position->offset != fetch_offset) continue;
    switch (p.error) {
      case Errc::none: {
        CompletedFetch f;
        f.tp = p.tp;
        f.fetch_offset = fetch_offset;
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
