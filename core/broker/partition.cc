#include "core/broker/partition.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/base/contains.h"

namespace ksim {
namespace {

std::vector<RecordId> record_ids(const RecordBatch& b) {
  std::vector<RecordId> ids;
  ids.reserve(b.records.size());
  for (const Record& r : b.records) ids.push_back(r.id);
  return ids;
}

std::string join(const std::vector<int32_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
  return s + "]";
}

}  // namespace

Partition::Partition(Env& env, PartitionHost& host, BrokerId local, TopicPartition tp, LogConfig log_config,
                     PartitionSettings settings)
    : env_(env), host_(host), local_(local), tp_(tp), log_(env.storage(), tp, log_config), settings_(settings) {
  // Every change of the replica's leader-epoch cache goes into the trace whole.
  log_.set_epoch_cache_observer([this](const LeaderEpochCache& cache, std::string_view reason) {
    trace::EpochCacheChanged e{tp_.topic, tp_.partition, {}, std::string(reason)};
    for (const EpochEntry& entry : cache.entries()) e.entries.push_back({entry.epoch.value, entry.start_offset.value});
    env_.trace(std::move(e));
  });
}

RecoveryResult Partition::recover() {
  touch();
  RecoveryResult r = log_.recover();
  // Every value the replica now holds goes into the trace (the epoch cache
  // went just before, from inside recover()), so a reader that saw the log
  // before the crash agrees with the broker after it (UnifiedLog / LogLoader
  // recovery, the HW from the replication-offset-checkpoint).
  env_.trace(trace::LogRecovered{tp_.topic, tp_.partition, log_.log_start_offset(), r.log_end_offset,
                                 r.high_watermark, r.batches_recovered, r.entries_discarded});
  return r;
}

bool Partition::in_isr(int32_t broker) const { return contains(isr_, broker); }

int32_t Partition::effective_min_isr() const {
  // Partition.effectiveMinIsr: min.insync.replicas larger than the replica count means the count.
  return std::min<int32_t>(settings_.min_insync_replicas, static_cast<int32_t>(std::max<size_t>(replicas_.size(), 1)));
}

bool Partition::is_under_min_isr() const {
  return is_leader() && static_cast<int32_t>(isr_.size()) < effective_min_isr();
}

std::vector<int32_t> Partition::maximal_isr() const {
  std::vector<int32_t> m = isr_;
  if (pending_ && pending_->expand) m = pending_->proposed;  // KIP-497: count the addition at once
  return m;
}

const RemoteReplicaState* Partition::remote(BrokerId b) const {
  auto it = remotes_.find(b.value);
  return it == remotes_.end() ? nullptr : &it->second;
}

void Partition::trace_role(std::string_view role) {
  env_.trace(trace::ReplicaRoleChanged{tp_.topic, tp_.partition, std::string(role), leader_, leader_epoch_});
}

void Partition::set_high_watermark(Offset hw) {
  touch();
  const Offset old = log_.high_watermark();
  if (hw == old) return;
  KSIM_ASSERT_MSG(!is_leader() || hw > old, tp_.str() << ": a leader's HW only grows (" << old.value << " -> " << hw.value << ")");
  log_.set_high_watermark(hw);
  env_.trace(trace::HighWatermarkChanged{tp_.topic, tp_.partition, old, hw});
}

bool Partition::make_leader(const PartitionRecord& r) {
  touch();
  if (r.partition_epoch < partition_epoch_) return false;
  KSIM_ASSERT_MSG(r.leader_epoch >= leader_epoch_, tp_.str() << ": leader epochs only grow (" << leader_epoch_.value
                                                             << " -> " << r.leader_epoch.value << ")");
  const bool is_new_leader = !is_leader();
  const bool is_new_epoch = r.leader_epoch > leader_epoch_;
  replicas_ = r.replicas;
  isr_ = r.isr;
  pending_.reset();  // the committed state from the controller wins over any proposal
  // Remote replica states exist for exactly the current followers.
  for (auto it = remotes_.begin(); it != remotes_.end();)
    it = contains(replicas_, it->first) ? std::next(it) : remotes_.erase(it);
  for (int32_t b : replicas_)
    if (b != local_.value) remotes_.try_emplace(b);
  if (is_new_epoch || is_new_leader) {
    const Offset start = log_.log_end_offset();
    log_.assign_epoch_start(r.leader_epoch);
    for (auto& [b, state] : remotes_) state.reset(now_ms(), start, is_new_leader, in_isr(b));
    leader_epoch_ = r.leader_epoch;
    leader_epoch_start_offset_ = start;
  }
  partition_epoch_ = r.partition_epoch;
  role_ = Role::leader;
  leader_ = local_;
  if (is_new_leader || is_new_epoch) trace_role("leader");
  if (maybe_increment_leader_hw()) host_.on_leader_progress(tp_);
  return is_new_leader || is_new_epoch;
}

bool Partition::make_follower(const PartitionRecord& r) {
  touch();
  if (r.partition_epoch < partition_epoch_) return false;
  KSIM_ASSERT_MSG(r.leader_epoch >= leader_epoch_, tp_.str() << ": leader epochs only grow (" << leader_epoch_.value
                                                             << " -> " << r.leader_epoch.value << ")");
  const bool is_new_epoch = r.leader_epoch > leader_epoch_ || role_ != Role::follower;
  const bool was_leader = is_leader();
  role_ = Role::follower;
  leader_ = r.leader;
  leader_epoch_ = r.leader_epoch;
  partition_epoch_ = r.partition_epoch;
  leader_epoch_start_offset_.reset();
  replicas_ = r.replicas;
  isr_.clear();  // followers do not track the ISR (Partition.makeFollower)
  pending_.reset();
  remotes_.clear();
  if (is_new_epoch) trace_role("follower");
  if (was_leader) host_.on_leader_progress(tp_);  // parked requests fail with NOT_LEADER_OR_FOLLOWER
  return is_new_epoch;
}

void Partition::make_offline() {
  touch();
  const bool was_leader = is_leader();
  if (role_ != Role::none) {
    role_ = Role::none;
    trace_role("offline");
  }
  isr_.clear();
  pending_.reset();
  remotes_.clear();
  if (was_leader) host_.on_leader_progress(tp_);
}

LeaderAppendResult Partition::append_records_to_leader(RecordBatch batch, Acks acks) {
  touch();
  if (!is_leader()) return {Errc::not_leader_or_follower};
  // Partition.appendRecordsToLeader: avoid writing when acks=all cannot be safe.
  if (acks == Acks::all && static_cast<int32_t>(isr_.size()) < effective_min_isr()) return {Errc::not_enough_replicas};
  // LogValidator.validateMessageSize (UnifiedLog.analyzeAndValidateRecords,
  // before the producer-state checks): a batch over max.message.bytes is
  // refused whole, RecordTooLargeException = MESSAGE_TOO_LARGE.
  if (batch.size_bytes() > settings_.max_message_bytes) return {Errc::message_too_large};
  if (batch.idempotent()) {
    const ProducerAppendCheck check = log_.producer_state().check_client_batch(batch);
    if (check.duplicate) {
      env_.trace(trace::ProduceDuplicate{tp_.topic, tp_.partition, batch.producer_id, batch.producer_epoch,
                                         batch.base_sequence, batch.last_sequence(), check.duplicate->first_offset,
                                         check.duplicate->last_offset});
      return {Errc::none, check.duplicate->first_offset, check.duplicate->last_offset, true};
    }
    if (check.error != Errc::none) {
      env_.trace(trace::ProduceRejectedSequence{tp_.topic, tp_.partition, batch.producer_id, batch.producer_epoch,
                                                batch.base_sequence, batch.last_sequence(), check.stored_epoch,
                                                check.stored_last_seq, std::string(error_name(check.error))});
      return {check.error};
    }
  }
  const RecordBatch& stored = log_.append_as_leader(std::move(batch), leader_epoch_);
  env_.trace(trace::LogAppended{tp_.topic, tp_.partition, stored.base_offset, stored.partition_leader_epoch,
                                stored.producer_id, record_ids(stored), log_.log_end_offset(), true});
  LeaderAppendResult result{Errc::none, stored.base_offset, stored.last_offset()};
  maybe_flush(result.last_offset - result.base_offset + 1);
  // The ISR may be just the leader: the HW can move at once.
  maybe_increment_leader_hw();
  host_.on_leader_progress(tp_);
  return result;
}

std::pair<bool, Errc> Partition::check_enough_replicas_reach_offset(Offset required_offset) const {
  if (!is_leader()) return {false, Errc::not_leader_or_follower};
#ifdef KSIM_MUTATION_ACK_BEFORE_HW
  // Planted bug (KSIM_MUTATION=ack_before_hw, never in a normal build): acks=all
  // answered once the leader itself has the record, before the HW covers it.
  if (log_.log_end_offset() >= required_offset) return {true, Errc::none};
#endif
  if (log_.high_watermark() >= required_offset) {
    // Appended before the ISR shrank below min ISR: the record is in the log
    // anyway, but the producer is told the guarantee did not hold.
    if (effective_min_isr() <= static_cast<int32_t>(maximal_isr().size())) return {true, Errc::none};
    return {true, Errc::not_enough_replicas_after_append};
  }
  return {false, Errc::none};
}

bool Partition::maybe_increment_leader_hw() {
  if (!is_leader()) return false;
  if (settings_.strict_min_isr && is_under_min_isr()) return false;
  const Offset leo = log_.log_end_offset();
  Offset new_hw = leo;
  const std::vector<int32_t> maximal = maximal_isr();
#ifdef KSIM_MUTATION_HW_MAX
  // Planted bug (KSIM_MUTATION=hw_max, never in a normal build): the HW is the
  // max of the ISR's LEOs (the leader's own) instead of the min.
  const bool skip_followers = true;
#else
  const bool skip_followers = false;
#endif
  for (const auto& [b, state] : remotes_) {
    if (skip_followers) break;
    const bool should_wait_to_join =
        state.is_caught_up(leo, now_ms(), settings_.replica_lag_time_max_ms) &&
        host_.is_replica_isr_eligible(BrokerId(b), state.broker_epoch);
    if (state.log_end_offset < new_hw && (contains(maximal, b) || should_wait_to_join)) new_hw = state.log_end_offset;
  }
  // UnifiedLog.maybeIncrementHighWatermark: the HW only grows.
  if (new_hw <= log_.high_watermark()) return false;
  set_high_watermark(new_hw);
  return true;
}

FollowerReadResult Partition::fetch_for_follower(BrokerId follower, BrokerEpoch follower_epoch,
                                                 const FetchPartitionData& req, int32_t max_bytes,
                                                 bool validate_last_fetched_epoch, bool update_fetch_state) {
  FollowerReadResult out;
  if (!is_leader()) {
    out.error = Errc::not_leader_or_follower;
    return out;
  }
  // KIP-320: the fetcher's view of the leader epoch must be current.
  if (req.current_leader_epoch.value >= 0) {
    if (req.current_leader_epoch < leader_epoch_) {
      out.error = Errc::fenced_leader_epoch;
      return out;
    }
    if (req.current_leader_epoch > leader_epoch_) {
      out.error = Errc::unknown_leader_epoch;
      return out;
    }
  }
  auto rit = remotes_.find(follower.value);
  if (rit == remotes_.end()) {
    out.error = req.current_leader_epoch.value >= 0 ? Errc::unknown_leader_epoch : Errc::not_leader_or_follower;
    return out;
  }
  const Offset hw_before = log_.high_watermark();
  const Offset leo_before = log_.log_end_offset();
  out.high_watermark = hw_before;
  out.log_start_offset = log_.log_start_offset();
  out.log_end_offset = leo_before;
  // Partition.readRecords: with LastFetchedEpoch, check the follower's log has
  // not diverged from ours before returning data (Fetch v12+).
  if (validate_last_fetched_epoch && req.last_fetched_epoch.value >= 0) {
    const EpochEndOffset eeo = log_.end_offset_for_epoch(req.last_fetched_epoch);
    if (eeo.undefined()) {
      out.error = Errc::offset_out_of_range;
      return out;
    }
    if (eeo.epoch < req.last_fetched_epoch || eeo.end_offset < req.fetch_offset) {
      out.diverging = eeo;
      return out;
    }
  }
  if (req.fetch_offset < log_.log_start_offset() || req.fetch_offset > leo_before) {
    out.error = Errc::offset_out_of_range;
    return out;
  }
  out.read = log_.read(req.fetch_offset, leo_before, std::min(max_bytes, req.partition_max_bytes), true);
  // Partition.updateFollowerFetchState; not again when a parked fetch completes
  // (DelayedFetch reads with updateFetchState = false).
  if (!update_fetch_state) return out;
  RemoteReplicaState& state = rit->second;
  const Offset previous_leo = state.log_end_offset;
  state.update_fetch_state(req.fetch_offset, now_ms(), leo_before, follower_epoch);
  maybe_expand_isr(follower);
  if (previous_leo != state.log_end_offset && maybe_increment_leader_hw()) host_.on_leader_progress(tp_);
  return out;
}

FollowerReadResult Partition::fetch_for_consumer(const FetchPartitionData& req, int32_t max_bytes) {
  FollowerReadResult out;
  if (!is_leader()) {
    out.error = Errc::not_leader_or_follower;
    return out;
  }
  if (req.current_leader_epoch.value >= 0 && req.current_leader_epoch != leader_epoch_) {
    out.error = req.current_leader_epoch < leader_epoch_ ? Errc::fenced_leader_epoch : Errc::unknown_leader_epoch;
    return out;
  }
  out.high_watermark = log_.high_watermark();
  out.log_start_offset = log_.log_start_offset();
  out.log_end_offset = log_.log_end_offset();
  if (req.fetch_offset < log_.log_start_offset() || req.fetch_offset > log_.log_end_offset()) {
    out.error = Errc::offset_out_of_range;
    return out;
  }
  out.read = log_.read(req.fetch_offset, log_.high_watermark(), std::min(max_bytes, req.partition_max_bytes), true);
  return out;
}

EpochAnswer Partition::last_offset_for_leader_epoch(LeaderEpoch current_leader_epoch, LeaderEpoch requested,
                                                    int16_t version) const {
  EpochAnswer a;
  a.tp = tp_;
  if (!is_leader()) {
    a.error = Errc::not_leader_or_follower;
    return a;
  }
  if (current_leader_epoch.value >= 0 && current_leader_epoch != leader_epoch_) {
    a.error = current_leader_epoch < leader_epoch_ ? Errc::fenced_leader_epoch : Errc::unknown_leader_epoch;
    return a;
  }
  if (version == 0) {
    // KIP-101's response carries no epoch: the follower cannot tell whether
    // the leader ever had the epoch it asked about.
    a.end_offset = log_.end_offset_for_epoch_v0(requested).end_offset;
    a.leader_epoch = LeaderEpoch(-1);
  } else {
    const EpochEndOffset eeo = log_.end_offset_for_epoch(requested);
    a.leader_epoch = eeo.epoch;
    a.end_offset = eeo.end_offset;
  }
  return a;
}

void Partition::maybe_expand_isr(BrokerId follower) {
  if (pending_ || in_isr(follower.value)) return;
  const RemoteReplicaState& state = remotes_.at(follower.value);
  if (!host_.is_replica_isr_eligible(follower, state.broker_epoch)) return;
  // Partition.isFollowerInSync.
  const bool in_sync = state.log_end_offset >= log_.high_watermark() && leader_epoch_start_offset_ &&
                       state.log_end_offset >= *leader_epoch_start_offset_;
  if (!in_sync) return;
  std::vector<int32_t> proposed = isr_;
  proposed.push_back(follower.value);
  propose_isr(std::move(proposed), /*expand=*/true,
              "expand: broker " + std::to_string(follower.value) + " caught up to LEO " +
                  std::to_string(state.log_end_offset.value) + " (HW " + std::to_string(log_.high_watermark().value) +
                  ")");
}

void Partition::maybe_shrink_isr() {
  touch();
  if (!is_leader() || pending_) return;
  const Offset leo = log_.log_end_offset();
  std::vector<int32_t> keep;
  std::string why;
  for (int32_t b : isr_) {
    if (b == local_.value) {
      keep.push_back(b);
      continue;
    }
    auto it = remotes_.find(b);
    const bool caught_up =
        it != remotes_.end() && it->second.is_caught_up(leo, now_ms(), settings_.replica_lag_time_max_ms);
    if (caught_up) {
      keep.push_back(b);
    } else {
      const int64_t lag = it == remotes_.end() ? -1 : now_ms() - it->second.last_caught_up_time_ms;
      why += (why.empty() ? "" : "; ") + std::string("broker ") + std::to_string(b) + " not caught up for " +
             std::to_string(lag) + " ms (replica.lag.time.max.ms " + std::to_string(settings_.replica_lag_time_max_ms) +
             ")";
    }
  }
  if (keep.size() == isr_.size()) return;
  propose_isr(std::move(keep), /*expand=*/false, "shrink: " + why);
}

void Partition::propose_isr(std::vector<int32_t> isr, bool expand, std::string reason) {
  touch();
  std::sort(isr.begin(), isr.end());
  pending_ = PendingIsrChange{next_change_id_++, isr, expand};
  env_.trace(trace::IsrChangeProposed{tp_.topic, tp_.partition, isr, std::move(reason)});
  AlterPartitionRequest req;
  req.broker = local_;
  req.broker_epoch = host_.local_broker_epoch();
  req.topic = tp_.topic;
  req.partition = tp_.partition;
  req.leader_epoch = leader_epoch_;
  req.new_isr = std::move(isr);
  req.partition_epoch = partition_epoch_;
  host_.submit_alter_partition(tp_, std::move(req), pending_->id);
  // An expansion counts at once in the maximal ISR; it can only hold the HW back.
}

void Partition::on_alter_partition_result(uint64_t change_id, const AlterPartitionResponse* resp, Errc transport_error) {
  touch();
  // Partition.submitAlterPartition's completion: ignore answers to a proposal
  // that a newer state (an election, new metadata) has replaced.
  if (!pending_ || pending_->id != change_id || !is_leader()) return;
  const Errc error = resp ? resp->error : transport_error;
  switch (error) {
    case Errc::none:
      break;
    case Errc::operation_not_attempted:
    case Errc::ineligible_replica:
      pending_.reset();  // the controller says: not applied, and our epoch is right
      return;
    case Errc::unknown_topic_or_partition:
    case Errc::fenced_leader_epoch:
    case Errc::invalid_update_version:
    case Errc::invalid_request:
    case Errc::new_leader_elected:
      return;  // stay pending until new metadata replaces this state
    default: {
      // A lost request or a timeout: send the same proposal again.
      AlterPartitionRequest req;
      req.broker = local_;
      req.broker_epoch = host_.local_broker_epoch();
      req.topic = tp_.topic;
      req.partition = tp_.partition;
      req.leader_epoch = leader_epoch_;
      req.new_isr = pending_->proposed;
      req.partition_epoch = partition_epoch_;
      host_.submit_alter_partition(tp_, std::move(req), pending_->id);
      return;
    }
  }
  // Partition.handleAlterPartitionUpdate.
  if (resp->leader_epoch != leader_epoch_ || resp->partition_epoch < partition_epoch_) return;
  isr_ = resp->isr;
  partition_epoch_ = resp->partition_epoch;
  pending_.reset();
  maybe_increment_leader_hw();
  host_.on_leader_progress(tp_);  // the HW or the ISR changed: parked produces re-check
}

void Partition::maybe_flush(int64_t appended_messages) {
  unflushed_messages_ += appended_messages;
  if (unflushed_messages_ >= settings_.flush_interval_messages) {
    log_.flush();
    unflushed_messages_ = 0;
  }
}

void Partition::append_as_follower(const RecordBatch& batch) {
  touch();
  log_.append_as_follower(batch);
  maybe_flush(batch.count());
  env_.trace(trace::LogAppended{tp_.topic, tp_.partition, batch.base_offset, batch.partition_leader_epoch,
                                batch.producer_id, record_ids(batch), log_.log_end_offset(), false});
}

void Partition::update_follower_high_watermark(Offset leader_high_watermark) {
  touch();
  // UnifiedLog.updateHighWatermark: the follower's HW is the leader's, capped by its own LEO.
  Offset hw = std::min(leader_high_watermark, log_.log_end_offset());
  hw = std::max(hw, log_.log_start_offset());
  set_high_watermark(hw);
}

void Partition::truncate_to(Offset offset, std::string_view reason) {
  touch();
  const Offset old_hw = log_.high_watermark();
  std::vector<RecordBatch> removed = log_.truncate_to(offset);
  if (removed.empty()) return;
  std::vector<RecordId> ids;
  for (const RecordBatch& b : removed)
    for (const Record& r : b.records) ids.push_back(r.id);
  env_.trace(trace::LogTruncated{tp_.topic, tp_.partition, log_.log_end_offset(), std::move(ids), std::string(reason)});
  if (log_.high_watermark() != old_hw)
    env_.trace(trace::HighWatermarkChanged{tp_.topic, tp_.partition, old_hw, log_.high_watermark()});
}

void Partition::check_invariants() const {
  log_.check_invariants();
  if (is_leader()) {
    KSIM_ASSERT_MSG(in_isr(local_.value), tp_.str() << ": leader " << local_.value << " not in ISR " << join(isr_));
    for (int32_t b : isr_) KSIM_ASSERT_MSG(contains(replicas_, b), tp_.str() << ": ISR member " << b << " not a replica");
    KSIM_ASSERT(leader_epoch_start_offset_ && *leader_epoch_start_offset_ <= log_.log_end_offset());
  }
}

}  // namespace ksim
