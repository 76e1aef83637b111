// BrokerNode's consumer-group side: FindCoordinator, the creation of
// __consumer_offsets, and the CoordinatorHost the group coordinator writes
// and loads through. The coordinator's logic is core/group/coordinator/.
#include "core/base/assert.h"
#include "core/broker/broker_node.h"
#include "core/group/coordinator/coordinator_partition.h"

namespace ksim {

// KafkaApis.getCoordinator: the leader of the group's offsets partition. If
// __consumer_offsets does not exist yet the broker asks the controller to
// create it (AutoTopicCreationManager) and answers COORDINATOR_NOT_AVAILABLE,
// as it does while the partition has no leader.
void BrokerNode::handle_find_coordinator(NodeId from, const FindCoordinatorRequest& req) {
  FindCoordinatorResponse resp;
  resp.correlation_id = req.correlation_id;
  resp.error = Errc::coordinator_not_available;
  const std::string topic(kConsumerOffsetsTopic);
  if (req.key_type != 0) {
    resp.error = Errc::invalid_request;  // transaction coordinators are not simulated
  } else if (!image_.topic(topic)) {
    maybe_create_offsets_topic();
  } else {
    const TopicRecord* t = image_.topic(topic);
    const PartitionId p = offsets_partition_for(req.key, t->partitions);
    const PartitionRecord* pr = image_.partition({topic, p});
    const BrokerInfo* leader = pr && pr->leader.value >= 0 ? image_.broker(pr->leader) : nullptr;
    if (leader && !leader->fenced) {
      resp.error = Errc::none;
      resp.coordinator = leader->id;
      resp.node = leader->node;
    }
  }
  env_.send(from, std::move(resp));
}

void BrokerNode::maybe_create_offsets_topic() {
  if (offsets_topic_creation_in_flight_ || !registered_) return;
  offsets_topic_creation_in_flight_ = true;
  CreateTopicsRequest req;
  req.name = std::string(kConsumerOffsetsTopic);
  req.partitions = config_.offsets_topic_num_partitions;
  req.replication_factor = config_.offsets_topic_replication_factor;
  req.configs["cleanup.policy"] = "compact";
  req.configs["segment.bytes"] = std::to_string(config_.offsets_topic_segment_bytes);
  tracker_.send(config_.controller, std::move(req), millis(config_.request_timeout_ms),
                [this](const Message*, Errc) { offsets_topic_creation_in_flight_ = false; },
                Channel::forwarding);
}

void BrokerNode::on_offsets_partition_record(const PartitionRecord& r, bool assigned_here) {
  if (r.topic != kConsumerOffsetsTopic) return;
  group_coordinator_->on_offsets_partition_changed(r.partition, assigned_here && r.leader == config_.broker_id,
                                                   r.leader_epoch);
}

// An acks=all append through the produce purgatory: the same path, timeout
// (offsets.commit.timeout.ms) and errors as a producer's.
void BrokerNode::append_offsets_records(PartitionId partition, std::vector<Record> records,
                                        std::function<void(Errc)> done) {
  const TopicPartition tp{std::string(kConsumerOffsetsTopic), partition};
  auto it = partitions_.find(tp);
  if (it == partitions_.end() || !it->second->is_leader()) return done(Errc::not_leader_or_follower);
  RecordBatch batch;
  batch.records = std::move(records);
  const LeaderAppendResult r = it->second->append_records_to_leader(std::move(batch), -1);
  if (r.error != Errc::none) return done(r.error);
  DelayedProduce d;
  d.client = ReplyTo{env_.self(), ConnectionId{}};  // unused: on_complete takes the response
  ProducePartitionResponse pr;
  pr.tp = tp;
  pr.base_offset = r.base_offset;
  d.response.partitions.push_back(pr);
  d.waiting.push_back({0, r.last_offset + 1, false});
  d.on_complete = [done = std::move(done)](const ProduceResponse& resp) { done(resp.partitions.front().error); };
  d.timeout = env_.set_timer(millis(config_.offsets_commit_timeout_ms), kDelayedProduce);
  delayed_produces_.push_back(std::move(d));
  try_complete_produces(tp);
}

const PartitionLog* BrokerNode::offsets_log(PartitionId partition) const {
  const Partition* p = this->partition({std::string(kConsumerOffsetsTopic), partition});
  return p ? &p->log() : nullptr;
}

}  // namespace ksim
