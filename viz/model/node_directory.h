#pragma once
// NodeDirectory: who is who in a trace. The trace names nodes (NodeId, from the
// header) but replication events speak of brokers by Kafka's node.id
// (BrokerId). The trace header carries no explicit mapping, so the directory
// follows the naming convention of ksim's cluster builder: a node named
// "broker-<N>" with role "broker" is broker N; any other node with role
// "broker" gets the next free id in header order. Built once per trace.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "sim/trace/trace.h"

namespace ksim::viz {

enum class NodeRole : uint8_t { broker, controller, producer, consumer, other };

class NodeDirectory {
 public:
  NodeDirectory() = default;
  explicit NodeDirectory(const TraceHeader& header);

  size_t size() const { return roles_.size(); }
  NodeRole role(NodeId n) const { return n.value < roles_.size() ? roles_[n.value] : NodeRole::other; }
  // kNoBroker if n is not a broker.
  BrokerId broker_of(NodeId n) const { return n.value < brokers_.size() ? brokers_[n.value] : kNoBroker; }
  // kNoNode if no node is that broker.
  NodeId node_of(BrokerId b) const;

 private:
  std::vector<NodeRole> roles_;
  std::vector<BrokerId> brokers_;  // by NodeId; kNoBroker for non-brokers
  std::map<BrokerId, NodeId> nodes_by_broker_;
};

NodeRole parse_role(std::string_view role);

}  // namespace ksim::viz
