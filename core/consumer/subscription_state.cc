#include "core/consumer/subscription_state.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim {

void SubscriptionState::subscribe(std::vector<std::string> topics) {
  std::sort(topics.begin(), topics.end());
  topics.erase(std::unique(topics.begin(), topics.end()), topics.end());
  topics_ = std::move(topics);
  user_assigned_ = false;
}

void SubscriptionState::assign_manually(const std::vector<TopicPartition>& partitions) {
  user_assigned_ = true;
  topics_.clear();
  assign_from_group(partitions);
}

void SubscriptionState::assign_from_group(const std::vector<TopicPartition>& partitions) {
  std::map<TopicPartition, Entry> next;
  for (const TopicPartition& tp : partitions) {
    auto it = entries_.find(tp);
    next[tp] = it != entries_.end() ? it->second : Entry{};
    next[tp].request_in_flight = false;
  }
  entries_ = std::move(next);
}

void SubscriptionState::revoke(const std::vector<TopicPartition>& partitions) {
  for (const TopicPartition& tp : partitions) entries_.erase(tp);
}

std::vector<TopicPartition> SubscriptionState::assigned() const {
  std::vector<TopicPartition> out;
  for (const auto& [tp, e] : entries_) out.push_back(tp);
  return out;
}

SubscriptionState::Entry* SubscriptionState::entry(const TopicPartition& tp) {
  auto it = entries_.find(tp);
  return it == entries_.end() ? nullptr : &it->second;
}

const SubscriptionState::Entry* SubscriptionState::entry(const TopicPartition& tp) const {
  auto it = entries_.find(tp);
  return it == entries_.end() ? nullptr : &it->second;
}

bool SubscriptionState::fetchable(const TopicPartition& tp) const {
  const Entry* e = entry(tp);
  return e && e->position.has_value() && e->awaiting != Awaiting::validation;
}

void SubscriptionState::set_position(const TopicPartition& tp, PartitionPosition p) {
  Entry* e = entry(tp);
  KSIM_ASSERT_MSG(e, "set_position on unassigned partition " << tp.str());
  e->position = p;
  e->validated_leader_epoch = LeaderEpoch(-1);
  e->awaiting = Awaiting::nothing;
  e->request_in_flight = false;
}

void SubscriptionState::request_reset(const TopicPartition& tp) {
  Entry* e = entry(tp);
  if (!e) return;
  e->position.reset();
  e->validated_leader_epoch = LeaderEpoch(-1);
  e->awaiting = Awaiting::reset;
  e->request_in_flight = false;
}

std::map<TopicPartition, PartitionPosition> SubscriptionState::all_consumed() const {
  std::map<TopicPartition, PartitionPosition> out;
  // hasValidPosition: a position awaiting validation is not committed.
  for (const auto& [tp, e] : entries_)
    if (e.position && e.awaiting != Awaiting::validation) out[tp] = *e.position;
  return out;
}

bool SubscriptionState::all_positions_known() const {
  for (const auto& [tp, e] : entries_)
    if (!e.position) return false;
  return true;
}

}  // namespace ksim
