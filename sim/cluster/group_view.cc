#include "sim/cluster/group_view.h"

#include "core/broker/broker_node.h"
#include "core/consumer/kafka_consumer.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "core/protocol/internal_topics.h"
#include "sim/cluster/cluster.h"
#include "sim/cluster/partition_view.h"

namespace ksim {
const GroupView::Consumer* GroupView::consumer(const std::string& id) const {
  for (const auto& c : consumers)
    if (c.id == id) return &c;
  return nullptr;
}

std::string GroupView::unsettled() const {
  if (coordinator < 0) return "no coordinator";
  if (!loaded) return "coordinator broker-" + std::to_string(coordinator) + " has not loaded the group's partition";
  if (!exists) return "unknown to coordinator broker-" + std::to_string(coordinator);
  std::string missing;
  for (const auto& c : consumers)
    if (!c.member) missing += (missing.empty() ? "" : ", ") + c.id + (c.paused ? " (paused)" : "");
  if (state == "Stable" && missing.empty()) return "";
  return state + (missing.empty() ? "" : " without " + missing);
}

std::string GroupView::str() const {
  if (coordinator < 0 || !loaded || !exists) return unsettled();
  std::string members;
  for (const auto& c : consumers)
    if (c.member) members += (members.empty() ? "" : ", ") + c.id;
  return state + ", generation " + std::to_string(generation) + (members.empty() ? "" : ", members " + members);
}

GroupView view_group(Cluster& cluster, const std::string& group, const std::vector<std::string>& consumer_ids) {
  GroupView v;
  v.group = group;
  const TopicPartition offsets{std::string(kConsumerOffsetsTopic),
                               offsets_partition_for(group, cluster.spec().broker.offsets_topic_num_partitions)};
  v.coordinator = current_leader(cluster, offsets);
  const BrokerNode* b = v.coordinator < 0 ? nullptr : cluster.broker(v.coordinator);
  const ClassicGroup* g = nullptr;
  if (b) {
    v.loaded = b->group_coordinator().is_loaded(offsets.partition);
    g = v.loaded ? b->group_coordinator().group(group) : nullptr;
  }
  if (g) {
    v.exists = true;
    v.state = std::string(group_state_name(g->state()));
    v.generation = g->generation().value;
  }
  Simulation& sim = cluster.sim();
  for (const auto& id : consumer_ids) {
    const NodeId n = sim.find_node(id);
    const KafkaConsumer* k = n == kNoNode ? nullptr : sim.process_as<KafkaConsumer>(n);
    if (!k || k->app_state() == KafkaConsumer::AppState::closed || k->app_state() == KafkaConsumer::AppState::failed)
      continue;
    GroupView::Consumer c{id, sim.is_paused(n), false};
    const std::string& member_id = k->coordinator().member_id();
    c.member = g != nullptr && !member_id.empty() && g->has_member(member_id);
    v.consumers.push_back(std::move(c));
  }
  return v;
}

}  // namespace ksim
