#include "core/broker/broker_node.h"

#include <algorithm>
#include <span>

#include "core/base/assert.h"
#include "core/base/contains.h"
#include "core/base/overloaded.h"

namespace ksim {
namespace {

// Broker-side reconnect and retry pacing for controller requests
// (reconnect.backoff.ms-like; Kafka's BrokerLifecycleManager backs off similarly).
constexpr Duration kControllerRetry = millis(100);
// The heartbeat channel's NetworkClient reconnects after 50 ms (reconnect.backoff.ms
// and its max are 50 in NodeToControllerChannelManagerImpl).
constexpr Duration kControllerReconnectBackoff = millis(50);
// controller.quorum.request.timeout.ms (QuorumConfig's default).
constexpr Duration kQuorumRequestTimeout = millis(2000);

}  // namespace

BrokerNode::BrokerNode(Env& env, BrokerConfig config)
    : env_(env),
      config_(std::move(config)),
      tracker_(env, kRequestTimeout),
      producer_ids_(env, tracker_, config_.controller, config_.broker_id, [this] { return broker_epoch_; },
                    config_.request_timeout_ms),
      group_coordinator_(
          std::make_unique<GroupCoordinator>(env_, config_, static_cast<CoordinatorHost&>(*this), kGroupCoordinator)),
      // BrokerLifecycleManager's resendExponentialBackoff: 100 ms, x2, at most the session, jitter 2%.
      heartbeat_backoff_(100, config_.broker_session_timeout_ms, 0.02) {}

BrokerNode::~BrokerNode() = default;

// --- lifecycle ---------------------------------------------------------------

void BrokerNode::start() {
  incarnation_id_ = env_.rng().next_u64();
  // Its own stream for session ids, so sessions draw nothing from the broker's.
  fetch_sessions_.emplace(config_.max_incremental_fetch_session_cache_slots, incarnation_id_ ^ 0x4b49502d323237ULL);
  recover_logs();
  send_registration();
  env_.set_timer(millis(config_.replica_lag_time_max_ms / 2), kIsrExpiration);
  env_.set_timer(millis(config_.replica_high_watermark_checkpoint_interval_ms), kHwCheckpoint);
  env_.set_timer(millis(config_.producer_id_expiration_check_interval_ms), kProducerExpiration);
}

void BrokerNode::recover_logs() {
  // Partition directories are named "<topic>-<partition>".
  std::map<TopicPartition, bool> found;
  for (const std::string& file : env_.storage().list()) {
    const auto slash = file.find('/');
    if (slash == std::string::npos) continue;
    const std::string dir = file.substr(0, slash);
    const auto dash = dir.rfind('-');
    if (dash == std::string::npos) continue;
    found.emplace(TopicPartition{dir.substr(0, dash), PartitionId(std::stoi(dir.substr(dash + 1)))}, true);
  }
  for (const auto& [tp, _] : found) get_or_create_partition(tp).recover();
}

void BrokerNode::send_registration() {
  BrokerRegistrationRequest req;
  req.broker = config_.broker_id;
  req.incarnation_id = incarnation_id_;
  req.rack = config_.rack;
  // The registration goes over the same "heartbeat" channel as heartbeats.
  const Duration timeout = std::min(millis(config_.request_timeout_ms), millis(config_.broker_session_timeout_ms / 2));
  tracker_.send(config_.controller, std::move(req), timeout,
                [this](const Message* response, Errc) {
                  if (!response || std::get<BrokerRegistrationResponse>(*response).error != Errc::none) {
                    env_.set_timer(kControllerRetry, kRegister);
                    return;
                  }
                  broker_epoch_ = std::get<BrokerRegistrationResponse>(*response).broker_epoch;
                  registered_ = true;
                  for (auto& [id, f] : fetchers_) f->set_local_epoch(broker_epoch_);
                  send_heartbeat();
                  send_metadata_fetch();
                }, Channel::heartbeat);
}

void BrokerNode::send_heartbeat() {
  if (!registered_ || heartbeat_in_flight_) return;
  heartbeat_in_flight_ = true;
  heartbeat_created_ = env_.now();
  send_heartbeat_attempt();
}

void BrokerNode::send_heartbeat_attempt() {
  BrokerHeartbeatRequest req;
  req.broker = config_.broker_id;
  req.broker_epoch = broker_epoch_;
  req.current_metadata_offset = image_.offset();
  req.want_fence = false;
  req.want_shutdown = shutting_down_;
  const Duration retry_timeout = millis(config_.broker_session_timeout_ms / 2);
  const Duration attempt_timeout = std::min(millis(config_.request_timeout_ms), retry_timeout);
  tracker_.send(config_.controller, std::move(req), attempt_timeout, [this, retry_timeout](const Message* response, Errc) {
    if (!response) {
      // Steps 2 and 3 of the header.
      if (env_.now() - heartbeat_created_ < retry_timeout) {
        env_.set_timer(kControllerReconnectBackoff, kHeartbeatResend);
        return;
      }
      heartbeat_in_flight_ = false;
      on_heartbeat_failed();
      return;
    }
    heartbeat_in_flight_ = false;
    const auto& r = std::get<BrokerHeartbeatResponse>(*response);
    if (r.error == Errc::stale_broker_epoch || r.error == Errc::broker_id_not_registered) {
      // The controller forgot us (or we it): register again.
      registered_ = false;
      send_registration();
      return;
    }
    if (r.error != Errc::none) {
      on_heartbeat_failed();
      return;
    }
    heartbeat_failures_ = 0;
    fenced_ = r.is_fenced;
    if (shutting_down_ && r.should_shut_down && !shutdown_complete_) {
      for (auto& [tp, p] : partitions_) {
        p->log().flush();
        p->log().checkpoint_high_watermark();
      }
      shutdown_complete_ = true;
      env_.trace(trace::Note{"controlled shutdown complete"});
    }
    env_.set_timer(millis(shutting_down_ ? 200 : config_.broker_heartbeat_interval_ms), kHeartbeat);
  }, Channel::heartbeat);
}

void BrokerNode::on_heartbeat_failed() {
  const int64_t delay_ms = heartbeat_backoff_.backoff_ms(heartbeat_failures_, env_.rng());
  ++heartbeat_failures_;
  env_.set_timer(millis(delay_ms), kHeartbeat);
}

void BrokerNode::begin_controlled_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  env_.trace(trace::Note{"controlled shutdown requested"});
  send_heartbeat();
}

