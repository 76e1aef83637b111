#include "viz/model/cluster_state.h"

#include <algorithm>
#include <charconv>

namespace ksim::viz {

bool PartitionState::in_isr(BrokerId b) const {
  return std::find(isr.begin(), isr.end(), b.value) != isr.end();
}

const ReplicaState* PartitionState::leader_replica() const {
  if (leader == kNoBroker) return nullptr;
  auto it = replica_states.find(leader);
  return it == replica_states.end() ? nullptr : &it->second;
}

ClusterState::ClusterState(size_t node_count)
    : nodes(node_count), link_up(node_count * node_count, 1), disks(node_count) {}

bool ClusterState::link(NodeId from, NodeId to) const {
  const size_t n = nodes.size();
  if (from.value >= n || to.value >= n) return true;
  return link_up[static_cast<size_t>(from.value) * n + to.value] != 0;
}

std::string_view group_phase(const GroupState& group, const ClusterState& state) {
  if (!group.state.empty()) {
    // The state lives in the coordinator's memory: with its broker down the
    // group has no state anyone can act on until another broker loads it.
    const NodeId c = group.coordinator;
    if (c != kNoNode && c.value < state.nodes.size() && state.nodes[c.value].status == NodeStatus::crashed)
      return kNoCoordinator;
    return group.state;
  }
  bool any_live = false;
  bool all_current = true;
  for (const auto& [node, member] : group.members) {
    const bool live = node.value < state.nodes.size() && state.nodes[node.value].status != NodeStatus::crashed &&
                      state.nodes[node.value].status != NodeStatus::not_started;
    if (!live) continue;
    any_live = true;
    if (member.generation != group.generation) all_current = false;
  }
  if (!any_live) return "Empty";
  return all_current ? "Stable" : "Rebalancing";
}

std::optional<int64_t> consumer_lag(const ClusterState& state, const TopicPartition& tp, Offset committed) {
  auto it = state.partitions.find(tp);
  if (it == state.partitions.end()) return std::nullopt;
  const ReplicaState* leader = it->second.leader_replica();
  if (!leader) return std::nullopt;
  return std::max<int64_t>(0, leader->hw - committed);
}

std::optional<TopicPartition> parse_topic_partition(std::string_view s) {
  const size_t dash = s.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= s.size()) return std::nullopt;
  int32_t p = 0;
  auto [end, ec] = std::from_chars(s.data() + dash + 1, s.data() + s.size(), p);
  if (ec != std::errc() || end != s.data() + s.size() || p < 0) return std::nullopt;
  return TopicPartition{std::string(s.substr(0, dash)), PartitionId(p)};
}

std::map<std::string, NodeId> group_assignment(const GroupState& group) {
  std::map<std::string, NodeId> owner;
  std::map<std::string, uint64_t> since;
  for (const auto& [node, m] : group.members)
    for (const std::string& tp : m.assigned) {
      auto it = since.find(tp);
      if (it != since.end() && it->second > m.changed_event) continue;
      since[tp] = m.changed_event;
      owner[tp] = node;
    }
  return owner;
}

std::optional<GoneMember> member_process_gone(const GroupState& group, const std::string& member_id,
                                              const ClusterState& state) {
  auto it = group.sessions.find(member_id);
  if (it == group.sessions.end()) return std::nullopt;
  const MemberSession& m = it->second;
  if (m.node.value >= state.nodes.size()) return std::nullopt;
  const NodeState& n = state.nodes[m.node.value];
  const bool crashed = n.status == NodeStatus::crashed;
  const bool restarted = !crashed && n.incarnation > m.incarnation;
  if (!crashed && !restarted) return std::nullopt;
  if (!n.ever_crashed) return std::nullopt;  // a restart the trace did not show a crash for: not ours to judge
  GoneMember g;
  g.node = m.node;
  g.gone_since = n.crashed_at;
  g.restarted = restarted;
  if (m.reset_known) g.session_expires_at = m.session_expires_at();
  return g;
}

NodeId member_node(std::string_view member_id, const std::vector<std::string>& node_names) {
  size_t best = 0;
  NodeId found = kNoNode;
  for (size_t i = 0; i < node_names.size(); ++i) {
    const std::string& n = node_names[i];
    if (n.empty() || n.size() >= member_id.size() || member_id.substr(0, n.size()) != n || member_id[n.size()] != '-')
      continue;
    if (n.size() > best) {  // the longest name wins: "c1" must not claim "c1-x-..." of node "c1-x"
      best = n.size();
      found = NodeId(static_cast<uint32_t>(i));
    }
  }
  return found;
}

}  // namespace ksim::viz
