#include "core/consumer/kafka_consumer.h"

#include "core/base/assert.h"
#include "core/consumer/consumer_failure.h"
#include "core/trace/client_events.h"

namespace ksim {

namespace {

ConsumerConfig effective(ConsumerConfig c) {
  // Without a group.id Kafka forces enable.auto.commit off (ConsumerConfig
  // .maybeOverrideEnableAutoCommit).
  if (!c.group_id) c.enable_auto_commit = false;
  return c;
}

std::vector<std::string> names(const std::vector<TopicPartition>& tps) {
  std::vector<std::string> out;
  for (const auto& tp : tps) out.push_back(tp.str());
  return out;
}

}  // namespace

KafkaConsumer::KafkaConsumer(Env& env, ConsumerConfig config, ConsumerWorkload workload)
    : env_(env),
      config_(effective(std::move(config))),
      workload_(std::move(workload)),
      tracker_(env, kRequestTimeout, ReconnectBackoff{config_.reconnect_backoff_ms, config_.reconnect_backoff_max_ms}),
      metadata_(env, tracker_, config_.bootstrap, config_.request_timeout_ms, config_.retry_backoff_ms, kMetadataRetry,
                config_.metadata_max_age_ms, kMetadataMaxAge),
      resetter_(env, tracker_, config_, subscriptions_, metadata_),
      validator_(env, tracker_, config_, subscriptions_, metadata_),
      fetcher_(env, tracker_, config_, subscriptions_, metadata_) {
  // DefaultMetadataUpdater.handleServerDisconnect requests a metadata update.
  tracker_.on_disconnect = [this](NodeId) { metadata_.request_update(); };
  const std::string problem = config_.validate();
  KSIM_ASSERT_MSG(problem.empty(), "invalid consumer config: " << problem);
  KSIM_ASSERT_MSG(!workload_.topics.empty() || !workload_.partitions.empty(), "a consumer reads something");
  KSIM_ASSERT_MSG(!workload_.partitions.empty() || config_.group_id, "subscribe() needs a group.id");
  ConsumerCoordinator::Callbacks cb;
  cb.on_revoked = [this](const std::vector<TopicPartition>& p, bool lost) { on_revoked(p, lost); };
  cb.on_assigned = [this](const std::vector<TopicPartition>& added) { on_assigned(added); };
  cb.on_progress = [this] { try_complete_poll(); };
  cb.on_fatal = [this](Errc e) { on_fatal(e, std::nullopt, {}); };
  coordinator_ = std::make_unique<ConsumerCoordinator>(
      env, tracker_, config_, subscriptions_, metadata_,
      ConsumerCoordinator::Timers{kHeartbeat, kPollTimeout, kCoordinatorRetry}, std::move(cb));
  metadata_.on_update = [this] { try_complete_poll(); };
  resetter_.on_progress = [this] { try_complete_poll(); };
  resetter_.on_fatal = [this](const TopicPartition& tp, Errc e) { on_fatal(e, tp, "NoOffsetForPartitionException"); };
  validator_.on_progress = [this] { try_complete_poll(); };
  validator_.on_fatal = [this](const TopicPartition& tp, Errc e) { on_fatal(e, tp, "LogTruncationException"); };
  fetcher_.on_progress = [this] { try_complete_poll(); };
  fetcher_.on_fatal = [this](const TopicPartition& tp, Errc e) { on_fatal(e, tp, "OffsetOutOfRangeException"); };
}

void KafkaConsumer::start() {
  if (workload_.partitions.empty()) {
    subscriptions_.subscribe(workload_.topics);
  } else {
    subscriptions_.assign_manually(workload_.partitions);
    std::vector<TopicPartition> sorted = subscriptions_.assigned();
    env_.trace(trace::AssignmentChanged{group(), GenerationId(-1), names(sorted), {}});
  }
  metadata_.refresh();
  const int64_t wait_ms = workload_.start_ms - env_.now().ms();
  env_.set_timer(millis(wait_ms > 0 ? wait_ms : 0), kStart);
}

std::optional<Offset> KafkaConsumer::position(const TopicPartition& tp) const {
  const auto* e = subscriptions_.entry(tp);
  if (!e || !e->position) return std::nullopt;
  return e->position->offset;
}

GenerationId KafkaConsumer::traced_generation() const {
  return subscriptions_.user_assigned() ? GenerationId(-1) : coordinator_->generation();
}

// --- the poll loop -----------------------------------------------------------------

void KafkaConsumer::begin_poll() {
  app_ = AppState::polling;
  if (poll_deadline_.valid()) env_.cancel_timer(poll_deadline_);
  poll_deadline_ = env_.set_timer(millis(workload_.poll_timeout_ms), kPollDeadline);
  if (config_.enable_auto_commit && env_.now() >= next_auto_commit_) {
    // ConsumerCoordinator.maybeAutoCommitOffsetsAsync: what earlier polls returned.
    next_auto_commit_ = env_.now() + millis(config_.auto_commit_interval_ms);
    const bool member = subscriptions_.user_assigned() || coordinator_->state() == MemberState::stable;
    if (member && coordinator_->coordinator_known()) commit_async(subscriptions_.all_consumed());
  }
  try_complete_poll();
}

void KafkaConsumer::try_complete_poll() {
  if (app_ != AppState::polling) return;
  coordinator_->poll();
  if (app_ != AppState::polling) return;  // a fatal error
  // ConsumerCoordinator.updateFetchPositions: validate positions against new
  // leaders (KIP-320), then committed offsets, then auto.offset.reset.
  validator_.validate_positions();
  if (app_ != AppState::polling) return;
  if (!subscriptions_.all_positions_known()) {
    coordinator_->refresh_committed_offsets();
    resetter_.reset_positions();
    if (app_ != AppState::polling) return;
  }
  if (fetcher_.has_buffered_data()) {
    std::vector<PolledPartition> records = fetcher_.collect(config_.max_poll_records);
    if (!records.empty()) {
      fetcher_.send_fetches();  // the next fetch goes out while the application processes
      finish_poll(std::move(records));
      return;
    }
  }
  fetcher_.send_fetches();
}

void KafkaConsumer::finish_poll(std::vector<PolledPartition> records) {
  if (poll_deadline_.valid()) env_.cancel_timer(poll_deadline_);
  poll_deadline_ = TimerId{};
  batch_.clear();
  next_item_ = 0;
  batch_last_processed_.clear();
  const GenerationId generation = traced_generation();
  for (const PolledPartition& p : records) {
    env_.trace(trace::ConsumerPolled{group(), generation, p.tp.topic, p.tp.partition, p.offsets, p.records});
    for (size_t i = 0; i < p.offsets.size(); ++i) batch_.push_back(Item{p.tp, p.offsets[i], p.records[i]});
  }
  app_ = AppState::processing;
  if (workload_.commit == CommitPolicy::before_processing && config_.group_id) {
    commit_sync(subscriptions_.all_consumed(), [this] { process_next(); });
  } else {
    process_next();
  }
}

void KafkaConsumer::process_next() {
  if (app_ == AppState::closed || app_ == AppState::failed) return;
  app_ = AppState::processing;
  if (next_item_ >= batch_.size()) {
    after_batch();
    return;
  }
  process_timer_ = env_.set_timer(workload_.processing.draw(env_.rng()), kProcess);
}

void KafkaConsumer::after_batch() {
  if (workload_.commit == CommitPolicy::after_poll && config_.group_id) {
    std::map<TopicPartition, PartitionPosition> offsets;
    for (const auto& [tp, last] : batch_last_processed_) offsets[tp] = PartitionPosition{last + 1, LeaderEpoch(-1)};
    commit_sync(std::move(offsets), [this] { begin_poll(); });
  } else {
    begin_poll();
  }
}

// --- commits ------------------------------------------------------------------------

void KafkaConsumer::trace_commit(GenerationId generation, const std::vector<CommitOutcome>& outcomes) {
  for (const CommitOutcome& o : outcomes)
    env_.trace(trace::OffsetCommitted{group(), generation, o.tp.topic, o.tp.partition, o.offset, o.error});
}

void KafkaConsumer::commit_sync(std::map<TopicPartition, PartitionPosition> offsets, std::function<void()> then) {
  app_ = AppState::committing;
  const GenerationId generation = traced_generation();
  coordinator_->commit(std::move(offsets), [this, generation, then](const std::vector<CommitOutcome>& outcomes) {
    trace_commit(generation, outcomes);
    if (app_ != AppState::committing) return;  // closed or failed meanwhile
    // A failed commitSync throws (CommitFailedException, ...); the
    // application logs it and goes on polling, which rejoins the group.
    then();
  });
}

void KafkaConsumer::commit_async(std::map<TopicPartition, PartitionPosition> offsets) {
  if (offsets.empty() || !config_.group_id) return;
  const GenerationId generation = traced_generation();
  coordinator_->commit(std::move(offsets), [this, generation](const std::vector<CommitOutcome>& outcomes) {
    trace_commit(generation, outcomes);
  });
}

// --- rebalance callbacks (ConsumerRebalanceListener) --------------------------------------

void KafkaConsumer::on_revoked(const std::vector<TopicPartition>& partitions, bool lost) {
  if (!lost && (config_.enable_auto_commit || workload_.commit_on_revoke)) {
    std::map<TopicPartition, PartitionPosition> offsets;
    const auto consumed = subscriptions_.all_consumed();
    for (const auto& tp : partitions)
      if (auto it = consumed.find(tp); it != consumed.end()) offsets[tp] = it->second;
    commit_async(std::move(offsets));  // sent before the JoinGroup, on the same connection
  }
  env_.trace(trace::AssignmentChanged{group(), coordinator_->generation(), {}, names(partitions)});
}

void KafkaConsumer::on_assigned(const std::vector<TopicPartition>& added) {
  fetcher_.drop_unassigned();
  if (added.empty()) return;  // nothing changed for this member
  env_.trace(trace::AssignmentChanged{group(), coordinator_->generation(), names(added), {}});
}

void KafkaConsumer::on_fatal(Errc error, const std::optional<TopicPartition>& partition, std::string_view exception) {
  if (app_ == AppState::failed) return;  // the first fatal error ends the application
  env_.trace(describe_consumer_failure(error, config_, partition, exception));
  fatal_ = error;
  app_ = AppState::failed;
  if (poll_deadline_.valid()) env_.cancel_timer(poll_deadline_);
  if (process_timer_.valid()) env_.cancel_timer(process_timer_);
}

void KafkaConsumer::close() {
  if (app_ == AppState::closed || app_ == AppState::failed) return;
  if (poll_deadline_.valid()) env_.cancel_timer(poll_deadline_);
  if (process_timer_.valid()) env_.cancel_timer(process_timer_);
  const bool member = !subscriptions_.user_assigned() && coordinator_->state() == MemberState::stable;
  if (config_.enable_auto_commit && (member || subscriptions_.user_assigned()))
    commit_async(subscriptions_.all_consumed());  // ConsumerCoordinator.close: maybeAutoCommitOffsetsSync
  const std::vector<TopicPartition> owned = subscriptions_.assigned();
  if (!owned.empty()) {
    if (workload_.commit_on_revoke && member && !config_.enable_auto_commit) {
      std::map<TopicPartition, PartitionPosition> offsets = subscriptions_.all_consumed();
      commit_async(std::move(offsets));
    }
    env_.trace(trace::AssignmentChanged{group(), traced_generation(), {}, names(owned)});
  }
  app_ = AppState::closed;
  fetcher_.close_sessions();
  coordinator_->close();
  subscriptions_.revoke(owned);
}

// --- Node --------------------------------------------------------------------------------

void KafkaConsumer::on_message(NodeId from, ConnectionId, const Message& msg) { tracker_.on_response(from, msg); }

void KafkaConsumer::on_timer(TimerId id, TimerTag tag) {
  switch (tag) {
    case kRequestTimeout:
      tracker_.on_timer(id);
      break;
    case kMetadataRetry:
      metadata_.on_retry_timer();
      break;
    case kMetadataMaxAge:
      metadata_.on_max_age_timer(id);
      break;
    case kHeartbeat:
    case kPollTimeout:
    case kCoordinatorRetry:
      coordinator_->on_timer(tag);
      break;
    case kStart:
      if (app_ == AppState::not_started) begin_poll();
      break;
    case kPollDeadline:
      if (id != poll_deadline_) break;
      poll_deadline_ = TimerId{};
      if (app_ == AppState::polling) begin_poll();  // poll() returned nothing; the loop polls again
      break;
    case kProcess: {
      if (id != process_timer_ || app_ != AppState::processing) break;
      process_timer_ = TimerId{};
      const Item item = batch_[next_item_++];
      env_.trace(trace::RecordProcessed{group(), item.tp.topic, item.tp.partition, item.offset, item.record});
      ++processed_;
      batch_last_processed_[item.tp] = item.offset;
      if (workload_.commit == CommitPolicy::per_record && config_.group_id) {
        commit_sync({{item.tp, PartitionPosition{item.offset + 1, LeaderEpoch(-1)}}}, [this] { process_next(); });
      } else {
        process_next();
      }
      break;
    }
    default:
      KSIM_ASSERT_MSG(false, "unknown consumer timer tag " << tag);
  }
}

void KafkaConsumer::on_connection_lost(NodeId peer) {
  tracker_.on_connection_lost(peer);
  coordinator_->on_coordinator_connection_lost(peer);
}

void KafkaConsumer::check_invariants() const {
  coordinator_->check_invariants();
  KSIM_ASSERT(next_item_ <= batch_.size());
  if (app_ == AppState::processing) KSIM_ASSERT(process_timer_.valid() || next_item_ >= batch_.size());
}

}  // namespace ksim