void BrokerNode::send_metadata_fetch() {
  if (!registered_ || metadata_fetch_in_flight_) return;
  MetadataFetchRequest req;
  req.broker = config_.broker_id;
  req.fetch_offset = image_.offset() + 1;
  req.max_wait_ms = 500;
  metadata_fetch_in_flight_ = true;
  // A broker follows the metadata log as a KRaft observer: its Fetch times out
  // after controller.quorum.request.timeout.ms (2000 ms), not request.timeout.ms.
  tracker_.send(config_.controller, std::move(req), kQuorumRequestTimeout,
                [this](const Message* response, Errc) {
                  metadata_fetch_in_flight_ = false;
                  if (!response) {
                    env_.set_timer(kControllerRetry, kMetadataFetch);
                    return;
                  }
                  apply_metadata(std::get<MetadataFetchResponse>(*response));
                  send_metadata_fetch();
                }, Channel::raft);
}

void BrokerNode::apply_metadata(const MetadataFetchResponse& response) {
  if (response.error != Errc::none) return;
  // Replay every record into the image first, then act on the final state of
  // each partition the response touched: a broker (re)starting from offset 0
  // must not become leader of epoch 0 on the way to epoch 9 (KRaft brokers
  // publish the image once caught up, not every intermediate state).
  std::vector<TopicPartition> touched_partitions;
  std::vector<std::string> touched_topics;
  int64_t offset = response.base_offset;
  for (const MetadataRecord& record : response.records) {
    if (offset <= image_.offset()) {  // already applied (a retried fetch)
      ++offset;
      continue;
    }
    KSIM_ASSERT_MSG(offset == image_.offset() + 1, "metadata gap: have " << image_.offset() << ", got " << offset);
    image_.apply(record, offset);
    if (const auto* r = std::get_if<PartitionRecord>(&record)) {
      TopicPartition tp{r->topic, r->partition};
      if (std::find(touched_partitions.begin(), touched_partitions.end(), tp) == touched_partitions.end())
        touched_partitions.push_back(std::move(tp));
    } else if (const auto* t = std::get_if<TopicRecord>(&record)) {
      touched_topics.push_back(t->name);
    }
    ++offset;
  }
  for (const std::string& topic : touched_topics) on_topic_record(*image_.topic(topic));
  for (const TopicPartition& tp : touched_partitions) on_partition_record(*image_.partition(tp));
}

