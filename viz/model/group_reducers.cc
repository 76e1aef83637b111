// Reducers of the group coordinator's events (core/trace/group_events.h): the
// group's ClassicGroupState, generation, leader, protocol and members as the
// coordinator (Kafka's GroupMetadataManager / ClassicGroup) has them, and the
// offsets it stored. Where a trace has these, they take precedence over what
// the consumers' own events imply (client_reducers.cc): a consumer may be
// behind, or dead and not know it.
#include <algorithm>

#include "viz/model/reducers.h"

namespace ksim::viz {

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
    if (e.to == "Empty") g.member_ids.clear();
  }
}

void reduce(ClusterState& s, const EventContext& c, const trace::MemberJoined& e) {
  GroupState& g = s.groups[e.group];
  if (std::find(g.member_ids.begin(), g.member_ids.end(), e.member) == g.member_ids.end())
    g.member_ids.push_back(e.member);
  if (auto j = s.last_join_group.find(c.event.node); j != s.last_join_group.end() && j->second.at == c.event.time)
    g.member_nodes[e.member] = j->second.from;
  g.coordinator = c.event.node;
}

void reduce(ClusterState& s, const EventContext& c, const trace::MemberRemoved& e) {
  GroupState& g = s.groups[e.group];
  g.member_ids.erase(std::remove(g.member_ids.begin(), g.member_ids.end(), e.member), g.member_ids.end());
  if (g.leader == e.member) g.leader.clear();
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
}

void reduce(ClusterState& s, const EventContext& c, const trace::OffsetsCommitted& e) {
  GroupState& g = s.groups[e.group];
  for (size_t i = 0; i < e.partitions.size() && i < e.offsets.size(); ++i)
    g.committed[e.partitions[i]] = CommittedOffset{e.offsets[i], e.generation, kNoNode, e.member, c.index};
  g.coordinator = c.event.node;
}

}  // namespace ksim::viz
