#include "core/broker/replica_manager.h"

#include <algorithm>
#include <span>

#include "core/base/assert.h"

namespace ksim {

ReplicaManager::ReplicaManager(Env& env, const BrokerConfig& config, RequestTracker& tracker, const MetadataImage& image,
                               std::function<BrokerEpoch()> broker_epoch, TimerTags tags)
    : env_(env), config_(config), tracker_(tracker), image_(image), broker_epoch_(std::move(broker_epoch)), tags_(tags) {}

void ReplicaManager::start(uint64_t session_seed) {
  fetch_sessions_.emplace(config_.max_incremental_fetch_session_cache_slots, session_seed);
  recover_logs();
}

void ReplicaManager::recover_logs() {
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

// --- metadata ----------------------------------------------------------------

PartitionSettings ReplicaManager::settings_for(const std::string& topic) const {
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

LogConfig ReplicaManager::log_config_for(const std::string& topic) const {
  LogConfig c = config_.log;
  c.segment_bytes = std::stoll(image_.topic_config(topic, "segment.bytes", std::to_string(c.segment_bytes)));
  c.index_interval_bytes =
      std::stoll(image_.topic_config(topic, "index.interval.bytes", std::to_string(c.index_interval_bytes)));
  return c;
}

Partition& ReplicaManager::get_or_create_partition(const TopicPartition& tp) {
  auto it = partitions_.find(tp);
  if (it != partitions_.end()) return *it->second;
  auto p = std::make_unique<Partition>(env_, static_cast<PartitionHost&>(*this), config_.broker_id, tp,
                                       log_config_for(tp.topic), settings_for(tp.topic));
  touched_partitions_.push_back(p.get());  // a new partition starts touched
  return *partitions_.emplace(tp, std::move(p)).first->second;
}

void ReplicaManager::apply_topic_record(const TopicRecord& record) {
  for (auto& [tp, p] : partitions_)
    if (tp.topic == record.name) p->update_settings(settings_for(tp.topic));
}

void ReplicaManager::apply_partition_record(const PartitionRecord& r, bool assigned_here) {
  const TopicPartition tp{r.topic, r.partition};
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
  } else if (!become_follower(p, r)) {
    return;
  }
  try_complete_produces(tp);
  try_complete_fetches(tp);
}

// makeFollowers for one partition; false if there is no leader to follow
// (offline, or not registered yet: the next record will tell).
bool ReplicaManager::become_follower(Partition& p, const PartitionRecord& r) {
  const TopicPartition& tp = p.tp();
  const bool restart = p.make_follower(r);
  if (r.leader.value < 0) {
    stop_fetching(tp);
    return false;
  }
  // A partition its fetcher marked failed stays so until a new leader epoch
  // (ReplicaManager.applyLocalFollowersDelta starts fetching only then).
  auto current = std::find_if(fetchers_.begin(), fetchers_.end(),
                              [&](const auto& f) { return f.second->has(tp) || f.second->has_failed(tp); });
  const bool following_right_leader = current != fetchers_.end() && current->first == r.leader.value;
  if (restart || !following_right_leader) {
    stop_fetching(tp);
    if (!image_.broker(r.leader)) return false;
    fetcher_for(r.leader).add_partition(p, broker_epoch_());
  }
  return true;
}

ReplicaFetcher& ReplicaManager::fetcher_for(BrokerId leader) {
  auto it = fetchers_.find(leader.value);
  const BrokerInfo* info = image_.broker(leader);
  KSIM_ASSERT(info != nullptr);
  if (it == fetchers_.end()) {
    it = fetchers_
             .emplace(leader.value,
                      std::make_unique<ReplicaFetcher>(env_, tracker_, config_, leader, info->node,
                                                       tags_.fetch_backoff + static_cast<TimerTag>(leader.value)))
             .first;
  }
  return *it->second;
}

void ReplicaManager::stop_fetching(const TopicPartition& tp) {
  for (auto& [leader, f] : fetchers_) f->remove_partition(tp);
}

void ReplicaManager::set_broker_epoch(BrokerEpoch epoch) {
  for (auto& [id, f] : fetchers_) f->set_local_epoch(epoch);
}

// --- timers --------------------------------------------------------------------

void ReplicaManager::maybe_shrink_isrs() {
  for (auto& [tp, p] : partitions_) p->maybe_shrink_isr();
}

void ReplicaManager::checkpoint_high_watermarks() {
  for (auto& [tp, p] : partitions_) p->log().checkpoint_high_watermark();
}

void ReplicaManager::remove_expired_producers() {
  // LogManager's PeriodicProducerExpirationCheck (UnifiedLog.removeExpiredProducers).
  for (auto& [tp, p] : partitions_)
    p->log().producer_state().remove_expired(env_.now().ms(), config_.producer_id_expiration_ms);
}

void ReplicaManager::on_fetch_backoff(TimerTag tag) {
  auto it = fetchers_.find(static_cast<int32_t>(tag - tags_.fetch_backoff));
  if (it != fetchers_.end()) it->second->on_backoff_timer();
}

void ReplicaManager::flush_all() {
  for (auto& [tp, p] : partitions_) {
    p->log().flush();
    p->log().checkpoint_high_watermark();
  }
}

// --- Produce -------------------------------------------------------------------

void ReplicaManager::handle_produce(const ReplyTo& from, const ProduceRequest& req) {
  DelayedProduce d;
  d.client = from;
  d.correlation_id = req.correlation_id;
  d.response.correlation_id = req.correlation_id;
  for (const ProducePartitionData& pd : req.partitions) {
    ProducePartitionResponse pr;
    pr.tp = pd.tp;
    auto it = partitions_.find(pd.tp);
    if (!is_valid_acks(req.acks)) {
      pr.error = Errc::invalid_required_acks;
    } else if (it == partitions_.end() || !image_.partition(pd.tp)) {
      pr.error = Errc::unknown_topic_or_partition;
    } else {
      LeaderAppendResult r = it->second->append_records_to_leader(pd.batch, req.acks);
      pr.error = r.error;
      pr.base_offset = r.base_offset;
      pr.log_start_offset = it->second->log().log_start_offset();
      if (r.error == Errc::none && req.acks == Acks::all)
        d.waiting.push_back({d.response.partitions.size(), r.last_offset + 1, false});
    }
    d.response.partitions.push_back(std::move(pr));
  }
  if (req.acks == Acks::none) return;  // acks=0: the producer expects no answer
  if (d.waiting.empty()) {
    env_.respond(from, std::move(d.response));
    return;
  }
  d.timeout = env_.set_timer(millis(req.timeout_ms), tags_.delayed_produce);
  delayed_produces_.push_back(std::move(d));
  for (const ProducePartitionData& pd : req.partitions) try_complete_produces(pd.tp);
}

void ReplicaManager::append_internal(const TopicPartition& tp, std::vector<Record> records, Duration timeout,
                                     std::function<void(Errc)> done) {
  auto it = partitions_.find(tp);
  if (it == partitions_.end() || !it->second->is_leader()) return done(Errc::not_leader_or_follower);
  RecordBatch batch;
  batch.records = std::move(records);
  const LeaderAppendResult r = it->second->append_records_to_leader(std::move(batch), Acks::all);
  if (r.error != Errc::none) return done(r.error);
  DelayedProduce d;
  d.client = ReplyTo{env_.self(), ConnectionId{}};  // unused: on_complete takes the response
  ProducePartitionResponse pr;
  pr.tp = tp;
  pr.base_offset = r.base_offset;
  d.response.partitions.push_back(pr);
  d.waiting.push_back({0, r.last_offset + 1, false});
  d.on_complete = [done = std::move(done)](const ProduceResponse& resp) { done(resp.partitions.front().error); };
  d.timeout = env_.set_timer(timeout, tags_.delayed_produce);
  delayed_produces_.push_back(std::move(d));
  try_complete_produces(tp);
}

void ReplicaManager::try_complete_produces(const TopicPartition& tp) {
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

void ReplicaManager::finish_produce(size_t index) {
  DelayedProduce d = std::move(delayed_produces_[index]);
  delayed_produces_.erase(delayed_produces_.begin() + static_cast<std::ptrdiff_t>(index));
  env_.cancel_timer(d.timeout);
  if (d.on_complete) return d.on_complete(d.response);
  env_.respond(d.client, std::move(d.response));
}

void ReplicaManager::on_produce_timeout(TimerId id) {
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

FollowerReadResult ReplicaManager::read_partition(CachedPartition& cp, const FetchRequest& req, int64_t max_bytes,
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

ReplicaManager::FetchReadSummary ReplicaManager::read_fetch(FetchContext& context, const FetchRequest& req,
                                                            bool update_fetch_state,
                                                            std::vector<FollowerReadResult>& reads) {
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

void ReplicaManager::handle_fetch(const ReplyTo& from, const FetchRequest& req) {
  FetchContext context = FetchContext::create(*fetch_sessions_, req, env_.now().ms());
  std::vector<FollowerReadResult> reads;
  const FetchReadSummary summary = read_fetch(context, req, /*update_fetch_state=*/true, reads);
  // fetchMessages answers at once when there is nothing to wait for: a
  // session error, no partitions, enough bytes, an error.
  if (context.kind() == FetchContext::Kind::session_error || context.partitions().empty() ||
      summary.bytes >= req.min_bytes || req.max_wait_ms <= 0 || summary.error) {
    trace_consumer_reads(env_, from.node, req, context, reads);
    env_.respond(from, context.respond(req.correlation_id, reads, *fetch_sessions_, env_.now().ms()));
    return;
  }
  // Nothing to return yet: park the request (the long poll).
  DelayedFetch d{from, fetch_header(req), std::move(context), {},
                 env_.set_timer(millis(req.max_wait_ms), tags_.delayed_fetch)};
  d.available_bytes.reserve(reads.size());
  for (const FollowerReadResult& r : reads) d.available_bytes.push_back(r.read.bytes);
  delayed_fetches_.push_back(std::move(d));
}

void ReplicaManager::finish_fetch(DelayedFetch d) {
  std::vector<FollowerReadResult> reads;
  read_fetch(d.context, d.request, /*update_fetch_state=*/false, reads);
  trace_consumer_reads(env_, d.requester.node, d.request, d.context, reads);
  env_.respond(d.requester, d.context.respond(d.request.correlation_id, reads, *fetch_sessions_, env_.now().ms()));
}

void ReplicaManager::try_complete_fetches(const TopicPartition& tp) {
  if (delayed_fetches_.empty()) return;
  auto pit = partitions_.find(tp);
  if (pit == partitions_.end()) return;  // no parked fetch reads a partition this broker lacks
  const Partition* changed = pit->second.get();
  for (size_t i = 0; i < delayed_fetches_.size();) {
    DelayedFetch& d = delayed_fetches_[i];
    std::span<CachedPartition> parts = d.context.partitions();
    size_t k = 0;
    while (k < parts.size() && parts[k].partition != changed) ++k;
    if (k == parts.size() || !fetch_can_complete(d, k)) {
      ++i;
      continue;
    }
    env_.cancel_timer(d.timeout);
    DelayedFetch done = std::move(d);
    delayed_fetches_.erase(delayed_fetches_.begin() + static_cast<std::ptrdiff_t>(i));
    finish_fetch(std::move(done));
  }
}

bool ReplicaManager::fetch_can_complete(DelayedFetch& d, size_t k) {
  // Re-check this partition only; the others have not changed since theirs.
  const FollowerReadResult r =
      read_partition(d.context.partitions()[k], d.request, d.request.max_bytes, /*update_fetch_state=*/false);
  if (r.error != Errc::none || r.diverging.has_value()) return true;
  d.available_bytes[k] = r.read.bytes;
  int64_t available = 0;
  for (int64_t b : d.available_bytes) available += b;
  return available >= d.request.min_bytes;
}

void ReplicaManager::on_fetch_timeout(TimerId id) {
  for (size_t i = 0; i < delayed_fetches_.size(); ++i) {
    if (delayed_fetches_[i].timeout != id) continue;
    DelayedFetch d = std::move(delayed_fetches_[i]);
    delayed_fetches_.erase(delayed_fetches_.begin() + static_cast<std::ptrdiff_t>(i));
    finish_fetch(std::move(d));
    return;
  }
}

void ReplicaManager::on_leader_progress(const TopicPartition& tp) {
  try_complete_produces(tp);
  try_complete_fetches(tp);
}

// --- other requests -------------------------------------------------------------

void ReplicaManager::handle_offsets_for_leader_epoch(NodeId from, const OffsetsForLeaderEpochRequest& req) {
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

void ReplicaManager::handle_list_offsets(NodeId from, const ListOffsetsRequest& req) {
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

// --- PartitionHost -------------------------------------------------------------

void ReplicaManager::submit_alter_partition(const TopicPartition& tp, AlterPartitionRequest request,
                                            uint64_t change_id) {
  tracker_.send(config_.controller, std::move(request), millis(config_.request_timeout_ms),
                [this, tp, change_id](const Message* response, Errc error) {
                  auto it = partitions_.find(tp);
                  if (it == partitions_.end()) return;
                  const auto* r = response ? &std::get<AlterPartitionResponse>(*response) : nullptr;
                  it->second->on_alter_partition_result(change_id, r, error);
                }, Channel::alter_partition);
}

bool ReplicaManager::is_replica_isr_eligible(BrokerId broker, BrokerEpoch fetch_epoch) const {
  const BrokerInfo* b = image_.broker(broker);
  if (!b || b->fenced || b->in_controlled_shutdown) return false;
  return fetch_epoch.value == -1 || fetch_epoch == b->epoch;
}

void ReplicaManager::on_partition_touched(const Partition& partition) { touched_partitions_.push_back(&partition); }

// --- read access ------------------------------------------------------------------

const Partition* ReplicaManager::partition(const TopicPartition& tp) const {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : it->second.get();
}

Partition* ReplicaManager::partition(const TopicPartition& tp) {
  auto it = partitions_.find(tp);
  return it == partitions_.end() ? nullptr : it->second.get();
}

const ReplicaFetcher* ReplicaManager::fetcher(BrokerId leader) const {
  auto it = fetchers_.find(leader.value);
  return it == fetchers_.end() ? nullptr : it->second.get();
}

void ReplicaManager::check_invariants() const {
  // Only the partitions this event could have changed (Partition's touched
  // tracking); an untouched partition passed its last check and is unchanged.
  for (const Partition* p : touched_partitions_) {
    p->mark_checked();
    p->check_invariants();
  }
  touched_partitions_.clear();
}

}  // namespace ksim