PartitionSettings BrokerNode::settings_for(const std::string& topic) const {
  PartitionSettings s;
  s.min_insync_replicas =
      std::stoi(image_.topic_config(topic, "min.insync.replicas", std::to_string(config_.min_insync_replicas)));
  s.replica_lag_time_max_ms = config_.replica_lag_time_max_ms;
  s.strict_min_isr = config_.strict_min_isr;
  s.max_message_bytes = std::stoi(
      image_.topic_config(topic, "max.message.bytes", std::to_string(PartitionSettings{}.max_message_bytes)));
  s.flush_interval_messages = std::stoll(
      image_.topic_config(topic, "flush.messages", std::to_string(config_.log_flush_interval_messages)));
  return s;
}

LogConfig BrokerNode::log_config_for(const std::string& topic) const {
  LogConfig c = config_.log;
  c.segment_bytes = std::stoll(image_.topic_config(topic, "segment.bytes", std::to_string(c.segment_bytes)));
  c.index_interval_bytes =
      std::stoll(image_.topic_config(topic, "index.interval.bytes", std::to_string(c.index_interval_bytes)));
  return c;
}

Partition& BrokerNode::get_or_create_partition(const TopicPartition& tp) {
  auto it = partitions_.find(tp);
  if (it != partitions_.end()) return *it->second;
  auto p = std::make_unique<Partition>(env_, static_cast<PartitionHost&>(*this), config_.broker_id, tp,
                                       log_config_for(tp.topic), settings_for(tp.topic));
  touched_partitions_.push_back(p.get());  // a new partition starts touched
  return *partitions_.emplace(tp, std::move(p)).first->second;
}

void BrokerNode::on_topic_record(const TopicRecord& record) {
  for (auto& [tp, p] : partitions_)
    if (tp.topic == record.name) p->update_settings(settings_for(tp.topic));
}

void BrokerNode::on_partition_record(const PartitionRecord& r) {
  const TopicPartition tp{r.topic, r.partition};
  const bool assigned_here = contains(r.replicas, config_.broker_id.value);
  on_offsets_partition_record(r, assigned_here);
  if (!assigned_here) {
    auto it = partitions_.find(tp);
    if (it != partitions_.end()) {
      stop_fetching(tp);
      it->second->make_offline();
    }
    return;
  }
  Partition& p = get_or_create_partition(tp);
  if (r.leader == config_.broker_id) {
    p.make_leader(r);
    stop_fetching(tp);
  } else {
    const bool restart = p.make_follower(r);
    if (r.leader.value < 0) {
      stop_fetching(tp);  // offline: nobody to follow
      return;
    }
    // A partition its fetcher marked failed stays so until a new leader epoch
    // (ReplicaManager.applyLocalFollowersDelta starts fetching only then).
    auto current = std::find_if(fetchers_.begin(), fetchers_.end(),
                                [&](const auto& f) { return f.second->has(tp) || f.second->has_failed(tp); });
    const bool following_right_leader = current != fetchers_.end() && current->first == r.leader.value;
    if (restart || !following_right_leader) {
      stop_fetching(tp);
      const BrokerInfo* leader = image_.broker(r.leader);
      if (!leader) return;  // not registered yet: the next record will tell us
      fetcher_for(r.leader).add_partition(p, broker_epoch_);
    }
  }
  try_complete_produces(tp);
  try_complete_fetches(tp);
}

