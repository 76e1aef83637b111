#include "core/consumer/consumer_metadata.h"

#include "core/base/assert.h"

namespace ksim {

ConsumerMetadata::ConsumerMetadata(Env& env, RequestTracker& tracker, std::vector<NodeId> bootstrap,
                                   int32_t request_timeout_ms, int32_t retry_backoff_ms, TimerTag retry_tag,
                                   int32_t metadata_max_age_ms, TimerTag max_age_tag)
    : env_(env),
      tracker_(tracker),
      bootstrap_(std::move(bootstrap)),
      request_timeout_ms_(request_timeout_ms),
      retry_backoff_ms_(retry_backoff_ms),
      retry_tag_(retry_tag),
      max_age_ms_(metadata_max_age_ms),
      max_age_tag_(max_age_tag) {
  KSIM_ASSERT(!bootstrap_.empty());
}

std::optional<int32_t> ConsumerMetadata::partition_count(const std::string& topic) const {
  auto it = partitions_.find(topic);
  if (it == partitions_.end()) return std::nullopt;
  return it->second;
}

std::optional<ConsumerMetadata::Leader> ConsumerMetadata::leader(const TopicPartition& tp) const {
  auto it = leaders_.find(tp);
  if (it == leaders_.end()) return std::nullopt;
  return it->second;
}

NodeId ConsumerMetadata::any_broker() {
  const std::vector<NodeId>& from = brokers_.empty() ? bootstrap_ : brokers_;
  return from[next_++ % from.size()];
}

void ConsumerMetadata::on_max_age_timer(TimerId id) {
  if (id != max_age_timer_) return;
  max_age_timer_ = TimerId{};
  stale_ = true;
  refresh();
}

void ConsumerMetadata::refresh() {
  if (in_flight_ || retry_armed_) return;
  // retry.backoff.ms between refreshes, so a leaderless partition does not
  // turn into a storm of Metadata requests.
  if (last_done_.has_value() && env_.now() < *last_done_ + millis(retry_backoff_ms_)) {
    retry_armed_ = true;
    env_.set_timer(*last_done_ + millis(retry_backoff_ms_) - env_.now(), retry_tag_);
    return;
  }
  in_flight_ = true;
  stale_ = false;
  MetadataRequest req;
  req.all_topics = true;
  // Bootstrap servers first, as Kafka's client does until it has metadata;
  // then whichever live broker is next.
  const NodeId to = bootstrap_[next_++ % bootstrap_.size()];
  tracker_.send(to, std::move(req), millis(request_timeout_ms_), [this](const Message* response, Errc) {
    in_flight_ = false;
    last_done_ = env_.now();
    if (!response) {
      stale_ = true;
      retry_armed_ = true;
      env_.set_timer(millis(retry_backoff_ms_), retry_tag_);
      if (on_update) on_update();
      return;
    }
    const auto& r = std::get<MetadataResponse>(*response);
    std::map<int32_t, NodeId> nodes;
    brokers_.clear();
    for (const auto& b : r.brokers) {
      nodes[b.id.value] = b.node;
      brokers_.push_back(b.node);
    }
    bool missing_leader = false;
    for (const auto& t : r.topics) {
      if (t.error != Errc::none) continue;
      partitions_[t.name] = static_cast<int32_t>(t.partitions.size());
      for (const auto& p : t.partitions) {
        const TopicPartition tp{t.name, p.partition};
        auto known = max_epochs_.find(tp);
        if (known != max_epochs_.end() && p.leader_epoch < known->second) continue;  // stale answer
        max_epochs_[tp] = p.leader_epoch;
        if (p.error == Errc::none && nodes.count(p.leader.value)) {
          leaders_[tp] = Leader{nodes[p.leader.value], p.leader_epoch};
        } else {
          leaders_.erase(tp);
          missing_leader = true;
        }
      }
    }
    updated_once_ = true;
    ++update_version_;
    if (missing_leader) stale_ = true;
    // The next refresh is due metadata.max.age.ms from now.
    if (max_age_timer_.valid()) env_.cancel_timer(max_age_timer_);
    max_age_timer_ = env_.set_timer(millis(max_age_ms_), max_age_tag_);
    if (on_update) on_update();
  });
}

}  // namespace ksim
