#pragma once
// The Consumer groups panel, sized for a projector: per group its state (the
// coordinator's ClassicGroupState: Empty, PreparingRebalance,
// CompletingRebalance, Stable, Dead), generation, rebalance count, coordinator,
// leader member and protocol; the assignment partition -> owner, with the
// partitions that moved in the latest rebalance highlighted (eager: all of
// them; cooperative, KIP-429: only the moved ones), committed offset, the
// leader's HW and the lag between them; and each member's own view (its
// generation, partitions, what its last change added (+) or revoked (-)).
//
// A member whose process is gone (its consumer crashed, or restarted and
// joined under a new member id) is Kafka's truth: the coordinator keeps it,
// with its partitions, and a rebalance waits for it, until its session expires.
// The panel greys it, says above the tables since when it is gone and until
// when it is kept (member_process_gone in cluster_state.h), and when the
// coordinator removes a member, why (session timeout, rebalance timeout,
// LeaveGroup, a fenced static instance). During a rebalance one line says what
// the protocol does: eager revokes everything, cooperative only what moves.
//
// What feeds it: the coordinator's events (group_reducers.cc: group_state_changed,
// member_joined, member_removed, group_stable, offsets_committed) where the trace
// has them; otherwise the consumers' (client_reducers.cc: assignment_changed,
// offset_committed, consumer_polled), from which the phase is derived and the
// viewer says so. Coordinator member ids are shown as the consumer node that
// sent the JoinGroup the coordinator accepted (member_nodes), else the node
// whose name (ksim's client.id) prefixes them (member_node in cluster_state.h).
#include "viz/view/panel.h"

namespace ksim::viz {

class GroupsPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);
};

}  // namespace ksim::viz