ReplicaFetcher& BrokerNode::fetcher_for(BrokerId leader) {
  auto it = fetchers_.find(leader.value);
  const BrokerInfo* info = image_.broker(leader);
  KSIM_ASSERT(info != nullptr);
  if (it == fetchers_.end()) {
    it = fetchers_
             .emplace(leader.value, std::make_unique<ReplicaFetcher>(env_, tracker_, config_, leader, info->node,
                                                                     kFetchBackoff + static_cast<TimerTag>(leader.value)))
             .first;
  }
  return *it->second;
}

void BrokerNode::stop_fetching(const TopicPartition& tp) {
  for (auto& [leader, f] : fetchers_) f->remove_partition(tp);
}

// --- messages and timers -----------------------------------------------------

void BrokerNode::on_message(NodeId from, ConnectionId connection, const Message& msg) {
  if (is_response(msg)) {
    tracker_.on_response(from, msg);  // a late answer to a failed request is ignored
    return;
  }
  std::visit(Overloaded{
                 [&](const ProduceRequest& r) { handle_produce(ReplyTo{from, connection}, r); },
                 [&](const FetchRequest& r) { handle_fetch(ReplyTo{from, connection}, r); },
                 [&](const OffsetsForLeaderEpochRequest& r) { handle_offsets_for_leader_epoch(from, r); },
                 [&](const ListOffsetsRequest& r) { handle_list_offsets(from, r); },
                 [&](const MetadataRequest& r) { handle_metadata(from, r); },
                 [&](const InitProducerIdRequest& r) { producer_ids_.handle_init_producer_id(from, r); },
                 [&](const FindCoordinatorRequest& r) { handle_find_coordinator(from, r); },
                 [&](const JoinGroupRequest& r) { group_coordinator_->handle(ReplyTo{from, connection}, r); },
                 [&](const SyncGroupRequest& r) { group_coordinator_->handle(ReplyTo{from, connection}, r); },
                 [&](const HeartbeatRequest& r) { group_coordinator_->handle(ReplyTo{from, connection}, r); },
                 [&](const LeaveGroupRequest& r) { group_coordinator_->handle(ReplyTo{from, connection}, r); },
                 [&](const OffsetCommitRequest& r) { group_coordinator_->handle(ReplyTo{from, connection}, r); },
                 [&](const OffsetFetchRequest& r) { group_coordinator_->handle(ReplyTo{from, connection}, r); },
                 [&](const auto&) {},  // not a broker API: ignore, as an unknown request
             },
             msg);
}

void BrokerNode::on_timer(TimerId id, TimerTag tag) {
  if (tag >= kFetchBackoff) {
    auto it = fetchers_.find(static_cast<int32_t>(tag - kFetchBackoff));
    if (it != fetchers_.end()) it->second->on_backoff_timer();
    return;
  }
  switch (tag) {
    case kRequestTimeout:
      tracker_.on_timer(id);
      break;
    case kHeartbeat:
      send_heartbeat();
      break;
    case kHeartbeatResend:
      if (heartbeat_in_flight_) send_heartbeat_attempt();
      break;
    case kRegister:
      send_registration();
      break;
    case kMetadataFetch:
      send_metadata_fetch();
      break;
    case kIsrExpiration:
      // ReplicaManager's isr-expiration task, every replica.lag.time.max.ms / 2.
      for (auto& [tp, p] : partitions_) p->maybe_shrink_isr();
      env_.set_timer(millis(config_.replica_lag_time_max_ms / 2), kIsrExpiration);
      break;
    case kHwCheckpoint:
      for (auto& [tp, p] : partitions_) p->log().checkpoint_high_watermark();
      env_.set_timer(millis(config_.replica_high_watermark_checkpoint_interval_ms), kHwCheckpoint);
      break;
    case kProducerExpiration:
      // LogManager's PeriodicProducerExpirationCheck (UnifiedLog.removeExpiredProducers).
      for (auto& [tp, p] : partitions_)
        p->log().producer_state().remove_expired(env_.now().ms(), config_.producer_id_expiration_ms);
      env_.set_timer(millis(config_.producer_id_expiration_check_interval_ms), kProducerExpiration);
      break;
    case kDelayedProduce:
      on_produce_timeout(id);
      break;
    case kDelayedFetch:
      on_fetch_timeout(id);
      break;
    case kGroupCoordinator:
      group_coordinator_->on_timer(id);
      break;
    default:
      KSIM_ASSERT_MSG(false, "unknown broker timer tag " << tag);
  }
}

