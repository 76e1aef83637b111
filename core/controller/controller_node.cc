#include "core/controller/controller_node.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/base/assert.h"
#include "core/base/contains.h"
#include "core/base/overloaded.h"
#include "core/controller/producer_id_control.h"
#include "core/controller/replication_control.h"

namespace ksim {
namespace {

enum Timer : TimerTag { kFenceCheck = 1, kLeaderBalance = 2, kFetchExpiry = 3 };

// The ZooKeeper-era controller's first automatic rebalance check came 5 s after
// it became active (KafkaController.onControllerFailover).
constexpr Duration kZkFirstBalanceCheck = seconds(5);
// QuorumController reschedules a rebalance that hit the election cap after 10 ms.
constexpr Duration kBalanceImmediately = millis(10);

}  // namespace

ControllerNode::ControllerNode(Env& env, ControllerConfig config)
    : env_(env),
      config_(std::move(config)),
      log_(env.storage()),
      heartbeats_(millis(config_.broker_session_timeout_ms)) {}

// --- lifecycle ----------------------------------------------------------------

void ControllerNode::start() {
  const size_t dropped = log_.recover();
  for (int64_t offset = 0; offset < log_.end_offset(); ++offset) replay(log_.at(offset), offset);
  if (log_.end_offset() > 0 || dropped > 0)
    env_.trace(trace::Note{"controller recovered " + std::to_string(log_.end_offset()) + " metadata records" +
                           (dropped > 0 ? " (dropped " + std::to_string(dropped) + " unreadable)" : "")});
  // Activation: every registered broker gets a fresh session from now
  // (ClusterControlManager.activate).
  for (const auto& [id, info] : image_.brokers()) heartbeats_.register_broker(info.id, info.fenced, env_.now());
  reschedule_fence_check();
  if (config_.auto_leader_rebalance_enable && config_.leader_balance_policy == LeaderBalancePolicy::zk_imbalance_ratio)
    balance_timer_ = env_.set_timer(kZkFirstBalanceCheck, kLeaderBalance);
  after_event();
}

void ControllerNode::on_message(NodeId from, ConnectionId connection, const Message& msg) {
  std::visit(Overloaded{
                 [&](const BrokerRegistrationRequest& m) { on_registration(from, m); },
                 [&](const BrokerHeartbeatRequest& m) { on_heartbeat(from, m); },
                 [&](const MetadataFetchRequest& m) { on_metadata_fetch(ReplyTo{from, connection}, m); },
                 [&](const AlterPartitionRequest& m) { on_alter_partition(from, m); },
                 [&](const CreateTopicsRequest& m) { on_create_topics(from, m); },
                 [&](const CreatePartitionsRequest& m) { on_create_partitions(from, m); },
                 [&](const AllocateProducerIdsRequest& m) { on_allocate_producer_ids(from, m); },
                 [&](const auto&) {},  // not for a controller: ignored, as a server drops unknown APIs
             },
             msg);
  after_event();
}

void ControllerNode::on_timer(TimerId id, TimerTag tag) {
  switch (tag) {
    case kFenceCheck:
      if (id != fence_timer_) return;
      fence_timer_ = {};
      fence_stale_brokers();
      break;
    case kLeaderBalance:
      if (id != balance_timer_) return;
      balance_timer_ = {};
      run_leader_balance();
      break;
    case kFetchExpiry: {
      auto it = std::find_if(parked_.begin(), parked_.end(), [&](const ParkedFetch& p) { return p.expiry == id; });
      if (it == parked_.end()) return;
      const ParkedFetch parked = *it;
      parked_.erase(it);
      answer_fetch(parked.from, parked.request);
      break;
    }
    default:
      KSIM_ASSERT_MSG(false, "unknown controller timer tag " << tag);
  }
  after_event();
}

void ControllerNode::on_connection_lost(NodeId peer) {
  // A parked fetch's answer would go out on a connection the broker has given
  // up on; it will fetch again.
  for (auto it = parked_.begin(); it != parked_.end();) {
    if (it->from.node == peer) {
      env_.cancel_timer(it->expiry);
      it = parked_.erase(it);
    } else {
      ++it;
    }
  }
}

void ControllerNode::after_event() {
  maybe_create_initial_topics();
  maybe_schedule_leader_balance();
}

// --- brokers ------------------------------------------------------------------

void ControllerNode::on_registration(NodeId from, const BrokerRegistrationRequest& req) {
  BrokerRegistrationResponse resp;
  resp.correlation_id = req.correlation_id;
  const BrokerInfo* existing = image_.broker(req.broker);
  if (existing) {
    const Registration& reg = registrations_.at(req.broker.value);
    if (reg.incarnation_id == req.incarnation_id) {
      // A retry from the same process: its registration stands.
      resp.broker_epoch = existing->epoch;
      env_.send(from, resp);
      return;
    }
    if (heartbeats_.has_valid_session(req.broker, env_.now())) {
      resp.error = Errc::duplicate_broker_registration;
      env_.send(from, resp);
      return;
    }
    if (!existing->fenced) {
      // Its session has expired at this very instant but the fence check has
      // not run yet: fence it first, as the check would have.
      ControllerRecords fence;
      ReplicationControl(image_, config_).handle_broker_fenced(req.broker, "session_expired", fence);
      heartbeats_.fence(req.broker);
      append(fence);
    }
  }
  ControllerRecords records;
  // KIP-966: a new incarnation may have lost unflushed data.
  if (image_.broker(req.broker)) ReplicationControl(image_, config_).handle_broker_unclean_shutdown(req.broker, records);
  const BrokerEpoch epoch(log_.end_offset());
  records.push_back({RegisterBrokerRecord{req.broker, epoch, from, req.rack, req.incarnation_id}, "registered"});
  append(records);
  heartbeats_.remove(req.broker);
  heartbeats_.register_broker(req.broker, true, env_.now());
  reschedule_fence_check();
  resp.broker_epoch = epoch;
  env_.send(from, resp);
}

void ControllerNode::on_heartbeat(NodeId from, const BrokerHeartbeatRequest& req) {
  BrokerHeartbeatResponse resp;
  resp.correlation_id = req.correlation_id;
  const BrokerInfo* info = image_.broker(req.broker);
  auto reg = registrations_.find(req.broker.value);
  // QuorumController and ClusterControlManager.checkBrokerEpoch: an unknown
  // broker and a wrong epoch are both STALE_BROKER_EPOCH.
  if (!info || reg == registrations_.end() || info->epoch != req.broker_epoch) {
    resp.error = Errc::stale_broker_epoch;
    env_.send(from, resp);
    return;
  }
  ReplicationControl control(image_, config_);
  const auto transition = heartbeats_.calculate_next_state(req.broker, req, reg->second.record_offset,
                                                           control.has_leaderships(req.broker));
  ControllerRecords records;
  if (transition.current != transition.next) {
    switch (transition.next) {
      case BrokerControlState::fenced:
        control.handle_broker_fenced(req.broker, "want_fence", records);
        break;
      case BrokerControlState::shutdown_now:
        control.handle_broker_fenced(req.broker, "shutdown", records);
        break;
      case BrokerControlState::unfenced:
        control.handle_broker_unfenced(req.broker, records);
        break;
      case BrokerControlState::controlled_shutdown:
        control.handle_broker_in_controlled_shutdown(req.broker, records);
        break;
    }
  }
  const bool fenced = is_fenced_state(transition.next);
  heartbeats_.touch(req.broker, fenced, req.current_metadata_offset, env_.now());
  append(records);
  if (transition.next == BrokerControlState::controlled_shutdown)
    heartbeats_.maybe_update_controlled_shutdown_offset(req.broker, log_.end_offset() - 1);
  reschedule_fence_check();

  resp.is_caught_up = req.current_metadata_offset >= reg->second.record_offset;
  resp.is_fenced = fenced;
  resp.should_shut_down = transition.next == BrokerControlState::shutdown_now;
  env_.send(from, resp);
}

void ControllerNode::fence_stale_brokers() {
  while (auto stale = heartbeats_.find_one_stale_broker(env_.now())) {
    // One write per broker, so each fencing is visible before the next.
    ControllerRecords records;
    ReplicationControl(image_, config_).handle_broker_fenced(*stale, "session_expired", records);
    heartbeats_.fence(*stale);
    append(records);
  }
  reschedule_fence_check();
}

void ControllerNode::reschedule_fence_check() {
  const auto next = heartbeats_.next_check_time();
  if (!next) {
    if (fence_timer_.valid()) env_.cancel_timer(fence_timer_);
    fence_timer_ = {};
    return;
  }
  if (fence_timer_.valid() && fence_timer_at_ == *next) return;
  if (fence_timer_.valid()) env_.cancel_timer(fence_timer_);
  const Duration after = std::max(Duration{}, *next - env_.now());
  fence_timer_ = env_.set_timer(after, kFenceCheck);
  fence_timer_at_ = *next;
}

// --- metadata fetch -----------------------------------------------------------

void ControllerNode::on_metadata_fetch(const ReplyTo& from, const MetadataFetchRequest& req) {
  if (req.fetch_offset != log_.end_offset() || req.max_wait_ms <= 0) {
    answer_fetch(from, req);
    return;
  }
  const TimerId expiry = env_.set_timer(millis(req.max_wait_ms), kFetchExpiry);
  parked_.push_back(ParkedFetch{expiry, from, req});
}

void ControllerNode::answer_fetch(const ReplyTo& to, const MetadataFetchRequest& req) {
  MetadataFetchResponse resp;
  resp.correlation_id = req.correlation_id;
  resp.base_offset = req.fetch_offset;
  if (req.fetch_offset < 0) {
    resp.error = Errc::invalid_request;
  } else {
    resp.records = log_.read_from(req.fetch_offset);
  }
  env_.respond(to, std::move(resp));
}

void ControllerNode::wake_parked_fetches() {
  std::vector<ParkedFetch> ready;
  for (auto it = parked_.begin(); it != parked_.end();) {
    if (it->request.fetch_offset < log_.end_offset()) {
      ready.push_back(*it);
      it = parked_.erase(it);
    } else {
      ++it;
    }
  }
  for (const ParkedFetch& p : ready) {
    env_.cancel_timer(p.expiry);
    answer_fetch(p.from, p.request);
  }
}

// --- partitions and topics ----------------------------------------------------

void ControllerNode::on_alter_partition(NodeId from, const AlterPartitionRequest& req) {
  auto result = ReplicationControl(image_, config_).alter_partition(req);
  append(result.records);
  env_.send(from, std::move(result.response));
}

void ControllerNode::on_create_topics(NodeId from, const CreateTopicsRequest& req) {
  auto result = ReplicationControl(image_, config_)
                    .create_topic(req.name, req.partitions, req.replication_factor, req.assignment, req.configs,
                                  env_.rng());
  append(result.records);
  CreateTopicsResponse resp;
  resp.correlation_id = req.correlation_id;
  resp.error = result.error;
  resp.name = req.name;
  resp.message = result.message;
  env_.send(from, std::move(resp));
}

void ControllerNode::create_topic(const InitialTopic& t) {
  auto result = ReplicationControl(image_, config_)
                    .create_topic(t.name, t.partitions, t.replication_factor, t.assignment, t.configs, env_.rng());
  if (result.error != Errc::none) {
    env_.trace(trace::Note{"CreateTopics " + t.name + ": " + std::string(error_name(result.error)) + " " +
                           result.message});
    return;
  }
  append(result.records);
}

void ControllerNode::on_create_partitions(NodeId from, const CreatePartitionsRequest& req) {
  env_.send(from, create_partitions(req));
}

CreatePartitionsResponse ControllerNode::create_partitions(const CreatePartitionsRequest& req) {
  auto result = ReplicationControl(image_, config_).create_partitions(req.name, req.count, req.assignment);
  if (result.error == Errc::none) {
    // Before the records, so the timeline reads "added", then each new partition.
    env_.trace(trace::PartitionsAdded{req.name, result.first_new, req.count, result.assignment});
    append(result.records);
  } else {
    env_.trace(trace::Note{"CreatePartitions " + req.name + " to " + std::to_string(req.count) + ": " +
                           std::string(error_name(result.error)) + " " + result.message});
  }
  CreatePartitionsResponse resp;
  resp.correlation_id = req.correlation_id;
  resp.error = result.error;
  resp.name = req.name;
  resp.message = result.message;
  return resp;
}

void ControllerNode::on_allocate_producer_ids(NodeId from, const AllocateProducerIdsRequest& req) {
  const ProducerIdBlockResult result = ProducerIdControl(image_).generate_next_block(req.broker_id, req.broker_epoch);
  append(result.records);
  AllocateProducerIdsResponse resp;
  resp.correlation_id = req.correlation_id;
  resp.error = result.error;
  resp.producer_id_start = result.first_producer_id;
  resp.producer_id_len = result.count;
  env_.send(from, resp);
}

void ControllerNode::maybe_create_initial_topics() {
  for (const InitialTopic& t : config_.initial_topics) {
    if (image_.topic(t.name)) continue;
    if (std::find(failed_initial_topics_.begin(), failed_initial_topics_.end(), t.name) != failed_initial_topics_.end())
      continue;
    // Wait until the topic can start fully replicated: every broker of an
    // explicit assignment active, or at least replication-factor brokers.
    bool ready = true;
    if (!t.assignment.empty()) {
      for (const auto& replicas : t.assignment)
        for (int32_t b : replicas) ready = ready && image_.is_active(BrokerId(b));
    } else {
      const int32_t rf = t.replication_factor == -1 ? config_.default_replication_factor : t.replication_factor;
      int32_t active = 0;
      for (const auto& [id, info] : image_.brokers()) active += image_.is_active(info.id) ? 1 : 0;
      ready = active >= std::max(rf, int32_t{1});
    }
    if (!ready) continue;
    auto result = ReplicationControl(image_, config_)
                      .create_topic(t.name, t.partitions, t.replication_factor, t.assignment, t.configs, env_.rng());
    if (result.error != Errc::none) {
      env_.trace(trace::Note{"initial topic " + t.name + " not created: " + std::string(error_name(result.error)) +
                             " " + result.message});
      failed_initial_topics_.push_back(t.name);
      continue;
    }
    append(result.records);
  }
}

void ControllerNode::maybe_schedule_leader_balance() {
  if (!config_.auto_leader_rebalance_enable || config_.leader_balance_policy != LeaderBalancePolicy::kraft) return;
  if (balance_timer_.valid()) return;
  if (!ReplicationControl(image_, config_).leaders_imbalanced()) return;
  const Duration delay =
      balance_immediately_ ? kBalanceImmediately : seconds(config_.leader_imbalance_check_interval_seconds);
  balance_timer_ = env_.set_timer(delay, kLeaderBalance);
}

void ControllerNode::run_leader_balance() {
  ControllerRecords records;
  ReplicationControl control(image_, config_);
  if (config_.leader_balance_policy == LeaderBalancePolicy::kraft) {
    control.balance_partition_leaders(records);
    balance_immediately_ = records.size() >= ReplicationControl::kMaxElectionsPerImbalance;
    append(records);
  } else {
    control.balance_partition_leaders_by_ratio(records);
    append(records);
    balance_timer_ = env_.set_timer(seconds(config_.leader_imbalance_check_interval_seconds), kLeaderBalance);
  }
}

// --- the write path -----------------------------------------------------------

void ControllerNode::append(const ControllerRecords& batch) {
  if (batch.empty()) return;
  std::vector<MetadataRecord> records;
  records.reserve(batch.size());
  for (const ControllerRecord& r : batch) records.push_back(r.record);
  const int64_t base = log_.append(records);
  for (size_t i = 0; i < batch.size(); ++i) {
    std::optional<BrokerInfo> broker_before;
    if (const auto* change = std::get_if<BrokerRegistrationChangeRecord>(&batch[i].record))
      if (const BrokerInfo* b = image_.broker(change->broker)) broker_before = *b;
    replay(batch[i].record, base + static_cast<int64_t>(i));
    trace_record(batch, i, broker_before ? &*broker_before : nullptr);
  }
  wake_parked_fetches();
}

void ControllerNode::replay(const MetadataRecord& record, int64_t offset) {
  std::visit(Overloaded{
                 [&](const RegisterBrokerRecord& r) {
                   registrations_[r.broker.value] = Registration{offset, r.incarnation_id};
                 },
                 [&](const BrokerRegistrationChangeRecord& r) {
                   const BrokerInfo* b = image_.broker(r.broker);
                   KSIM_ASSERT_MSG(b && b->epoch == r.broker_epoch,
                                   "registration change for broker " << r.broker.value << " epoch "
                                                                     << r.broker_epoch.value << " it does not have");
                 },
                 [&](const TopicRecord& r) { KSIM_ASSERT_MSG(!image_.topic(r.name), "topic " << r.name << " twice"); },
                 [&](const PartitionRecord& r) {
                   KSIM_ASSERT_MSG(image_.topic(r.topic), "partition of unknown topic " << r.topic);
                   const PartitionRecord* prev = image_.partition(TopicPartition{r.topic, r.partition});
                   if (!prev) return;
                   KSIM_ASSERT_MSG(r.leader_epoch >= prev->leader_epoch,
                                   r.topic << "-" << r.partition.value << " leader epoch went from "
                                           << prev->leader_epoch.value << " to " << r.leader_epoch.value);
                   KSIM_ASSERT_MSG(r.partition_epoch > prev->partition_epoch,
                                   r.topic << "-" << r.partition.value << " partition epoch went from "
                                           << prev->partition_epoch << " to " << r.partition_epoch);
                   KSIM_ASSERT_MSG(r.replicas == prev->replicas, "replicas change without a reassignment");
                   KSIM_ASSERT_MSG((r.leader != prev->leader) == (r.leader_epoch != prev->leader_epoch),
                                   "leader epoch bumps exactly when the leader changes");
                 },
                 [&](const ProducerIdsRecord&) {},  // the image checks that blocks only move forward
             },
             record);
  image_.apply(record, offset);
}

void ControllerNode::trace_record(const ControllerRecords& batch, size_t index, const BrokerInfo* was) {
  const ControllerRecord& cr = batch[index];
  std::visit(Overloaded{
                 [&](const RegisterBrokerRecord& r) {
                   env_.trace(trace::BrokerFencing{r.broker, true, cr.reason});
                 },
                 [&](const BrokerRegistrationChangeRecord& r) {
                   if (was && was->fenced != r.fenced) env_.trace(trace::BrokerFencing{r.broker, r.fenced, cr.reason});
                   if (was && was->in_controlled_shutdown != r.in_controlled_shutdown)
                     env_.trace(trace::Note{"broker " + std::to_string(r.broker.value) +
                                            (r.in_controlled_shutdown ? " entered" : " left") +
                                            " controlled shutdown"});
                 },
                 [&](const TopicRecord& r) {
                   trace::TopicCreated e;
                   e.topic = r.name;
                   e.partitions = r.partitions;
                   for (size_t j = index + 1; j < batch.size(); ++j)
                     if (const auto* p = std::get_if<PartitionRecord>(&batch[j].record); p && p->topic == r.name)
                       e.assignment.push_back(p->replicas);
                   e.replication_factor = e.assignment.empty() ? 0 : static_cast<int32_t>(e.assignment[0].size());
                   env_.trace(std::move(e));
                 },
                 [&](const PartitionRecord& r) {
                   env_.trace(trace::PartitionChanged{r.topic, r.partition, r.leader, r.leader_epoch,
                                                      r.partition_epoch, r.isr, r.elr, r.replicas, cr.reason});
                 },
                 [&](const ProducerIdsRecord& r) {
                   env_.trace(trace::ProducerIdBlockAllocated{
                       r.broker, r.next_producer_id - ProducerIdControl::kBlockSize, ProducerIdControl::kBlockSize});
                 },
             },
             cr.record);
}

// --- invariants ---------------------------------------------------------------

void ControllerNode::check_invariants() const {
  KSIM_ASSERT_MSG(log_.end_offset() == image_.offset() + 1,
                  "log ends at " << log_.end_offset() << " but the image is at " << image_.offset());
  heartbeats_.check_invariants();
  for (const auto& [id, info] : image_.brokers()) {
    KSIM_ASSERT_MSG(registrations_.count(id), "broker " << id << " in the image without a registration offset");
    KSIM_ASSERT_MSG(heartbeats_.is_tracked(info.id), "registered broker " << id << " has no heartbeat state");
  }
  // Invariants 2 and 3 read only the image, which changes only by applying a
  // record: check them once per image offset, not after every heartbeat.
  if (partitions_checked_at_ != image_.offset()) check_partition_invariants();
  for (const ParkedFetch& f : parked_)
    KSIM_ASSERT_MSG(f.request.fetch_offset >= log_.end_offset(), "a parked fetch has records to read");
}

void ControllerNode::check_partition_invariants() const {
  partitions_checked_at_ = image_.offset();
  for (const auto& [tp, p] : image_.partitions()) {
    const std::string name = tp.str();
    const std::set<int32_t> replicas(p.replicas.begin(), p.replicas.end());
    const std::set<int32_t> isr(p.isr.begin(), p.isr.end());
    const std::set<int32_t> elr(p.elr.begin(), p.elr.end());
    KSIM_ASSERT_MSG(!p.replicas.empty() && replicas.size() == p.replicas.size(), name << ": bad replica list");
    KSIM_ASSERT_MSG(isr.size() == p.isr.size(), name << ": duplicate ISR member");
    KSIM_ASSERT_MSG(elr.size() == p.elr.size(), name << ": duplicate ELR member");
    for (int32_t b : p.isr) KSIM_ASSERT_MSG(replicas.count(b), name << ": ISR member " << b << " is not a replica");
    for (int32_t b : p.elr) {
      KSIM_ASSERT_MSG(replicas.count(b), name << ": ELR member " << b << " is not a replica");
      KSIM_ASSERT_MSG(!isr.count(b), name << ": " << b << " is in both ISR and ELR");
    }
    if (!config_.elr_enabled()) {
      KSIM_ASSERT_MSG(!p.isr.empty(), name << ": empty ISR (KRaft keeps the last member)");
      KSIM_ASSERT_MSG(p.elr.empty(), name << ": ELR while eligible.leader.replicas.version is 0");
    }
    if (p.leader != kNoBroker) {
      KSIM_ASSERT_MSG(contains(p.isr, p.leader.value), name << ": leader " << p.leader.value << " not in ISR");
      KSIM_ASSERT_MSG(image_.is_active(p.leader),
                      name << ": leader " << p.leader.value << " is fenced, shutting down or unregistered");
    }
  }
}

}  // namespace ksim
