#include "core/client/fetch_session_handler.h"

#include <algorithm>

namespace ksim {

FetchSessionHandler::Builder::Builder(FetchSessionHandler& handler) : handler_(handler), build_(++handler.builds_) {}

bool FetchSessionHandler::same_request(const FetchPartitionData& a, const FetchPartitionData& b) {
  // FetchRequest.PartitionData.equals (the topic id aside: ksim has none).
  return a.fetch_offset == b.fetch_offset && a.log_start_offset == b.log_start_offset &&
         a.partition_max_bytes == b.partition_max_bytes && a.current_leader_epoch == b.current_leader_epoch &&
         a.last_fetched_epoch == b.last_fetched_epoch;
}

void FetchSessionHandler::Builder::add(const FetchPartitionData& data) {
  if (handler_.next_.is_full()) {
    added_.push_back(data);
    return;
  }
  auto it = handler_.session_.find(data.tp);
  if (it == handler_.session_.end()) {
    added_.push_back(data);
    return;
  }
  Entry& e = it->second;
  e.seen = build_;
  if (!same_request(e.data, data)) {
    e.data = data;
    altered_.push_back(&e);
  }
}

bool FetchSessionHandler::Builder::build(FetchRequest& request) {
  FetchSessionHandler& h = handler_;
  request.session_id = h.next_.session_id;
  request.session_epoch = h.next_.epoch;
  request.forgotten.clear();
  if (h.next_.is_full()) {
    // Every partition is sent; they are the session's from now on.
    h.session_.clear();
    for (const FetchPartitionData& d : added_) {
      Entry& e = h.session_[d.tp];
      e.data = d;
      e.order = h.next_order_++;
      e.seen = build_;
    }
    request.partitions = std::move(added_);
    return !h.session_.empty();
  }
  // Incremental: what was not added this time is forgotten.
  for (auto it = h.session_.begin(); it != h.session_.end();) {
    if (it->second.seen == build_) {
      ++it;
      continue;
    }
    request.forgotten.push_back(it->first);
    it = h.session_.erase(it);
  }
  // Sent: the new partitions in add order, then the altered ones in session order.
  std::sort(altered_.begin(), altered_.end(), [](const Entry* a, const Entry* b) { return a->order < b->order; });
  request.partitions.clear();
  request.partitions.reserve(added_.size() + altered_.size());
  for (FetchPartitionData& d : added_) {
    Entry& e = h.session_[d.tp];
    e.data = d;
    e.order = h.next_order_++;
    e.seen = build_;
    request.partitions.push_back(std::move(d));
  }
  for (const Entry* e : altered_) request.partitions.push_back(e->data);
  return !(h.session_.empty() && request.forgotten.empty());
}

bool FetchSessionHandler::handle_response(const FetchResponse& response) {
  if (response.error != Errc::none) {
    next_ = response.error == Errc::fetch_session_id_not_found ? FetchMetadata::initial()
                                                                : next_.next_close_existing_attempt_new();
    return false;
  }
  const bool all_known = std::all_of(response.partitions.begin(), response.partitions.end(),
                                     [&](const FetchPartitionResponse& p) { return session_.count(p.tp) > 0; });
  if (next_.is_full()) {
    // verifyFullFetchResponsePartitions: exactly the session's partitions.
    if (!all_known || response.partitions.size() != session_.size()) {
      next_ = FetchMetadata::initial();
      return false;
    }
    next_ = response.session_id == kInvalidFetchSessionId ? FetchMetadata::initial()
                                                          : FetchMetadata::new_incremental(response.session_id);
    return true;
  }
  // verifyIncrementalFetchResponsePartitions: no partition outside the session.
  if (!all_known) {
    next_ = next_.next_close_existing_attempt_new();
    return false;
  }
  // Session id 0 on an incremental response: the broker closed the session
  // (it became empty).
  next_ = response.session_id == kInvalidFetchSessionId ? FetchMetadata::initial() : next_.next_incremental();
  return true;
}

const FetchPartitionData* FetchSessionHandler::session_partition(const TopicPartition& tp) const {
  auto it = session_.find(tp);
  return it == session_.end() ? nullptr : &it->second.data;
}

std::vector<TopicPartition> FetchSessionHandler::session_partitions() const {
  std::vector<std::pair<uint64_t, TopicPartition>> v;
  v.reserve(session_.size());
  for (const auto& [tp, e] : session_) v.emplace_back(e.order, tp);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TopicPartition> out;
  out.reserve(v.size());
  for (auto& [o, tp] : v) out.push_back(std::move(tp));
  return out;
}

}  // namespace ksim