void BrokerNode::on_connection_lost(NodeId peer) { tracker_.on_connection_lost(peer); }

// --- Produce -------------------------------------------------------------------

void BrokerNode::handle_produce(const ReplyTo& from, const ProduceRequest& req) {
  DelayedProduce d;
  d.client = from;
  d.correlation_id = req.correlation_id;
  d.response.correlation_id = req.correlation_id;
  const bool valid_acks = req.acks == 0 || req.acks == 1 || req.acks == -1;
  for (const ProducePartitionData& pd : req.partitions) {
    ProducePartitionResponse pr;
    pr.tp = pd.tp;
    auto it = partitions_.find(pd.tp);
    if (!valid_acks) {
      pr.error = Errc::invalid_required_acks;
    } else if (it == partitions_.end() || !image_.partition(pd.tp)) {
      pr.error = Errc::unknown_topic_or_partition;
    } else {
      LeaderAppendResult r = it->second->append_records_to_leader(pd.batch, req.acks);
      pr.error = r.error;
      pr.base_offset = r.base_offset;
      pr.log_start_offset = it->second->log().log_start_offset();
      if (r.error == Errc::none && req.acks == -1)
        d.waiting.push_back({d.response.partitions.size(), r.last_offset + 1, false});
    }
    d.response.partitions.push_back(std::move(pr));
  }
  if (req.acks == 0) return;  // acks=0: the producer expects no answer
  if (d.waiting.empty()) {
    env_.respond(from, std::move(d.response));
    return;
  }
  d.timeout = env_.set_timer(millis(req.timeout_ms), kDelayedProduce);
  delayed_produces_.push_back(std::move(d));
  for (const ProducePartitionData& pd : req.partitions) try_complete_produces(pd.tp);
}

void BrokerNode::try_complete_produces(const TopicPartition& tp) {
  for (size_t i = 0; i < delayed_produces_.size();) {
    DelayedProduce& d = delayed_produces_[i];
    bool touched = false;
    for (auto& w : d.waiting) {
      ProducePartitionResponse& pr = d.response.partitions[w.index];
      if (w.done || pr.tp != tp) continue;
      auto it = partitions_.find(tp);
      auto [done, error] = it == partitions_.end() ? std::pair{true, Errc::not_leader_or_follower}
                                                   : it->second->check_enough_replicas_reach_offset(w.required_offset);
      if (!done && error == Errc::not_leader_or_follower) done = true;
      if (done) {
        w.done = true;
        pr.error = error;
        touched = true;
      }
    }
    if (touched && d.complete()) {
      finish_produce(i);
    } else {
      ++i;
    }
  }
}

void BrokerNode::finish_produce(size_t index) {
  DelayedProduce d = std::move(delayed_produces_[index]);
  delayed_produces_.erase(delayed_produces_.begin() + static_cast<std::ptrdiff_t>(index));
  env_.cancel_timer(d.timeout);
  if (d.on_complete) return d.on_complete(d.response);
  env_.respond(d.client, std::move(d.response));
}

void BrokerNode::on_produce_timeout(TimerId id) {
  for (size_t i = 0; i < delayed_produces_.size(); ++i) {
    DelayedProduce& d = delayed_produces_[i];
    if (d.timeout != id) continue;
    for (auto& w : d.waiting) {
      if (w.done) continue;
      w.done = true;
      d.response.partitions[w.index].error = Errc::request_timed_out;
    }
    finish_produce(i);
    return;
  }
}

// --- Fetch -------------------------------------------------------------------

