#include "core/broker/broker_node.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/base/contains.h"
#include "core/base/overloaded.h"

namespace ksim {
namespace {

// The metadata fetch is retried this long after a failure (reconnect.backoff.ms-like).
constexpr Duration kMetadataFetchRetry = millis(100);
// controller.quorum.request.timeout.ms (QuorumConfig's default).
constexpr Duration kQuorumRequestTimeout = millis(2000);

}  // namespace

BrokerNode::BrokerNode(Env& env, BrokerConfig config)
    : env_(env),
      config_(std::move(config)),
      tracker_(env, kRequestTimeout),
      producer_ids_(env, tracker_, config_.controller, config_.broker_id, [this] { return lifecycle_.broker_epoch(); },
                    config_.request_timeout_ms),
      lifecycle_(env_, tracker_, config_, {kHeartbeat, kHeartbeatResend, kRegister},
                 {[this] { return image_.offset(); },
                  [this] {
                    replicas_.set_broker_epoch(lifecycle_.broker_epoch());
                    send_metadata_fetch();
                  },
                  [this] { replicas_.flush_all(); }}),
      replicas_(env_, config_, tracker_, image_, [this] { return lifecycle_.broker_epoch(); },
                {kDelayedProduce, kDelayedFetch, kFetchBackoff}),
      group_coordinator_(
          std::make_unique<GroupCoordinator>(env_, config_, static_cast<CoordinatorHost&>(*this), kGroupCoordinator)) {}

BrokerNode::~BrokerNode() = default;

void BrokerNode::start() {
  const uint64_t incarnation_id = env_.rng().next_u64();
  // Its own stream for session ids, so sessions draw nothing from the broker's.
  replicas_.start(incarnation_id ^ 0x4b49502d323237ULL);
  lifecycle_.start(incarnation_id);
  env_.set_timer(millis(config_.replica_lag_time_max_ms / 2), kIsrExpiration);
  env_.set_timer(millis(config_.replica_high_watermark_checkpoint_interval_ms), kHwCheckpoint);
  env_.set_timer(millis(config_.producer_id_expiration_check_interval_ms), kProducerExpiration);
}

// --- metadata ------------------------------------------------------------------

void BrokerNode::send_metadata_fetch() {
  if (!lifecycle_.registered() || metadata_fetch_in_flight_) return;
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
                    env_.set_timer(kMetadataFetchRetry, kMetadataFetch);
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
  for (const std::string& topic : touched_topics) replicas_.apply_topic_record(*image_.topic(topic));
  for (const TopicPartition& tp : touched_partitions) on_partition_record(*image_.partition(tp));
}

void BrokerNode::on_partition_record(const PartitionRecord& r) {
  const bool assigned_here = contains(r.replicas, config_.broker_id.value);
  on_offsets_partition_record(r, assigned_here);
  replicas_.apply_partition_record(r, assigned_here);
}

// --- messages and timers -----------------------------------------------------

void BrokerNode::on_message(NodeId from, ConnectionId connection, const Message& msg) {
  if (is_response(msg)) {
    tracker_.on_response(from, msg);  // a late answer to a failed request is ignored
    return;
  }
  std::visit(Overloaded{
                 [&](const ProduceRequest& r) { replicas_.handle_produce(ReplyTo{from, connection}, r); },
                 [&](const FetchRequest& r) { replicas_.handle_fetch(ReplyTo{from, connection}, r); },
                 [&](const OffsetsForLeaderEpochRequest& r) { replicas_.handle_offsets_for_leader_epoch(from, r); },
                 [&](const ListOffsetsRequest& r) { replicas_.handle_list_offsets(from, r); },
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
  if (tag >= kFetchBackoff) return replicas_.on_fetch_backoff(tag);
  switch (tag) {
    case kRequestTimeout:
      tracker_.on_timer(id);
      break;
    case kHeartbeat:
    case kHeartbeatResend:
    case kRegister:
      lifecycle_.on_timer(tag);
      break;
    case kMetadataFetch:
      send_metadata_fetch();
      break;
    case kIsrExpiration:
      // ReplicaManager's isr-expiration task, every replica.lag.time.max.ms / 2.
      replicas_.maybe_shrink_isrs();
      env_.set_timer(millis(config_.replica_lag_time_max_ms / 2), kIsrExpiration);
      break;
    case kHwCheckpoint:
      replicas_.checkpoint_high_watermarks();
      env_.set_timer(millis(config_.replica_high_watermark_checkpoint_interval_ms), kHwCheckpoint);
      break;
    case kProducerExpiration:
      replicas_.remove_expired_producers();
      env_.set_timer(millis(config_.producer_id_expiration_check_interval_ms), kProducerExpiration);
      break;
    case kDelayedProduce:
      replicas_.on_produce_timeout(id);
      break;
    case kDelayedFetch:
      replicas_.on_fetch_timeout(id);
      break;
    case kGroupCoordinator:
      group_coordinator_->on_timer(id);
      break;
    default:
      KSIM_ASSERT_MSG(false, "unknown broker timer tag " << tag);
  }
}

void BrokerNode::on_connection_lost(NodeId peer) { tracker_.on_connection_lost(peer); }

// --- Metadata (KafkaApis.handleTopicMetadataRequest) ----------------------------

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

void BrokerNode::check_invariants() const {
  replicas_.check_invariants();
  producer_ids_.check_invariants();
  group_coordinator_->check_invariants();
}

}  // namespace ksim
