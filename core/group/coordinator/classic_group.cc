#include "core/group/coordinator/classic_group.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <vector>

#include "core/base/assert.h"

namespace ksim {

void ClassicGroup::transition_to(GroupState to) {
  KSIM_ASSERT_MSG(is_legal_group_transition(state_, to), "group " << group_id_ << ": illegal transition "
                                                                  << group_state_name(state_) << " -> "
                                                                  << group_state_name(to));
  previous_state_ = state_;
  state_ = to;
}

GroupMember* ClassicGroup::member(const std::string& member_id) {
  for (auto& m : members_)
    if (m.member_id == member_id) return &m;
  return nullptr;
}

const GroupMember* ClassicGroup::member(const std::string& member_id) const {
  for (const auto& m : members_)
    if (m.member_id == member_id) return &m;
  return nullptr;
}

std::optional<std::string> ClassicGroup::static_member_id(const std::string& instance_id) const {
  for (const auto& m : members_)
    if (m.group_instance_id == instance_id) return m.member_id;
  return std::nullopt;
}

void ClassicGroup::add(GroupMember m) {
  KSIM_ASSERT_MSG(!has_member(m.member_id), "group " << group_id_ << ": member " << m.member_id << " added twice");
  if (members_.empty()) protocol_type_ = m.protocol_type;
  if (!leader_) leader_ = m.member_id;
  pending_members_.erase(m.member_id);
  members_.push_back(std::move(m));
}

void ClassicGroup::remove(const std::string& member_id) {
  pending_members_.erase(member_id);
  pending_sync_.erase(member_id);
  auto it = std::find_if(members_.begin(), members_.end(), [&](const GroupMember& m) { return m.member_id == member_id; });
  if (it == members_.end()) return;
  members_.erase(it);
  if (is_leader(member_id)) leader_ = members_.empty() ? std::nullopt : std::optional(members_.front().member_id);
}

GroupMember& ClassicGroup::replace_static_member(const std::string& instance_id, const std::string& old_id,
                                                 const std::string& new_id) {
  GroupMember* m = member(old_id);
  KSIM_ASSERT_MSG(m != nullptr && m->group_instance_id == instance_id,
                  "group " << group_id_ << ": no static member " << old_id << " for " << instance_id);
  m->member_id = new_id;
  m->awaiting_join.reset();
  m->awaiting_sync.reset();
  if (is_leader(old_id)) leader_ = new_id;
  pending_sync_.erase(old_id);
  return *m;
}

int32_t ClassicGroup::num_awaiting_join() const {
  return static_cast<int32_t>(
      std::count_if(members_.begin(), members_.end(), [](const GroupMember& m) { return m.awaiting_join.has_value(); }));
}

bool ClassicGroup::has_all_members_joined() const {
  return num_awaiting_join() == static_cast<int32_t>(members_.size()) && pending_members_.empty();
}

int32_t ClassicGroup::rebalance_timeout_ms() const {
  int32_t t = 0;
  for (const auto& m : members_) t = std::max(t, m.rebalance_timeout_ms);
  return t;
}

bool ClassicGroup::supports_protocols(const std::string& protocol_type,
                                      const std::vector<JoinGroupProtocol>& protocols) const {
  if (is(GroupState::empty)) return !protocol_type.empty() && !protocols.empty();
  if (!protocol_type_ || *protocol_type_ != protocol_type) return false;
  for (const auto& p : protocols) {
    const bool all = std::all_of(members_.begin(), members_.end(),
                                 [&](const GroupMember& m) { return m.metadata_for(p.name) != nullptr; });
    if (all) return true;
  }
  return false;
}

std::string ClassicGroup::select_protocol() const {
  KSIM_ASSERT_MSG(!members_.empty(), "group " << group_id_ << ": cannot select a protocol without members");
  // Candidates: the protocols every member supports.
  std::set<std::string> candidates;
  for (const auto& p : members_.front().protocols) {
    const bool all = std::all_of(members_.begin(), members_.end(),
                                 [&](const GroupMember& m) { return m.metadata_for(p.name) != nullptr; });
    if (all) candidates.insert(p.name);
  }
  KSIM_ASSERT_MSG(!candidates.empty(), "group " << group_id_ << ": members share no protocol");
  std::map<std::string, int32_t> votes;
  for (const auto& m : members_)
    for (const auto& p : m.protocols)
      if (candidates.count(p.name)) {
        ++votes[p.name];
        break;
      }
  std::string best;
  int32_t best_votes = -1;
  for (const auto& [name, n] : votes)
    if (n > best_votes) {
      best = name;
      best_votes = n;
    }
  return best;
}

bool ClassicGroup::maybe_elect_new_joined_leader() {
  if (!leader_) return false;
  const GroupMember* current = member(*leader_);
  if (current && current->awaiting_join) return true;
  for (const auto& m : members_)
    if (m.awaiting_join) {
      leader_ = m.member_id;
      return true;
    }
  return false;
}

void ClassicGroup::init_next_generation() {
  generation_ = GenerationId(generation_.value + 1);
  if (!members_.empty()) {
    protocol_name_ = select_protocol();
    transition_to(GroupState::completing_rebalance);
  } else {
    protocol_name_.reset();
    transition_to(GroupState::empty);
  }
  pending_sync_.clear();
}

void ClassicGroup::load(GenerationId generation, std::optional<std::string> protocol_type,
                        std::optional<std::string> protocol_name, std::optional<std::string> leader,
                        std::vector<GroupMember> members) {
  generation_ = generation;
  protocol_type_ = std::move(protocol_type);
  protocol_name_ = std::move(protocol_name);
  leader_ = std::move(leader);
  members_ = std::move(members);
  pending_members_.clear();
  pending_sync_.clear();
  previous_state_ = state_;
  // GroupMetadataManager.loadGroup: a group with members is Stable, else Empty.
  state_ = members_.empty() ? GroupState::empty : GroupState::stable;
}

namespace {

// The first value that occurs twice among those `key` gives (skipping
// nullopts). This runs after every event on the coordinator's broker: small
// groups are compared pairwise with no allocation, large ones sorted.
template <class Members, class Key>
std::optional<std::string_view> first_duplicate(const Members& members, Key key) {
  constexpr size_t kPairwiseUpTo = 16;
  if (members.size() <= kPairwiseUpTo) {
    for (size_t i = 0; i < members.size(); ++i) {
      const std::optional<std::string_view> a = key(members[i]);
      if (!a) continue;
      for (size_t j = i + 1; j < members.size(); ++j)
        if (key(members[j]) == a) return a;
    }
    return std::nullopt;
  }
  std::vector<std::string_view> values;
  for (const auto& m : members)
    if (const auto v = key(m)) values.push_back(*v);
  std::sort(values.begin(), values.end());
  const auto dup = std::adjacent_find(values.begin(), values.end());
  if (dup == values.end()) return std::nullopt;
  return *dup;
}

}  // namespace

void ClassicGroup::check_invariants() const {
  for (const auto& m : members_)
    if (is(GroupState::empty) || is(GroupState::dead))
      KSIM_ASSERT_MSG(!m.awaiting_join && !m.awaiting_sync,
                      "group " << group_id_ << ": member " << m.member_id << " parked in " << group_state_name(state_));
  const auto dup_id =
      first_duplicate(members_, [](const GroupMember& m) { return std::optional<std::string_view>(m.member_id); });
  KSIM_ASSERT_MSG(!dup_id, "group " << group_id_ << ": duplicate member " << *dup_id);
  const auto dup_instance = first_duplicate(members_, [](const GroupMember& m) -> std::optional<std::string_view> {
    if (!m.group_instance_id) return std::nullopt;
    return std::string_view(*m.group_instance_id);
  });
  KSIM_ASSERT_MSG(!dup_instance, "group " << group_id_ << ": two members for instance " << *dup_instance);
  if (leader_) KSIM_ASSERT_MSG(has_member(*leader_), "group " << group_id_ << ": leader " << *leader_ << " is not a member");
  if (!members_.empty() && !is(GroupState::dead))
    KSIM_ASSERT_MSG(leader_.has_value(), "group " << group_id_ << " has members but no leader");
  if (is(GroupState::stable) || is(GroupState::completing_rebalance))
    KSIM_ASSERT_MSG(protocol_name_.has_value(), "group " << group_id_ << " in " << group_state_name(state_)
                                                         << " without a protocol");
}

}  // namespace ksim