FollowerReadResult BrokerNode::read_partition(CachedPartition& cp, const FetchRequest& req, int64_t max_bytes,
                                              bool update_fetch_state) {
  if (!cp.partition) {
    auto it = partitions_.find(cp.request.tp);
    if (it == partitions_.end()) {
      FollowerReadResult r;
      r.error = Errc::unknown_topic_or_partition;
      return r;
    }
    cp.partition = it->second.get();  // partitions are never removed: the handle stays good
  }
  const auto budget = static_cast<int32_t>(std::clamp<int64_t>(max_bytes, 0, INT32_MAX));
  if (!req.from_follower()) return cp.partition->fetch_for_consumer(cp.request, budget);
  const bool validate = config_.replication_truncation == TruncationMode::leader_epoch;
  return cp.partition->fetch_for_follower(req.replica_id, req.replica_epoch, cp.request, budget, validate,
                                          update_fetch_state);
}

BrokerNode::FetchReadSummary BrokerNode::read_fetch(FetchContext& context, const FetchRequest& req,
                                                    bool update_fetch_state, std::vector<FollowerReadResult>& reads) {
  FetchReadSummary summary;
  std::span<CachedPartition> parts = context.partitions();
  reads.clear();
  reads.reserve(parts.size());
  int64_t budget = req.max_bytes;
  for (CachedPartition& cp : parts) {
    FollowerReadResult& r = reads.emplace_back(read_partition(cp, req, budget, update_fetch_state));
    budget -= r.read.bytes;
    summary.bytes += r.read.bytes;
    summary.error |= r.error != Errc::none || r.diverging.has_value();
  }
  return summary;
}

namespace {
// A consumer's Fetch answer goes into the trace, per partition with records
// (what it was handed and the HW it was told), so checkers can hold it
// against the HW this broker traced (read-above-hw). Followers' fetches are
// replication, traced by their appends.
void trace_consumer_reads(Env& env, NodeId consumer, const FetchRequest& req, FetchContext& context,
                          const std::vector<FollowerReadResult>& reads) {
  if (req.from_follower()) return;
  std::span<CachedPartition> parts = context.partitions();
  for (size_t i = 0; i < reads.size() && i < parts.size(); ++i) {
    const FollowerReadResult& r = reads[i];
    if (r.error != Errc::none || r.read.batches.empty()) continue;
    const FetchPartitionData& p = parts[i].request;
    trace::FetchServed e{consumer, p.tp.topic, p.tp.partition, p.fetch_offset, r.high_watermark,
                         r.read.batches.front().base_offset, {}};
    for (const RecordBatch& b : r.read.batches)
      for (const Record& rec : b.records) e.records.push_back(rec.id);
    env.trace(std::move(e));
  }
}

// What a parked fetch keeps of its request: everything but the partitions.
FetchRequest fetch_header(const FetchRequest& req) {
  FetchRequest h;
  h.correlation_id = req.correlation_id;
  h.replica_id = req.replica_id;
  h.replica_epoch = req.replica_epoch;
  h.max_wait_ms = req.max_wait_ms;
  h.min_bytes = req.min_bytes;
  h.max_bytes = req.max_bytes;
  h.session_id = req.session_id;
  h.session_epoch = req.session_epoch;
  return h;
}
}  // namespace

void BrokerNode::handle_fetch(const ReplyTo& from, const FetchRequest& req) {
  FetchContext context = FetchContext::create(*fetch_sessions_, req, env_.now().ms());
  std::vector<FollowerReadResult> reads;
  const FetchReadSummary summary = read_fetch(context, req, /*update_fetch_state=*/true, reads);
  // ReplicaManager.fetchMessages answers at once when there is nothing to
  // wait for: a session error, no partitions, enough bytes, an error.
  if (context.kind() == FetchContext::Kind::session_error || context.partitions().empty() ||
      summary.bytes >= req.min_bytes || req.max_wait_ms <= 0 || summary.error) {
    trace_consumer_reads(env_, from.node, req, context, reads);
    env_.respond(from, context.respond(req.correlation_id, reads, *fetch_sessions_, env_.now().ms()));
    return;
  }
  // Nothing to return yet: park the request (the long poll).
  DelayedFetch d{from, fetch_header(req), std::move(context), {}, env_.set_timer(millis(req.max_wait_ms), kDelayedFetch)};
  d.available_bytes.reserve(reads.size());
  for (const FollowerReadResult& r : reads) d.available_bytes.push_back(r.read.bytes);
  delayed_fetches_.push_back(std::move(d));
}

