#include "viz/model/node_directory.h"

#include <charconv>

namespace ksim::viz {

NodeRole parse_role(std::string_view role) {
  if (role == "broker") return NodeRole::broker;
  if (role == "controller") return NodeRole::controller;
  if (role == "producer") return NodeRole::producer;
  if (role == "consumer") return NodeRole::consumer;
  return NodeRole::other;
}

NodeDirectory::NodeDirectory(const TraceHeader& header) {
  const size_t n = header.nodes.size();
  roles_.resize(n, NodeRole::other);
  brokers_.resize(n, kNoBroker);
  std::vector<size_t> unnamed;
  for (size_t i = 0; i < n; ++i) {
    roles_[i] = parse_role(header.nodes[i].role);
    if (roles_[i] != NodeRole::broker) continue;
    std::string_view name = header.nodes[i].name;
    constexpr std::string_view kPrefix = "broker-";
    int32_t id = 0;
    if (name.substr(0, kPrefix.size()) == kPrefix) {
      const char* first = name.data() + kPrefix.size();
      const char* last = name.data() + name.size();
      auto [end, ec] = std::from_chars(first, last, id);
      if (ec == std::errc() && end == last && id >= 0 && !nodes_by_broker_.count(BrokerId(id))) {
        brokers_[i] = BrokerId(id);
        nodes_by_broker_[BrokerId(id)] = NodeId(static_cast<uint32_t>(i));
        continue;
      }
    }
    unnamed.push_back(i);
  }
  int32_t next = 1;
  for (size_t i : unnamed) {
    while (nodes_by_broker_.count(BrokerId(next))) ++next;
    brokers_[i] = BrokerId(next);
    nodes_by_broker_[BrokerId(next)] = NodeId(static_cast<uint32_t>(i));
  }
}

NodeId NodeDirectory::node_of(BrokerId b) const {
  auto it = nodes_by_broker_.find(b);
  return it == nodes_by_broker_.end() ? kNoNode : it->second;
}

}  // namespace ksim::viz
