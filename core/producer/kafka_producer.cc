#include "core/producer/kafka_producer.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/producer/partitioner/partitioner_registry.h"
#include "core/protocol/producer_messages.h"
#include "core/trace/client_events.h"

namespace ksim::producer {

namespace {

AccumulatorConfig accumulator_config(const ProducerConfig& c) {
  AccumulatorConfig a;
  a.batch_size = c.batch_size;
  a.linger_ms = c.linger_ms;
  a.buffer_memory = c.buffer_memory;
  a.delivery_timeout_ms = c.delivery_timeout_ms;
  a.retry_backoff_ms = c.retry_backoff_ms;
  a.retry_backoff_max_ms = c.retry_backoff_max_ms;
  return a;
}

std::string err_name(Errc e) { return std::string(error_name(e)); }

}  // namespace

KafkaProducer::KafkaProducer(Env& env, EffectiveProducerConfig config, std::shared_ptr<ProducerLineage> lineage)
    : env_(env),
      config_(std::move(config)),
      lineage_(lineage ? std::move(lineage) : std::make_shared<ProducerLineage>()),
      tracker_(env, kRequestTimeout,
               ReconnectBackoff{config_.config.reconnect_backoff_ms, config_.config.reconnect_backoff_max_ms}),
      metadata_(config_.config.metadata_max_age_ms),
      accumulator_(accumulator_config(config_.config)) {
  KSIM_ASSERT(!config_.config.bootstrap.empty());
  session_ = ++lineage_->sessions;
  MakePartitionerResult p = make_partitioner(config_.config.partitioner, config_.config.partitioner_config);
  KSIM_ASSERT_MSG(p.ok(), "partitioner: " << p.error);  // the loader validated it
  partitioner_ = std::move(p.partitioner);
  // DefaultMetadataUpdater.handleServerDisconnect: "The disconnect may be the
  // result of stale metadata, so request an update".
  tracker_.on_disconnect = [this](NodeId) { metadata_.request_update(); };
}

void KafkaProducer::start() {
  if (!config_.idempotence_note.empty()) env_.trace(trace::Note{config_.idempotence_note});
  run_once();
}

int32_t KafkaProducer::in_flight_requests(NodeId broker) const {
  auto it = in_flight_requests_.find(broker);
  return it == in_flight_requests_.end() ? 0 : it->second;
}

// --- send -------------------------------------------------------------------------

DeliveryHandle KafkaProducer::send(const std::string& topic, std::optional<std::string> key,
                                   std::optional<PartitionId> partition, DeliveryCallback callback,
                                   std::optional<int32_t> value_bytes, std::optional<RecordId> resend_of) {
  auto d = std::make_shared<DeliveryState>();
  d->record = resend_of ? *resend_of : make_record_id(env_.self(), lineage_->next_send_index++);
  d->callback = std::move(callback);
  d->metadata.topic = topic;
  ++pending_;
  Parked p{topic, std::move(key), partition, d, value_bytes.value_or(config_.config.value_bytes),
           env_.now() + millis(config_.config.max_block_ms), false};
  metadata_.add_topic(topic);
  // ensureValidRecordSize: too large for a request or for the whole buffer.
  const Record probe{d->record, p.key.value_or(""), p.key.has_value(), p.value_bytes, 0};
  const int64_t size = RecordBatch::kHeaderBytes + probe.size_bytes();
  if (size > config_.config.max_request_size || size > config_.config.buffer_memory) {
    env_.trace(trace::ProducerSend{d->record, topic, partition.value_or(PartitionId(-1)), p.key.value_or(""),
                                   p.key.has_value(), session_});
    fail_delivery(*d, topic, partition.value_or(PartitionId(-1)), Errc::message_too_large);
    return DeliveryHandle(d);
  }
  const bool can_go_now = parked_.empty() && metadata_.knows(topic);
  if (!can_go_now || !try_append(p, env_.now())) {
    if (!p.traced_partition) {
      // The partition is chosen later; the completion names it.
      env_.trace(trace::ProducerSend{d->record, topic, partition.value_or(PartitionId(-1)), p.key.value_or(""),
                                     p.key.has_value(), session_});
      p.traced_partition = true;
    }
    parked_.push_back(std::move(p));
  }
  run_once();
  return DeliveryHandle(d);
}

bool KafkaProducer::try_append(Parked& p, SimTime now) {
  const ClusterView& cluster = metadata_.view();
  const PartitionRequest request{p.topic, p.key ? std::optional<std::string_view>(*p.key) : std::nullopt, p.partition};
  Record record{p.delivery->record, p.key.value_or(""), p.key.has_value(), p.value_bytes, now.ms()};
  for (int guard = 0; guard < 8; ++guard) {
    PartitionResult result = partitioner_->partition(request, cluster, now, env_.rng());
    if (!result.ok()) {
      if (!p.traced_partition)
        env_.trace(trace::ProducerSend{record.id, p.topic, p.partition.value_or(PartitionId(-1)), record.key,
                                       record.has_key, session_});
      p.traced_partition = true;
      fail_delivery(*p.delivery, p.topic, p.partition.value_or(PartitionId(-1)), Errc::unknown_topic_or_partition);
      return true;  // done with it (failed)
    }
    PartitionChoice choice = result.choice();
    const TopicName& topic = shared_name(p.topic);
    TopicPartition tp{topic, choice.partition};
    // Step 2: a deferred KIP-794 switch completes once the batches are full.
    if (choice.sticky && accumulator_.all_batches_full(tp) &&
        partitioner_->complete_deferred_switch(p.topic, choice, cluster, env_.rng()))
      continue;
    int64_t need = accumulator_.bytes_needed(tp, record.size_bytes());
    // Step 3: abortOnNewBatch for Partitioner classes (KIP-480).
    if (need > 0 && partitioner_->calls_on_new_batch()) {
      partitioner_->on_new_batch(p.topic, choice.partition, cluster, env_.rng());
      result = partitioner_->partition(request, cluster, now, env_.rng());
      KSIM_ASSERT(result.ok());
      choice = result.choice();
      tp = TopicPartition{topic, choice.partition};
      need = accumulator_.bytes_needed(tp, record.size_bytes());
    }
    if (need > 0 && !accumulator_.has_room_for(need)) return false;  // buffer.memory: wait
    if (!p.traced_partition) {
      env_.trace(trace::ProducerSend{record.id, p.topic, choice.partition, record.key, record.has_key, session_});
      p.traced_partition = true;
    }
    p.delivery->metadata.partition = choice.partition;
    p.delivery->metadata.timestamp_ms = record.timestamp_ms;
    const AppendResult r = accumulator_.append(tp, std::move(record), p.delivery, now, next_batch_id_);
    // Step 4.
    partitioner_->on_bytes_appended(p.topic, choice, r.appended_bytes, r.batch_full, cluster, env_.rng());
    return true;
  }
  KSIM_ASSERT_MSG(false, "the partitioner kept switching partitions");
  return false;
}

const TopicName& KafkaProducer::shared_name(const std::string& topic) {
  auto it = names_.find(topic);
  if (it == names_.end()) it = names_.emplace(topic, TopicName(topic)).first;
  return it->second;
}

void KafkaProducer::process_parked(SimTime now) {
  while (!parked_.empty()) {
    Parked& head = parked_.front();
    if (now >= head.deadline) {
      // Java: TimeoutException from send() after max.block.ms (no metadata, or no memory).
      Parked p = std::move(head);
      parked_.pop_front();
      fail_delivery(*p.delivery, p.topic, p.partition.value_or(PartitionId(-1)), Errc::request_timed_out);
      continue;
    }
    if (!metadata_.knows(head.topic)) break;
    if (!try_append(head, now)) break;
    parked_.pop_front();
  }
}

// --- the sender loop ------------------------------------------------------------------

void KafkaProducer::run_once() {
  // Callbacks may call send(), which calls run_once again: loop instead of nesting.
  if (running_) {
    rerun_ = true;
    return;
  }
  running_ = true;
  do {
    rerun_ = false;
    sender_step(env_.now());
  } while (rerun_);
  running_ = false;
  arm_wake(env_.now());
}

void KafkaProducer::sender_step(SimTime now) {
  if (config_.idempotence) {
    idem_.maybe_resolve_sequences();
    const ProducerEpoch before = idem_.epoch();
    const bool had_id = idem_.has_producer_id();
    const bool need_id = idem_.bump_epoch_and_reset_id_if_needed();
    if (had_id && idem_.has_producer_id() && idem_.epoch() != before)
      env_.trace(trace::ProducerIdChanged{idem_.producer_id(), idem_.epoch(), "epoch_bump"});
    if (need_id && (!init_retry_at_ || now >= *init_retry_at_)) send_init_producer_id();
  }
  if (!metadata_.topics().empty() && metadata_.update_due(now) && !metadata_in_flight_ &&
      (!metadata_retry_at_ || now >= *metadata_retry_at_))
    send_metadata_request();

  expire_batches(now);
  process_parked(now);

  const bool exhausted = !parked_.empty() && std::all_of(parked_.begin(), parked_.end(), [&](const Parked& p) {
    return metadata_.knows(p.topic);
  });
  accumulator_.ready(now, exhausted, &sendable_);
  std::vector<NodeId>& nodes = ready_nodes_;  // ascending, distinct
  nodes.clear();
  for (const TopicPartition& tp : sendable_) {
    if (auto leader = metadata_.leader(tp)) {
      auto pos = std::lower_bound(nodes.begin(), nodes.end(), *leader);
      if (pos == nodes.end() || *pos != *leader) nodes.insert(pos, *leader);
    } else {
      metadata_.request_update();
    }
  }
  if (metadata_.update_due(now) && !metadata_in_flight_ && (!metadata_retry_at_ || now >= *metadata_retry_at_) &&
      !metadata_.topics().empty())
    send_metadata_request();
  const int32_t max_in_flight = config_.config.max_in_flight_requests_per_connection;
  not_ready_until_.reset();
  for (NodeId node : nodes) {
    // Sender.sendProducerData: a node whose connection is not ready is
    // skipped (opening one if its backoff allows); wake when the backoff ends.
    if (!tracker_.ready(node)) {
      if (const std::optional<Duration> delay = tracker_.connection_delay(node)) {
        const SimTime at = now + std::max(*delay, micros(1));
        if (!not_ready_until_ || at < *not_ready_until_) not_ready_until_ = at;
      }
      continue;
    }
    // guaranteeMessageOrder (max.in.flight = 1) mutes partitions with a batch
    // in flight; the per-node limit below gives the same effect here.
    while (in_flight_requests(node) < max_in_flight) {
      auto batches = accumulator_.drain(node.value, metadata_.partitions_of(node), config_.config.max_request_size, now,
                                        config_.idempotence ? &idem_ : nullptr, env_.rng());
      if (batches.empty()) break;
      send_produce(node, std::move(batches), now);
      if (config_.config.acks == Acks::none) continue;
    }
  }
}

void KafkaProducer::expire_batches(SimTime now) {
  // Every queued or unfinished in-flight batch holds an allocation: nothing
  // expires before the oldest allocation's deadline.
  const std::optional<SimTime> first = accumulator_.earliest_deadline();
  if (!first || now < *first) return;
  const SimTime deadline_ok = now;
  // Queued batches.
  for (auto& b : accumulator_.expire(now)) {
    if (config_.idempotence && b->attempts > 0) idem_.mark_sequence_unresolved(*b);
    trace_response(*b, Errc::request_timed_out, Offset(-1), "expired");
    fail_batch(*b, Errc::request_timed_out, false);
  }
  // In-flight batches (Java's getExpiredInflightBatches): failed now; a late
  // answer is ignored.
  for (auto& [id, b] : in_flight_) {
    if (b->done || deadline_ok < b->created + millis(config_.config.delivery_timeout_ms)) continue;
    if (config_.idempotence) idem_.mark_sequence_unresolved(*b);
    trace_response(*b, Errc::request_timed_out, Offset(-1), "expired");
    fail_batch(*b, Errc::request_timed_out, false);
  }
}

void KafkaProducer::arm_wake(SimTime now) {
  std::optional<SimTime> next;
  auto consider = [&](std::optional<SimTime> t) {
    if (t && (!next || *t < *next)) next = t;
  };
  const bool exhausted = !parked_.empty();
  consider(accumulator_.ready(now, exhausted, nullptr));
  consider(accumulator_.earliest_deadline());  // queued and unfinished in-flight batches alike
  for (const Parked& p : parked_) consider(p.deadline);
  consider(not_ready_until_);
  if (!metadata_.topics().empty() && !metadata_in_flight_) {
    consider(metadata_retry_at_ ? std::max(*metadata_retry_at_, metadata_.next_refresh(now))
                                : metadata_.next_refresh(now));
  }
  if (config_.idempotence && !idem_.has_producer_id() && !idem_.initializing()) consider(init_retry_at_);
  if (!next) return;
  if (*next < now) next = now;
  if (wake_at_ && *wake_at_ <= *next && *wake_at_ >= now) return;  // an earlier wake-up is armed
  if (wake_timer_) env_.cancel_timer(*wake_timer_);
  // Fire at least 1 us later so that a due-now condition is not re-armed in a loop.
  const Duration after = std::max<Duration>(*next - now, micros(1));
  wake_timer_ = env_.set_timer(after, kWake);
  wake_at_ = now + after;
}

std::optional<NodeId> KafkaProducer::pick_broker() {
  // Java's leastLoadedNode: never a node in its reconnect backoff; among the
  // others the fewest requests in flight. ksim starts from the metadata's
  // brokers in turn (else the bootstrap servers in turn) where Java starts at
  // a random one, and does not prefer a ready connection to a new one.
  std::vector<NodeId> known = metadata_.brokers();
  const bool bootstrap = known.empty();
  if (bootstrap) known = config_.config.bootstrap;
  const size_t offset = next_bootstrap_++ % known.size();
  const SimTime now = env_.now();
  auto usable = [&](NodeId n) { return !tracker_.connections().is_blacked_out(n, Channel::main, now); };
  std::optional<NodeId> best;
  for (size_t i = 0; i < known.size() && !best; ++i)
    if (usable(known[(offset + i) % known.size()])) best = known[(offset + i) % known.size()];
  if (bootstrap || !best) return best;
  for (NodeId n : known)
    if (usable(n) && tracker_.outstanding_to(n) < tracker_.outstanding_to(*best)) best = n;
  return best;
}

void KafkaProducer::send_metadata_request() {
  const std::optional<NodeId> to = pick_broker();
  if (!to) {
    // DefaultMetadataUpdater.maybeUpdate: "Give up sending metadata request
    // since no node is available"; try again after reconnect.backoff.ms.
    metadata_retry_at_ = env_.now() + millis(config_.config.reconnect_backoff_ms);
    return;
  }
  metadata_in_flight_ = true;
  MetadataRequest req;
  req.topics.assign(metadata_.topics().begin(), metadata_.topics().end());
  tracker_.send(*to, std::move(req), millis(config_.config.request_timeout_ms),
                [this](const Message* response, Errc) {
                  metadata_in_flight_ = false;
                  const MetadataResponse* r = response ? std::get_if<MetadataResponse>(response) : nullptr;
                  if (!r || r->brokers.empty()) {
                    metadata_.failed_update();
                    metadata_retry_at_ = env_.now() + millis(config_.config.retry_backoff_ms);
                  } else {
                    metadata_retry_at_.reset();
                    metadata_.update(*r, env_.now());
                    if (metadata_.update_due(env_.now()))  // a topic still unknown: ask again after backoff
                      metadata_retry_at_ = env_.now() + millis(config_.config.retry_backoff_ms);
                  }
                  run_once();
                });
}

void KafkaProducer::send_init_producer_id() {
  const std::optional<NodeId> to = pick_broker();
  if (!to) {
    init_retry_at_ = env_.now() + millis(config_.config.reconnect_backoff_ms);
    return;
  }
  idem_.set_initializing(true);
  InitProducerIdRequest req;
  req.transaction_timeout_ms = 2147483647;  // Java sends Integer.MAX_VALUE without a transactional id
  tracker_.send(*to, std::move(req), millis(config_.config.request_timeout_ms),
                [this](const Message* response, Errc) {
                  idem_.set_initializing(false);
                  const auto* r = response ? std::get_if<InitProducerIdResponse>(response) : nullptr;
                  if (r && r->error == Errc::none) {
                    init_retry_at_.reset();
                    idem_.set_producer_id_and_epoch(r->producer_id, r->producer_epoch);
                    env_.trace(trace::ProducerIdChanged{r->producer_id, r->producer_epoch, "init_producer_id"});
                  } else {
                    init_retry_at_ = env_.now() + millis(config_.config.retry_backoff_ms);
                  }
                  run_once();
                });
}

void KafkaProducer::send_produce(NodeId node, std::vector<std::unique_ptr<ProducerBatch>> batches, SimTime now) {
  ProduceRequest req;
  req.acks = config_.config.acks;
  req.timeout_ms = config_.config.request_timeout_ms;
  req.partitions.reserve(batches.size());
  std::vector<uint64_t> ids;
  ids.reserve(batches.size());
  for (auto& b : batches) {
    ++b->attempts;
    b->in_flight = true;
    b->last_attempt = now;
    std::vector<RecordId> records;
    records.reserve(b->records.size());
    for (const Record& r : b->records) records.push_back(r.id);
    env_.trace(trace::ProducerAttempt{b->id, b->tp.topic, b->tp.partition, node, b->attempts, std::move(records),
                                      b->producer_id, b->producer_epoch, b->base_sequence});
    req.partitions.push_back({b->tp, b->to_record_batch()});
    ids.push_back(b->id);
  }
  if (config_.config.acks == Acks::none) {
    // No response will come: the batches complete once written (offset -1).
    env_.send(node, std::move(req));
    for (auto& b : batches) {
      trace_response(*b, Errc::none, Offset(-1), "acked");
      complete_batch(*b, Offset(-1));
    }
    return;
  }
  for (auto& b : batches) in_flight_[b->id] = std::move(b);
  ++in_flight_requests_[node];
  tracker_.send(node, std::move(req), millis(config_.config.request_timeout_ms),
                [this, node, ids = std::move(ids)](const Message* response, Errc transport) {
                  --in_flight_requests_[node];
                  const auto* r = response ? std::get_if<ProduceResponse>(response) : nullptr;
                  for (uint64_t id : ids) {
                    Errc error = transport == Errc::none ? Errc::unknown_server_error : transport;
                    Offset base{-1}, log_start{-1};
                    if (r) {
                      const auto it = in_flight_.find(id);
                      KSIM_ASSERT(it != in_flight_.end());
                      for (const auto& pr : r->partitions) {
                        if (pr.tp == it->second->tp) {
                          error = pr.error;
                          base = pr.base_offset;
                          log_start = pr.log_start_offset;
                        }
                      }
                    }
                    handle_partition_response(id, error, base, log_start);
                  }
                  run_once();
                });
}

void KafkaProducer::handle_partition_response(uint64_t batch_id, Errc error, Offset base_offset,
                                              Offset log_start_offset) {
  auto it = in_flight_.find(batch_id);
  KSIM_ASSERT(it != in_flight_.end());
  std::unique_ptr<ProducerBatch> owned = std::move(it->second);
  in_flight_.erase(it);
  ProducerBatch& b = *owned;
  b.in_flight = false;
  const SimTime now = env_.now();
  if (is_invalid_metadata(error) || error == Errc::network_exception || error == Errc::request_timed_out)
    metadata_.request_update();
  if (b.done) {
    // Expired while in flight; a late success still tells the sequences.
    if (config_.idempotence && error == Errc::none) idem_.handle_completed_batch(b, base_offset);
    trace_response(b, error, base_offset, "ignored");
    return;
  }
  if (error == Errc::message_too_large && b.count() > 1) {
    // Sender.completeBatch: split and re-send, without using up a retry
    // (KIP-126); the pieces take over the batch's sequences.
    trace_response(b, error, base_offset, "split");
    if (config_.idempotence) idem_.remove_in_flight(b);
    accumulator_.split_and_reenqueue(std::move(owned), next_batch_id_, config_.idempotence ? &idem_ : nullptr);
    return;
  }
  if (error == Errc::none) {
    trace_response(b, error, base_offset, "acked");
    if (config_.idempotence) idem_.handle_completed_batch(b, base_offset);
    complete_batch(b, base_offset);
    return;
  }
  // Sender.canRetry, in Java's order (the idempotence check may request an epoch bump).
  const bool timed_out = now >= b.created + millis(config_.config.delivery_timeout_ms);
  const bool retry = !timed_out && b.attempts <= config_.config.retries &&
                     (config_.idempotence ? idem_.can_retry(error, b, log_start_offset) : is_retriable(error));
  if (retry) {
    trace_response(b, error, base_offset, "retry");
    accumulator_.reenqueue(std::move(owned), now, env_.rng());
    return;
  }
  if (error == Errc::duplicate_sequence_number) {
    // Sender: success without a valid offset.
    trace_response(b, error, Offset(-1), "acked");
    if (config_.idempotence) idem_.handle_completed_batch(b, Offset(-1));
    complete_batch(b, Offset(-1));
    return;
  }
  trace_response(b, error, base_offset, "failed");
  fail_batch(b, error, b.attempts <= config_.config.retries);
}

void KafkaProducer::trace_response(const ProducerBatch& b, Errc error, Offset base_offset, std::string_view outcome) {
  env_.trace(trace::ProducerResponse{b.id, b.tp.topic, b.tp.partition, b.attempts, err_name(error), base_offset,
                                     std::string(outcome)});
}

void KafkaProducer::complete_batch(ProducerBatch& b, Offset base_offset) {
  b.done = true;
  accumulator_.deallocate(b);
  for (size_t i = 0; i < b.deliveries.size(); ++i) {
    DeliveryState& d = *b.deliveries[i];
    if (d.done) continue;
    d.done = true;
    d.error = Errc::none;
    d.metadata.partition = b.tp.partition;
    d.metadata.offset = base_offset.value < 0 ? Offset(-1) : base_offset + static_cast<int64_t>(i);
    --pending_;
    env_.trace(trace::ProducerAcked{d.record, b.tp.topic, b.tp.partition, d.metadata.offset});
    if (d.callback) d.callback(d.metadata, Errc::none);
  }
}

void KafkaProducer::fail_batch(ProducerBatch& b, Errc error, bool adjust_sequences) {
  b.done = true;
  accumulator_.deallocate(b);
  if (config_.idempotence && b.has_sequence()) idem_.handle_failed_batch(b, error, adjust_sequences);
  for (auto& d : b.deliveries)
    if (!d->done) fail_delivery(*d, b.tp.topic, b.tp.partition, error);
}

void KafkaProducer::fail_delivery(DeliveryState& d, const std::string& topic, PartitionId partition, Errc error) {
  d.done = true;
  d.error = error;
  d.metadata.partition = partition;
  --pending_;
  env_.trace(trace::ProducerFailed{d.record, topic, partition, err_name(error)});
  if (d.callback) d.callback(d.metadata, error);
}

// --- events ------------------------------------------------------------------------------

void KafkaProducer::on_message(NodeId from, ConnectionId, const Message& msg) { tracker_.on_response(from, msg); }

void KafkaProducer::on_timer(TimerId id, TimerTag tag) {
  if (tag == kRequestTimeout) {
    tracker_.on_timer(id);
    return;
  }
  KSIM_ASSERT(tag == kWake);
  if (wake_timer_ && *wake_timer_ == id) {
    wake_timer_.reset();
    wake_at_.reset();
  }
  run_once();
}

void KafkaProducer::on_connection_lost(NodeId peer) {
  tracker_.on_connection_lost(peer);
  run_once();
}

void KafkaProducer::check_invariants() const {
  accumulator_.check_invariants();
  idem_.check_invariants();
  partitioner_->check_invariants();
  for (const auto& [node, n] : in_flight_requests_)
    KSIM_ASSERT_MSG(n >= 0 && n <= config_.config.max_in_flight_requests_per_connection,
                    "in-flight requests to a broker out of range: " << n);
}

}  // namespace ksim::producer
