// Reducers of the group coordinator's events (core/trace/group_events.h): the
// group's ClassicGroupState, generation, leader, protocol and members as the
// coordinator (Kafka's GroupMetadataManager / ClassicGroup) has them, and the
// offsets it stored. Where a trace has these, they take precedence over what
// the consumers' own events imply (client_reducers.cc): a consumer may be
// behind, or dead and not know it.
#include <algorithm>

#include "viz/model/reducers.h"

namespace ksim::viz {
namespace {

bool process_alive(const ClusterState& s, const MemberSession& m) {
  if (m.node.value >= s.nodes.size()) return true;  // unknown: assume it lives
  const NodeState& n = s.nodes[m.node.value];
  return n.status != NodeStatus::crashed && n.incarnation == m.incarnation;
}

// Kafka's ClassicGroupMember: a new member's first timer (GroupMetadataManager
// NEW_MEMBER_JOIN_TIMEOUT_MS), ksim's GroupCoordinator::kNewMemberJoinTimeoutMs.
constexpr int32_t kNewMemberJoinTimeoutMs = 5 * 60 * 1000;

void restart_session(MemberSession& m, SimTime now, int32_t timer_ms) {
  if (timer_ms <= 0) return;  // a member whose session.timeout.ms the trace never said
  m.session_reset_at = now;
  m.timer_ms = timer_ms;
  m.reset_known = true;
}
void restart_session(MemberSession& m, SimTime now) { restart_session(m, now, m.session_timeout_ms); }

template <class T>
void push_bounded(std::vector<T>& v, T item, size_t bound) {
  if (v.size() >= bound) v.erase(v.begin());
  v.push_back(std::move(item));
}

}  // namespace

void reduce(ClusterState& s, const EventContext& c, const trace::GroupStateChanged& e) {
  GroupState& g = s.groups[e.group];
  // A new rebalance starts: what moved in the previous one is history now.
  if (e.to == "PreparingRebalance" && g.state != "PreparingRebalance") {
    g.rebalance_moved.clear();
    ++g.rebalances;
  }
  g.state = e.to;
  g.state_reason = e.reason;
  g.state_changed_event = c.index;
  g.state_since = c.event.time;
  if (e.generation.value >= 0) g.generation = e.generation;
  g.coordinator = c.event.node;
  if (e.to == "Dead" || e.to == "Empty") {
    g.leader.clear();
    if (e.to == "Empty") {
      g.member_ids.clear();
      g.sessions.clear();
    }
  }
  // The join phase completed: every remaining member's session restarts
  // (those that did not rejoin were removed just before). A coordinator that
  // loaded the group (a failover) starts every member's session afresh too,
  // as Kafka's does when it replays the group's metadata.
  if (e.to == "CompletingRebalance" || e.reason == "loaded")
    for (auto& [id, m] : g.sessions) restart_session(m, c.event.time, m.session_timeout_ms);
}

void reduce(ClusterState& s, const EventContext& c, const trace::MemberJoined& e) {
  GroupState& g = s.groups[e.group];
  if (std::find(g.member_ids.begin(), g.member_ids.end(), e.member) == g.member_ids.end())
    g.member_ids.push_back(e.member);
  NodeId from = kNoNode;
  if (auto j = s.last_join_group.find(c.event.node); j != s.last_join_group.end() && j->second.at == c.event.time) {
    from = j->second.from;
    g.member_nodes[e.member] = from;
  }
  MemberSession& m = g.sessions[e.member];
  m.node = from;
  m.incarnation = from.value < s.nodes.size() ? s.nodes[from.value].incarnation : 0;
  m.session_timeout_ms = e.session_timeout_ms;
  m.joined_at = c.event.time;
  // A static member replacing its old id keeps a session timer; a new
  // dynamic member waits for the join phase under the longer join timeout.
  restart_session(m, c.event.time, e.instance.empty() ? kNewMemberJoinTimeoutMs : e.session_timeout_ms);
  g.coordinator = c.event.node;
}

void reduce(ClusterState& s, const EventContext& c, const trace::MemberRemoved& e) {
  GroupState& g = s.groups[e.group];
  g.member_ids.erase(std::remove(g.member_ids.begin(), g.member_ids.end(), e.member), g.member_ids.end());
  if (g.leader == e.member) g.leader.clear();
  RemovedMember r{e.member, kNoNode, e.reason, c.event.time, c.index, false, false, SimTime{}, 0};
  if (auto it = g.sessions.find(e.member); it != g.sessions.end()) {
    r.node = it->second.node;
    r.session_timeout_ms = it->second.session_timeout_ms;
    if (auto gone = member_process_gone(g, e.member, s)) {
      r.process_gone = true;
      r.restarted = gone->restarted;
      r.process_gone_at = gone->gone_since;
    }
    g.sessions.erase(it);
  } else if (auto n = g.member_nodes.find(e.member); n != g.member_nodes.end()) {
    r.node = n->second;
  }
  push_bounded(g.removed, std::move(r), GroupState::kRecentRemoved);
  g.coordinator = c.event.node;
}

void reduce(ClusterState& s, const EventContext& c, const trace::GroupStable& e) {
  GroupState& g = s.groups[e.group];
  if (g.state != "Stable") {
    g.state = "Stable";
    g.state_reason = "assignment persisted";
    g.state_changed_event = c.index;
    g.state_since = c.event.time;
  }
  g.generation = e.generation;
  g.leader = e.leader;
  g.protocol = e.protocol;
  g.member_ids = e.members;
  g.coordinator = c.event.node;
  // The members' sessions: those that synced restart theirs (a gone process
  // sent no SyncGroup); a member first seen here (a group loaded by a new
  // coordinator) has a session the trace never showed starting.
  for (auto it = g.sessions.begin(); it != g.sessions.end();)
    it = std::find(e.members.begin(), e.members.end(), it->first) == e.members.end() ? g.sessions.erase(it) : std::next(it);
  for (const std::string& id : e.members) {
    auto [it, fresh] = g.sessions.try_emplace(id);
    MemberSession& m = it->second;
    if (fresh) {
      auto n = g.member_nodes.find(id);
      m.node = n != g.member_nodes.end() ? n->second : kNoNode;
      m.incarnation = m.node.value < s.nodes.size() ? s.nodes[m.node.value].incarnation : 0;
      continue;
    }
    if (process_alive(s, m)) restart_session(m, c.event.time);
  }
}

void note_heartbeat(ClusterState& s, const EventContext& c, NodeId from) {
  if (from.value >= s.nodes.size()) return;
  for (auto& [name, g] : s.groups) {
    if (g.coordinator != c.event.node) continue;
    if (g.state != "PreparingRebalance" && g.state != "CompletingRebalance" && g.state != "Stable") continue;
    for (auto& [id, m] : g.sessions)
      if (m.node == from && m.incarnation == s.nodes[from.value].incarnation) restart_session(m, c.event.time);
  }
}

void reduce(ClusterState& s, const EventContext& c, const trace::OffsetsCommitted& e) {
  GroupState& g = s.groups[e.group];
  for (size_t i = 0; i < e.partitions.size() && i < e.offsets.size(); ++i)
    g.committed[e.partitions[i]] = CommittedOffset{e.offsets[i], e.generation, kNoNode, e.member, c.index};
  g.coordinator = c.event.node;
}

}  // namespace ksim::viz
