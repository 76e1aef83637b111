#include "core/producer/producer_metadata.h"

namespace ksim::producer {

void ProducerMetadata::add_topic(const std::string& topic) {
  if (topics_.insert(topic).second && !knows(topic)) need_update_ = true;
}

bool ProducerMetadata::update_due(SimTime now) const {
  if (need_update_ || !last_refresh_) return true;
  return now >= next_refresh(now);
}

SimTime ProducerMetadata::next_refresh(SimTime now) const {
  if (need_update_ || !last_refresh_) return now;
  return *last_refresh_ + millis(max_age_ms_);
}

void ProducerMetadata::update(const MetadataResponse& r, SimTime now) {
  need_update_ = false;
  last_refresh_ = now;
  brokers_.clear();
  for (const auto& b : r.brokers) brokers_[b.id.value] = b.node;
  leaders_.clear();
  for (const auto& t : r.topics) {
    if (t.error != Errc::none || t.partitions.empty()) {
      if (topics_.count(t.name)) need_update_ = true;  // not there yet: keep asking
      continue;
    }
    std::vector<PartitionId> available;
    for (const auto& p : t.partitions) {
      const auto node = brokers_.find(p.leader.value);
      if (p.error == Errc::none && node != brokers_.end()) {
        leaders_[TopicPartition{t.name, p.partition}] = Leader{node->second, p.leader_epoch};
        available.push_back(p.partition);
      }
    }
    view_.set_topic(t.name, static_cast<int32_t>(t.partitions.size()), std::move(available));
  }
  for (const auto& topic : topics_)
    if (!knows(topic)) need_update_ = true;
  partitions_by_node_.clear();
  for (const auto& [tp, l] : leaders_) partitions_by_node_[l.node].push_back(tp);
}

std::optional<NodeId> ProducerMetadata::leader(const TopicPartition& tp) const {
  auto it = leaders_.find(tp);
  if (it == leaders_.end()) return std::nullopt;
  return it->second.node;
}

LeaderEpoch ProducerMetadata::leader_epoch(const TopicPartition& tp) const {
  auto it = leaders_.find(tp);
  return it == leaders_.end() ? LeaderEpoch(-1) : it->second.epoch;
}

const std::vector<TopicPartition>& ProducerMetadata::partitions_of(NodeId node) const {
  static const std::vector<TopicPartition> kNone;
  auto it = partitions_by_node_.find(node);
  return it == partitions_by_node_.end() ? kNone : it->second;
}

std::vector<NodeId> ProducerMetadata::brokers() const {
  std::vector<NodeId> out;
  for (const auto& [id, node] : brokers_) out.push_back(node);
  return out;
}

}  // namespace ksim::producer
