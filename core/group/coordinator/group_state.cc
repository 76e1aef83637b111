#include "core/group/coordinator/group_state.h"

namespace ksim {

std::string_view group_state_name(GroupState s) {
  switch (s) {
    case GroupState::empty: return "Empty";
    case GroupState::preparing_rebalance: return "PreparingRebalance";
    case GroupState::completing_rebalance: return "CompletingRebalance";
    case GroupState::stable: return "Stable";
    case GroupState::dead: return "Dead";
  }
  return "?";
}

bool is_legal_group_transition(GroupState from, GroupState to) {
  using S = GroupState;
  switch (to) {
    case S::empty: return from == S::preparing_rebalance;
    case S::preparing_rebalance: return from == S::stable || from == S::completing_rebalance || from == S::empty;
    case S::completing_rebalance: return from == S::preparing_rebalance;
    case S::stable: return from == S::completing_rebalance;
    case S::dead: return true;
  }
  return false;
}

}  // namespace ksim