void BrokerNode::finish_fetch(DelayedFetch d) {
  std::vector<FollowerReadResult> reads;
  read_fetch(d.context, d.request, /*update_fetch_state=*/false, reads);
  trace_consumer_reads(env_, d.requester.node, d.request, d.context, reads);
  env_.respond(d.requester, d.context.respond(d.request.correlation_id, reads, *fetch_sessions_, env_.now().ms()));
}

void BrokerNode::try_complete_fetches(const TopicPartition& tp) {
  if (delayed_fetches_.empty()) return;
  auto pit = partitions_.find(tp);
  if (pit == partitions_.end()) return;  // no parked fetch reads a partition this broker lacks
  const Partition* changed = pit->second.get();
  for (size_t i = 0; i < delayed_fetches_.size();) {
    DelayedFetch& d = delayed_fetches_[i];
    std::span<CachedPartition> parts = d.context.partitions();
    size_t k = 0;
    while (k < parts.size() && parts[k].partition != changed) ++k;
    if (k == parts.size()) {
      ++i;
      continue;
    }
    // Re-check this partition only; the others have not changed since theirs.
    const FollowerReadResult r = read_partition(parts[k], d.request, d.request.max_bytes, /*update_fetch_state=*/false);
    bool complete = r.error != Errc::none || r.diverging.has_value();
    if (!complete) {
      d.available_bytes[k] = r.read.bytes;
      int64_t available = 0;
      for (int64_t b : d.available_bytes) available += b;
      complete = available >= d.request.min_bytes;
    }
    if (!complete) {
      ++i;
      continue;
    }
    env_.cancel_timer(d.timeout);
    DelayedFetch done = std::move(d);
    delayed_fetches_.erase(delayed_fetches_.begin() + static_cast<std::ptrdiff_t>(i));
    finish_fetch(std::move(done));
  }
}

void BrokerNode::on_fetch_timeout(TimerId id) {
  for (size_t i = 0; i < delayed_fetches_.size(); ++i) {
    if (delayed_fetches_[i].timeout != id) continue;
    DelayedFetch d = std::move(delayed_fetches_[i]);
    delayed_fetches_.erase(delayed_fetches_.begin() + static_cast<std::ptrdiff_t>(i));
    finish_fetch(std::move(d));
    return;
  }
}

void BrokerNode::on_leader_progress(const TopicPartition& tp) {
  try_complete_produces(tp);
  try_complete_fetches(tp);
}

// --- other requests -------------------------------------------------------------

void BrokerNode::handle_offsets_for_leader_epoch(NodeId from, const OffsetsForLeaderEpochRequest& req) {
  OffsetsForLeaderEpochResponse resp;
  resp.correlation_id = req.correlation_id;
  for (const EpochQuery& q : req.partitions) {
    auto it = partitions_.find(q.tp);
    if (it == partitions_.end()) {
      EpochAnswer a;
      a.tp = q.tp;
      a.error = Errc::unknown_topic_or_partition;
      resp.partitions.push_back(a);
      continue;
    }
    resp.partitions.push_back(it->second->last_offset_for_leader_epoch(q.current_leader_epoch, q.leader_epoch, req.version));
  }
  // The answer, per partition, beside the epoch asked: KIP-101's v0 "offset 2"
  // and KIP-279's (epoch, offset) are read from the trace (ReplicaManager.lastOffsetForLeaderEpoch).
  for (size_t i = 0; i < resp.partitions.size() && i < req.partitions.size(); ++i) {
    const EpochAnswer& a = resp.partitions[i];
    env_.trace(trace::EpochEndOffsetAnswered{from, req.version, a.tp.topic, a.tp.partition, req.partitions[i].leader_epoch,
                                             std::string(error_name(a.error)), a.leader_epoch, a.end_offset});
  }
  env_.send(from, std::move(resp));
}

