#include "core/broker/replica_fetcher.h"

#include <algorithm>
#include <utility>

#include "core/base/assert.h"

namespace ksim {

ReplicaFetcher::ReplicaFetcher(Env& env, RequestTracker& tracker, const BrokerConfig& config, BrokerId leader,
                               NodeId leader_node, TimerTag backoff_tag)
    : env_(env), tracker_(tracker), config_(config), leader_(leader), leader_node_(leader_node),
      backoff_tag_(backoff_tag) {}

void ReplicaFetcher::add_partition(Partition& partition, BrokerEpoch local_epoch) {
  local_epoch_ = local_epoch;
  PartitionState ps{&partition, partition.leader_epoch(), State::fetching, 0};
  PartitionLog& log = partition.log();
  switch (config_.replication_truncation) {
    case TruncationMode::high_watermark:
      // Pre-KIP-101: whatever is above the local HW may not be on the leader.
      partition.truncate_to(log.high_watermark(), "high_watermark");
      break;
    case TruncationMode::leader_epoch_v0:
      if (log.latest_epoch()) ps.state = State::truncating;
      else partition.truncate_to(log.high_watermark(), "high_watermark");
      break;
    case TruncationMode::leader_epoch:
      break;  // divergence is found by the leader through LastFetchedEpoch
  }
  partitions_[partition.tp()] = ps;
  failed_.erase(partition.tp());  // AbstractFetcherThread.addPartitions
  maybe_send();
}

void ReplicaFetcher::remove_partition(const TopicPartition& tp) {
  partitions_.erase(tp);
  failed_.erase(tp);  // AbstractFetcherManager.removeFetcherForPartitions
}

bool ReplicaFetcher::ready(const PartitionState& ps) const { return ps.delayed_until_ms <= now_ms(); }

void ReplicaFetcher::maybe_send() {
  if (in_flight_ || backing_off_) return;
  bool any_truncating = false, any_fetching = false;
  int64_t earliest_delay = INT64_MAX;
  for (const auto& [tp, ps] : partitions_) {
    if (ps.state == State::awaiting_metadata) continue;
    if (!ready(ps)) {
      earliest_delay = std::min(earliest_delay, ps.delayed_until_ms);
      continue;
    }
    any_truncating |= ps.state == State::truncating;
    any_fetching |= ps.state == State::fetching;
  }
  if (any_truncating) {
    send_epoch_queries();
  } else if (any_fetching) {
    send_fetch();
  } else if (earliest_delay != INT64_MAX) {
    backing_off_ = true;
    backoff_timer_ = env_.set_timer(millis(earliest_delay - now_ms()), backoff_tag_);
  }
}

void ReplicaFetcher::back_off() {
  backing_off_ = true;
  backoff_timer_ = env_.set_timer(millis(config_.replica_fetch_backoff_ms), backoff_tag_);
}

void ReplicaFetcher::on_backoff_timer() {
  backing_off_ = false;
  maybe_send();
}

void ReplicaFetcher::send_fetch() {
  FetchRequest request;
  request.replica_id = config_.broker_id;
  request.replica_epoch = local_epoch_;
  request.max_wait_ms = config_.replica_fetch_wait_max_ms;
  request.min_bytes = config_.replica_fetch_min_bytes;
  request.max_bytes = config_.replica_fetch_response_max_bytes;
  FetchSessionHandler::Builder builder = session_.new_builder();
  FetchPartitionData d;  // reused: the builder copies only what is new or changed
  for (const auto& [tp, ps] : partitions_) {
    if (ps.state != State::fetching || !ready(ps)) continue;
    const PartitionLog& log = std::as_const(*ps.partition).log();  // a read: leaves it untouched
    d.tp = tp;
    d.current_leader_epoch = ps.leader_epoch;
    d.fetch_offset = log.log_end_offset();
    if (config_.replication_truncation == TruncationMode::leader_epoch)
      d.last_fetched_epoch = log.latest_epoch().value_or(LeaderEpoch(-1));
    d.log_start_offset = log.log_start_offset();
    d.partition_max_bytes = config_.replica_fetch_max_bytes;
    builder.add(d);
  }
  // Nothing to fetch and nothing to forget (RemoteLeaderEndPoint.buildFetch).
  if (!builder.build(request)) return;
  in_flight_ = true;
  tracker_.send(leader_node_, std::move(request), millis(config_.request_timeout_ms),
                [this](const Message* response, Errc) {
                  in_flight_ = false;
                  if (!response) {
                    session_.handle_error();
                    back_off();
                    return;
                  }
                  on_fetch_response(std::get<FetchResponse>(*response));
                  maybe_send();
                });
}

void ReplicaFetcher::on_fetch_response(const FetchResponse& response) {
  // A session error (the next fetch is full) or a malformed answer: no data.
  if (!session_.handle_response(response)) return;
  for (const FetchPartitionResponse& p : response.partitions) {
    // What the session held for it is what the request meant (one fetch in flight).
    const FetchPartitionData* sent = session_.session_partition(p.tp);
    auto it = partitions_.find(p.tp);
    // Removed, or re-added for a newer epoch, while the request was out.
    if (!sent || it == partitions_.end() || it->second.leader_epoch != sent->current_leader_epoch ||
        it->second.state != State::fetching)
      continue;
    PartitionState& ps = it->second;
    if (p.error != Errc::none) {
      handle_partition_error(ps, p.error);
      continue;
    }
    if (p.has_diverging_epoch()) {
      handle_diverging(ps, p);
      continue;
    }
    Partition& partition = *ps.partition;
    const Offset leo = partition.log().log_end_offset();
    // AbstractFetcherThread.processFetchRequest uses an answer only if it is
    // for the offset the partition fetches from now.
    if (sent->fetch_offset != leo) continue;
    // UnifiedLog.append (follower): a first batch below the log end throws
    // UnexpectedAppendOffsetException. (Partition.appendRecordsToFollowerOrFutureReplica
    // recovers when the log is empty and the batch spans its start offset, after
    // a DeleteRecords; ksim's log starts on a batch boundary, so never.)
    if (!p.batches.empty() && p.batches.front().base_offset < leo) {
      mark_partition_failed(it, p);
      continue;
    }
    for (const RecordBatch& batch : p.batches) partition.append_as_follower(batch);
    partition.update_follower_high_watermark(p.high_watermark);
  }
}

void ReplicaFetcher::mark_partition_failed(std::map<TopicPartition, PartitionState>::iterator it,
                                           const FetchPartitionResponse& p) {
  // AbstractFetcherThread.processFetchRequest catches the exception and calls
  // markPartitionFailed: the partition leaves the fetcher, joins the failed
  // partitions, and is fetched again only when added anew (a new leader epoch).
  const Partition& partition = *it->second.partition;
  env_.trace(trace::ReplicaFetchFailed{p.tp.topic, p.tp.partition, leader_, partition.log().log_end_offset(),
                                       p.batches.front().base_offset, p.batches.back().last_offset(),
                                       "UnexpectedAppendOffsetException"});
  failed_.insert(it->first);
  partitions_.erase(it);
}

void ReplicaFetcher::handle_diverging(PartitionState& ps, const FetchPartitionResponse& p) {
  // AbstractFetcherThread.getOffsetTruncationState with the leader's answer.
  Partition& partition = *ps.partition;
  PartitionLog& log = partition.log();
  const Offset leo = log.log_end_offset();
  Offset truncate_to = leo;
  const EpochEndOffset mine = log.end_offset_for_epoch(p.diverging_epoch);
  if (mine.undefined() || mine.epoch.value < 0) {
    truncate_to = std::min(p.diverging_end_offset, leo);
  } else if (mine.epoch != p.diverging_epoch) {
    // We never had the leader's epoch: cut back to the end of our older epoch;
    // the next fetch (with a new LastFetchedEpoch) finds the next divergence.
    truncate_to = std::min(mine.end_offset, leo);
  } else {
    truncate_to = std::min({mine.end_offset, p.diverging_end_offset, leo});
  }
  partition.truncate_to(truncate_to, "diverging_epoch");
}

void ReplicaFetcher::handle_partition_error(PartitionState& ps, Errc error) {
  switch (error) {
    case Errc::fenced_leader_epoch:
      // Our view of the leader epoch is old: wait for the metadata to move on.
      ps.state = State::awaiting_metadata;
      break;
    case Errc::offset_out_of_range:
      on_out_of_range(ps.partition->tp());
      break;
    default:
      // NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH, ...: the leader is not
      // ready for us yet; try again after the backoff.
      ps.delayed_until_ms = now_ms() + config_.replica_fetch_backoff_ms;
      break;
  }
}

void ReplicaFetcher::on_out_of_range(const TopicPartition& tp) {
  // AbstractFetcherThread.fetchOffsetAndTruncate: ask the leader where its log
  // ends; if ours is longer, cut it there (what pre-KIP-101 Kafka did after an
  // unclean election). Fetching resumes from our LEO either way.
  auto it = partitions_.find(tp);
  if (it == partitions_.end()) return;
  it->second.state = State::truncating;  // paused until the answer
  const LeaderEpoch epoch = it->second.leader_epoch;
  ListOffsetsRequest req;
  req.replica_id = config_.broker_id;
  req.partitions.push_back({tp, epoch, kLatestTimestamp});
  tracker_.send(leader_node_, std::move(req), millis(config_.request_timeout_ms),
                [this, tp, epoch](const Message* response, Errc) {
                  auto it = partitions_.find(tp);
                  if (it == partitions_.end() || it->second.leader_epoch != epoch) return;
                  PartitionState& ps = it->second;
                  ps.state = State::fetching;
                  if (response) {
                    const auto& r = std::get<ListOffsetsResponse>(*response);
                    if (!r.partitions.empty() && r.partitions[0].error == Errc::none &&
                        r.partitions[0].offset < ps.partition->log().log_end_offset())
                      ps.partition->truncate_to(r.partitions[0].offset, "leader_log_end");
                  } else {
                    ps.delayed_until_ms = now_ms() + config_.replica_fetch_backoff_ms;
                  }
                  maybe_send();
                });
}

void ReplicaFetcher::send_epoch_queries() {
  OffsetsForLeaderEpochRequest req;
  req.replica_id = config_.broker_id;
  req.version = 0;  // only the leader-epoch-v0 mode truncates through this request
  std::map<TopicPartition, LeaderEpoch> sent;
  for (const auto& [tp, ps] : partitions_) {
    if (ps.state != State::truncating || !ready(ps)) continue;
    auto latest = ps.partition->log().latest_epoch();
    KSIM_ASSERT(latest.has_value());
    req.partitions.push_back({tp, ps.leader_epoch, *latest});
    sent.emplace(tp, ps.leader_epoch);
  }
  if (req.partitions.empty()) return;
  // What was asked, per partition, so a reader can set it beside the answer.
  for (const EpochQuery& q : req.partitions)
    env_.trace(trace::EpochEndOffsetRequested{leader_node_, req.version, q.tp.topic, q.tp.partition,
                                              q.current_leader_epoch, q.leader_epoch});
  in_flight_ = true;
  tracker_.send(leader_node_, std::move(req), millis(config_.request_timeout_ms),
                [this, sent = std::move(sent)](const Message* response, Errc) {
                  in_flight_ = false;
                  if (!response) {
                    back_off();
                    return;
                  }
                  on_epoch_response(std::get<OffsetsForLeaderEpochResponse>(*response), sent);
                  maybe_send();
                });
}

void ReplicaFetcher::on_epoch_response(const OffsetsForLeaderEpochResponse& response,
                                       const std::map<TopicPartition, LeaderEpoch>& sent) {
  for (const EpochAnswer& a : response.partitions) {
    auto it = partitions_.find(a.tp);
    if (it == partitions_.end() || it->second.leader_epoch != sent.at(a.tp) || it->second.state != State::truncating)
      continue;
    PartitionState& ps = it->second;
    if (a.error == Errc::fenced_leader_epoch) {
      ps.state = State::awaiting_metadata;
      continue;
    }
    if (a.error != Errc::none) {
      ps.delayed_until_ms = now_ms() + config_.replica_fetch_backoff_ms;  // ask again later
      continue;
    }
    PartitionLog& log = ps.partition->log();
    // KIP-101 (v0): an undefined answer means "fall back to the HW"; otherwise
    // trust the leader's end offset, whatever epoch it really belongs to.
    const Offset to = a.end_offset.value < 0 ? log.high_watermark() : std::min(a.end_offset, log.log_end_offset());
    ps.partition->truncate_to(to, a.end_offset.value < 0 ? "high_watermark" : "leader_epoch");
    ps.state = State::fetching;
  }
}

}  // namespace ksim
