#pragma once
// The Consumer groups panel: each group's phase (derived from the members'
// generations), generation and rebalance count; each member's generation and
// assigned partitions, with what its last rebalance added (green, +) or
// revoked (red, -) highlighted while it is fresh; and per partition its owner,
// committed offset, the leader's HW and the lag between them.
//
// What feeds it (client_reducers.cc): assignment_changed (a consumer's
// partitions after a rebalance: members, generations, added / revoked),
// offset_committed (the committed offset per partition), consumer_polled and
// record_processed. The phase is derived from the members' generations.
//
// NOTE for the group-coordinator events (h/coordinator adds them to
// core/trace/group_events.h; not on main when this was written): the panel is
// designed to take the coordinator's word where it has one. group_stable
// (group, generation, leader, protocol, members) should set GroupState's
// generation, leader member and phase "Stable" instead of deriving them;
// group_state_changed (from, to) the phase during a rebalance
// (PreparingRebalance / CompletingRebalance / Empty / Dead); offsets_committed
// (group, generation, member, partitions, offsets) the committed offsets as
// the coordinator stored them. Each needs one reducer declared in
// viz/model/reducers.h; until then the template reducer there ignores them
// (they are still listed in the Events panel and indexed by kind), so the
// viewer builds and opens traces with them unchanged.
#include "viz/view/panel.h"

namespace ksim::viz {

class GroupsPanel {
 public:
  void draw(PanelContext& ctx, const PanelRect& rect);
};

}  // namespace ksim::viz