void BrokerNode::handle_list_offsets(NodeId from, const ListOffsetsRequest& req) {
  ListOffsetsResponse resp;
  resp.correlation_id = req.correlation_id;
  for (const ListOffsetsPartition& q : req.partitions) {
    ListOffsetsPartitionResponse r;
    r.tp = q.tp;
    auto it = partitions_.find(q.tp);
    if (it == partitions_.end()) {
      r.error = Errc::unknown_topic_or_partition;
    } else if (!it->second->is_leader()) {
      r.error = Errc::not_leader_or_follower;
    } else if (q.current_leader_epoch.value >= 0 && q.current_leader_epoch != it->second->leader_epoch()) {
      r.error = q.current_leader_epoch < it->second->leader_epoch() ? Errc::fenced_leader_epoch
                                                                    : Errc::unknown_leader_epoch;
    } else {
      const PartitionLog& log = it->second->log();
      // Replicas see the LEO; clients see up to the HW (read_uncommitted).
      if (q.timestamp == kEarliestTimestamp) r.offset = log.log_start_offset();
      else r.offset = req.replica_id.value >= 0 ? log.log_end_offset() : log.high_watermark();
      r.leader_epoch = it->second->leader_epoch();
    }
    resp.partitions.push_back(r);
  }
  env_.send(from, std::move(resp));
}

void BrokerNode::handle_metadata(NodeId from, const MetadataRequest& req) {
  MetadataResponse resp;
  resp.correlation_id = req.correlation_id;
  for (const auto& [id, b] : image_.brokers())
    if (!b.fenced) resp.brokers.push_back({b.id, b.node, b.rack});
  std::vector<std::string> names = req.topics;
  if (req.all_topics)
    for (const auto& [name, t] : image_.topics()) names.push_back(name);
  for (const std::string& name : names) {
    MetadataTopic mt;
    mt.name = name;
    const TopicRecord* t = image_.topic(name);
    if (!t) {
      mt.error = Errc::unknown_topic_or_partition;
    } else {
      for (int32_t p = 0; p < t->partitions; ++p) {
        const PartitionRecord* pr = image_.partition({name, PartitionId(p)});
        MetadataPartition mp;
        mp.partition = PartitionId(p);
        if (!pr) {
          mp.error = Errc::leader_not_available;
        } else {
          mp.leader = pr->leader;
          mp.leader_epoch = pr->leader_epoch;
          mp.replicas = pr->replicas;
          mp.isr = pr->isr;
          if (pr->leader.value < 0) mp.error = Errc::leader_not_available;
        }
        mt.partitions.push_back(mp);
      }
    }
    resp.topics.push_back(std::move(mt));
  }
  env_.send(from, std::move(resp));
}

// --- PartitionHost -------------------------------------------------------------

void BrokerNode::submit_alter_partition(const TopicPartition& tp, AlterPartitionRequest request, uint64_t change_id) {
  tracker_.send(config_.controller, std::move(request), millis(config_.request_timeout_ms),
                [this, tp, change_id](const Message* response, Errc error) {
                  auto it = partitions_.find(tp);
                  if (it == partitions_.end()) return;
                  const auto* r = response ? &std::get<AlterPartitionResponse>(*response) : nullptr;
                  it->second->on_alter_partition_result(change_id, r, error);
                }, Channel::alter_partition);
}

bool BrokerNode::is_replica_isr_eligible(BrokerId broker, BrokerEpoch fetch_epoch) const {
  const BrokerInfo* b = image_.broker(broker);
  if (!b || b->fenced || b->in_controlled_shutdown) return false;
  return fetch_epoch.value == -1 || fetch_epoch == b->epoch;
}

const Partition* BrokerNode::partition(const TopicPartition& tp) const {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : it->second.get();
}

Partition* BrokerNode::partition(const TopicPartition& tp) {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : it->second.get();
}

void BrokerNode::on_partition_touched(const Partition& partition) { touched_partitions_.push_back(&partition); }

void BrokerNode::check_invariants() const {
  // Only the partitions this event could have changed (Partition's touched
  // tracking); an untouched partition passed its last check and is unchanged.
  for (const Partition* p : touched_partitions_) {
    p->mark_checked();
    p->check_invariants();
  }
  touched_partitions_.clear();
  producer_ids_.check_invariants();
  group_coordinator_->check_invariants();
}

}  // namespace ksim
