#include "core/group/coordinator/group_metadata_manager.h"

#include <algorithm>
#include <cstdio>

#include "core/base/assert.h"
#include "core/trace/group_events.h"

namespace ksim {

GroupMetadataManager::GroupMetadataManager(Env& env, const BrokerConfig& config, CoordinatorRuntime& runtime)
    : env_(env), config_(config), runtime_(runtime) {}

// --- shard lifecycle -------------------------------------------------------------------

void GroupMetadataManager::on_loaded(CoordinatorShard& s) {
  for (auto& [group_id, g] : s.groups) {
    for (auto& m : g.members()) reschedule_heartbeat(s, g, m, m.session_timeout_ms);
    if (g.is(GroupState::stable))
      env_.trace(trace::GroupStateChanged{group_id, "Empty", std::string(group_state_name(g.state())), g.generation(),
                                          "loaded"});
  }
}

void GroupMetadataManager::on_unloaded(CoordinatorShard& s) {
  for (auto& [group_id, g] : s.groups) {
    runtime_.cancel(g.join_timer);
    runtime_.cancel(g.sync_timer);
    for (auto& m : g.members()) {
      runtime_.cancel(m.heartbeat_timer);
      fail_parked_calls(m, Errc::not_coordinator);
    }
    if (!s.loading) transition(g, GroupState::dead, "coordinator unloaded");
  }
}

void GroupMetadataManager::on_timer(CoordinatorShard& s, const CoordinatorTimerTask& t) {
  ClassicGroup* g = s.find_group(t.group);
  if (!g) return;
  switch (t.kind) {
    case CoordinatorTimerKind::heartbeat:
      if (GroupMember* m = g->member(t.member)) m->heartbeat_timer = {};
      expire_heartbeat(s, *g, t.member);
      break;
    case CoordinatorTimerKind::join:
      g->join_timer = {};
      complete_join(s, *g);
      break;
    case CoordinatorTimerKind::initial_join:
      g->join_timer = {};
      try_complete_initial_rebalance(s, *g, t.delay_ms, t.remaining_ms);
      break;
    case CoordinatorTimerKind::sync:
      g->sync_timer = {};
      expire_pending_sync(s, *g, t.generation);
      break;
    case CoordinatorTimerKind::load:
    case CoordinatorTimerKind::expire_offsets:
      KSIM_ASSERT_MSG(false, "not a group timer");
  }
}

void GroupMetadataManager::reschedule_heartbeat(const CoordinatorShard& s, ClassicGroup& g, GroupMember& m,
                                                int32_t timeout_ms) {
  runtime_.cancel(m.heartbeat_timer);
  runtime_.cancel_member_timer(g.group_id(), m.member_id);
  CoordinatorTimerTask t = s.timer_task(CoordinatorTimerKind::heartbeat, g.group_id());
  t.member = m.member_id;
  m.heartbeat_timer = runtime_.schedule(millis(timeout_ms), std::move(t));
}

// --- JoinGroup -------------------------------------------------------------------------

void GroupMetadataManager::handle(const ReplyTo& from, const JoinGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  Errc error = Errc::none;
  CoordinatorShard* s = runtime_.shard_for(req.group_id, error);
  if (!s) return send_join_error(to, error, req.member_id);
  if (req.session_timeout_ms < config_.group_min_session_timeout_ms ||
      req.session_timeout_ms > config_.group_max_session_timeout_ms)
    return send_join_error(to, Errc::invalid_session_timeout, req.member_id);
  const bool unknown_member = req.member_id.empty();
  ClassicGroup* g = s->find_group(req.group_id);
  if (!g) {
    if (!unknown_member) return send_join_error(to, Errc::unknown_member_id, req.member_id);
    g = &s->groups.emplace(req.group_id, ClassicGroup(req.group_id)).first->second;
  }
  if (!accept_joining_member(*g, req.member_id)) {
    drop_member_over_max_size(*s, *g, req.member_id);
    return send_join_error(to, Errc::group_max_size_reached, "");
  }
  if (unknown_member) join_new_member(*s, *g, from, req);
  else join_existing_member(*s, *g, from, req);
}

bool GroupMetadataManager::accept_joining_member(const ClassicGroup& g, const std::string& member_id) const {
  // GroupMetadataManager.acceptJoiningMember (group.max.size).
  const int32_t max = config_.group_max_size;
  switch (g.state()) {
    case GroupState::empty:
    case GroupState::dead:
      return true;  // always: the group has nobody to protect
    case GroupState::preparing_rebalance: {
      // Counting members awaiting their JoinGroup response, not members: the
      // group may be above a lowered limit, and the last to rejoin are the
      // ones turned away.
      const GroupMember* m = g.member(member_id);
      return (m && m->awaiting_join) || g.num_awaiting_join() < max;
    }
    case GroupState::completing_rebalance:
    case GroupState::stable:
      return g.has_member(member_id) || static_cast<int64_t>(g.members().size()) < max;
  }
  return true;
}

// GroupMetadataManager.classicGroupJoinToClassicGroup: a member turned away
// by group.max.size is dropped (a pending one too).
void GroupMetadataManager::drop_member_over_max_size(CoordinatorShard& s, ClassicGroup& g,
                                                     const std::string& member_id) {
  if (g.is_pending_member(member_id)) {
    g.remove(member_id);
    runtime_.cancel_member_timer(g.group_id(), member_id);
  } else if (GroupMember* m = g.member(member_id)) {
    runtime_.cancel(m->heartbeat_timer);
    trace_removed(g, *m, "group_max_size_reached");
    g.remove(member_id);
    if (g.is(GroupState::preparing_rebalance)) maybe_complete_join_phase(s, g);
  }
}

void GroupMetadataManager::join_new_member(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from,
                                           const JoinGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  if (g.is(GroupState::dead)) return send_join_error(to, Errc::coordinator_not_available, "");
  if (!g.supports_protocols(req.protocol_type, req.protocols))
    return send_join_error(to, Errc::inconsistent_group_protocol, "");
  const std::string new_id = new_member_id(req.group_instance_id);
  if (req.group_instance_id) {
    if (auto existing = g.static_member_id(*req.group_instance_id))
      return update_static_member_then_rebalance(s, g, from, req, *existing, new_id);
    return add_member_then_rebalance(s, g, from, req, new_id);
  }
  // KIP-394 (JoinGroup v4+): a dynamic member must come back with its id.
  g.add_pending_member(new_id);
  CoordinatorTimerTask t = s.timer_task(CoordinatorTimerKind::heartbeat, g.group_id());
  t.member = new_id;
  runtime_.schedule(millis(req.session_timeout_ms), std::move(t));
  send_join_error(to, Errc::member_id_required, new_id);
}

void GroupMetadataManager::join_existing_member(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from,
                                                const JoinGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  if (g.is(GroupState::dead)) return send_join_error(to, Errc::coordinator_not_available, req.member_id);
  if (!g.supports_protocols(req.protocol_type, req.protocols))
    return send_join_error(to, Errc::inconsistent_group_protocol, req.member_id);
  if (g.is_pending_member(req.member_id)) {
    KSIM_ASSERT_MSG(!req.group_instance_id, "pending member " << req.member_id << " cannot be static");
    return add_member_then_rebalance(s, g, from, req, req.member_id);
  }
  if (Errc e = validate_member(g, req.member_id, req.group_instance_id); e != Errc::none)
    return send_join_error(to, e, req.member_id);
  GroupMember& m = *g.member(req.member_id);
  switch (g.state()) {
    case GroupState::preparing_rebalance:
      return update_member_then_rebalance(s, g, m, from, req, "member rejoined");
    case GroupState::completing_rebalance:
      if (m.matches(req.protocols)) {
        // It missed its JoinGroup response: give it the current generation again.
        return send_join(to, current_generation_response(g, m.member_id, g.is_leader(m.member_id)));
      }
      return update_member_then_rebalance(s, g, m, from, req, "member metadata changed");
    case GroupState::stable:
      if (g.is_leader(m.member_id)) return update_member_then_rebalance(s, g, m, from, req, "leader rejoined");
      if (!m.matches(req.protocols)) return update_member_then_rebalance(s, g, m, from, req, "member metadata changed");
      return send_join(to, current_generation_response(g, m.member_id, false));
    case GroupState::empty:
    case GroupState::dead:
      return send_join_error(to, Errc::unknown_member_id, req.member_id);
  }
}

void GroupMetadataManager::add_member_then_rebalance(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from,
                                                     const JoinGroupRequest& req, const std::string& member_id) {
  GroupMember m;
  m.member_id = member_id;
  m.group_instance_id = req.group_instance_id;
  m.session_timeout_ms = req.session_timeout_ms;
  m.rebalance_timeout_ms = req.rebalance_timeout_ms;
  m.protocol_type = req.protocol_type;
  m.protocols = req.protocols;
  m.awaiting_join = PendingResponse{from, req.correlation_id};
  m.is_new = true;
  // The initial rebalance may be extended while new members keep coming.
  if (g.is(GroupState::preparing_rebalance) && g.previous_state() == GroupState::empty) g.set_new_member_added(true);
  g.add(std::move(m));
  GroupMember& added = *g.member(member_id);
  env_.trace(trace::MemberJoined{g.group_id(), member_id, req.group_instance_id.value_or(""), req.session_timeout_ms,
                                 req.rebalance_timeout_ms});
  reschedule_heartbeat(s, g, added, kNewMemberJoinTimeoutMs);
  maybe_prepare_rebalance_or_complete_join(s, g, "member joined");
}

void GroupMetadataManager::update_member_then_rebalance(CoordinatorShard& s, ClassicGroup& g, GroupMember& m,
                                                        const ReplyTo& from, const JoinGroupRequest& req,
                                                        const std::string& reason) {
  m.protocols = req.protocols;
  m.rebalance_timeout_ms = req.rebalance_timeout_ms;
  m.session_timeout_ms = req.session_timeout_ms;
  m.awaiting_join = PendingResponse{from, req.correlation_id};
  // KIP-800: the client says why it rejoins ("cached metadata has changed").
  maybe_prepare_rebalance_or_complete_join(s, g, req.reason.empty() ? reason : reason + "; client reason: " + req.reason);
}

void GroupMetadataManager::update_static_member_then_rebalance(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from,
                                                               const JoinGroupRequest& req, const std::string& old_id,
                                                               const std::string& new_id) {
  GroupMember& old = *g.member(old_id);
  // The process that held the instance id is fenced: its parked calls fail.
  fail_parked_calls(old, Errc::fenced_instance_id);
  runtime_.cancel(old.heartbeat_timer);
  trace_removed(g, old, "fenced_static_instance");
  GroupMember before = old;
  GroupMember& m = g.replace_static_member(*req.group_instance_id, old_id, new_id);
  env_.trace(trace::MemberJoined{g.group_id(), new_id, *req.group_instance_id, req.session_timeout_ms,
                                 req.rebalance_timeout_ms});
  reschedule_heartbeat(s, g, m, m.session_timeout_ms);
  m.protocols = req.protocols;
  m.rebalance_timeout_ms = req.rebalance_timeout_ms;
  m.session_timeout_ms = req.session_timeout_ms;
  m.awaiting_join = PendingResponse{from, req.correlation_id};

  switch (g.state()) {
    case GroupState::stable:
      if (g.protocol_name().value_or("") != g.select_protocol())
        return maybe_prepare_rebalance_or_complete_join(s, g, "static member changed the protocol");
      return persist_replaced_static_member(s, g, from, req, new_id, std::move(before));
    case GroupState::completing_rebalance:
      // The leader may already have assigned to the old id: rebalance.
      return prepare_rebalance(s, g, "static member replaced during CompletingRebalance");
    case GroupState::preparing_rebalance:
      return maybe_complete_join_phase(s, g);
    case GroupState::empty:
    case GroupState::dead:
      KSIM_ASSERT_MSG(false, "group " << g.group_id() << ": static member rejoined in " << group_state_name(g.state()));
  }
}

void GroupMetadataManager::persist_replaced_static_member(CoordinatorShard& s, ClassicGroup& g, const ReplyTo& from,
                                                          const JoinGroupRequest& req, const std::string& new_id,
                                                          GroupMember old) {
  // Answered with the current generation once written (the leader skips
  // assignment, KIP-814).
  const std::string group_id = g.group_id();
  const std::string instance = *req.group_instance_id;
  const PendingResponse to{from, req.correlation_id};
  runtime_.append(s, {group_metadata_record(g)}, [this, group_id, new_id, instance, old = std::move(old), to](
                                                     CoordinatorShard* shard, Errc e) {
    ClassicGroup* grp = shard ? shard->find_group(group_id) : nullptr;
    GroupMember* mem = grp ? grp->member(new_id) : nullptr;
    if (!mem || !mem->awaiting_join) return;  // answered elsewhere (unloaded, rebalanced)
    mem->awaiting_join.reset();
    if (e != Errc::none) {
      mem->protocols = old.protocols;
      mem->session_timeout_ms = old.session_timeout_ms;
      mem->rebalance_timeout_ms = old.rebalance_timeout_ms;
      GroupMember& back = grp->replace_static_member(instance, new_id, old.member_id);
      reschedule_heartbeat(*shard, *grp, back, back.session_timeout_ms);
      JoinGroupResponse r;
      r.error = append_error_to_response_error(e);
      r.generation_id = grp->generation();
      return send_join(to, std::move(r));
    }
    const bool leader = grp->is_leader(new_id);
    JoinGroupResponse r = current_generation_response(*grp, new_id, leader);
    r.skip_assignment = leader;
    send_join(to, std::move(r));
  });
}

void GroupMetadataManager::maybe_prepare_rebalance_or_complete_join(CoordinatorShard& s, ClassicGroup& g,
                                                                    const std::string& reason) {
  if (is_legal_group_transition(g.state(), GroupState::preparing_rebalance)) return prepare_rebalance(s, g, reason);
  maybe_complete_join_phase(s, g);
}

void GroupMetadataManager::prepare_rebalance(CoordinatorShard& s, ClassicGroup& g, const std::string& reason) {
  if (g.is(GroupState::completing_rebalance)) reset_and_propagate_assignment_with_error(g, Errc::rebalance_in_progress);
  runtime_.cancel(g.sync_timer);
  const bool initial = g.is(GroupState::empty);
  if (initial) {
    // group.initial.rebalance.delay.ms: give a new group's members time to arrive.
    CoordinatorTimerTask t = s.timer_task(CoordinatorTimerKind::initial_join, g.group_id());
    t.delay_ms = config_.group_initial_rebalance_delay_ms;
    t.remaining_ms = std::max(g.rebalance_timeout_ms() - config_.group_initial_rebalance_delay_ms, 0);
    runtime_.cancel(g.join_timer);
    g.join_timer = runtime_.schedule(millis(t.delay_ms), std::move(t));
  }
  transition(g, GroupState::preparing_rebalance, reason);
  if (initial) return;
  if (g.has_all_members_joined()) return complete_join(s, g);
  runtime_.cancel(g.join_timer);
  g.join_timer =
      runtime_.schedule(millis(g.rebalance_timeout_ms()), s.timer_task(CoordinatorTimerKind::join, g.group_id()));
}

void GroupMetadataManager::maybe_complete_join_phase(CoordinatorShard& s, ClassicGroup& g) {
  if (!g.is(GroupState::preparing_rebalance)) return;
  if (g.previous_state() == GroupState::empty) return;  // the initial delay decides
  if (!g.has_all_members_joined()) return;
  complete_join(s, g);
}

void GroupMetadataManager::try_complete_initial_rebalance(CoordinatorShard& s, ClassicGroup& g, int32_t delay_ms,
                                                          int32_t remaining_ms) {
  if (g.new_member_added() && remaining_ms != 0) {
    g.set_new_member_added(false);
    CoordinatorTimerTask t = s.timer_task(CoordinatorTimerKind::initial_join, g.group_id());
    t.delay_ms = std::min(config_.group_initial_rebalance_delay_ms, remaining_ms);
    t.remaining_ms = std::max(remaining_ms - delay_ms, 0);
    g.join_timer = runtime_.schedule(millis(t.delay_ms), std::move(t));
    return;
  }
  complete_join(s, g);
}

void GroupMetadataManager::complete_join(CoordinatorShard& s, ClassicGroup& g) {
  runtime_.cancel(g.join_timer);
  if (!g.is(GroupState::preparing_rebalance)) return;
  // Dynamic members that did not rejoin in time are removed; static ones stay
  // until their session expires (KIP-345).
  std::vector<std::string> gone;
  for (const auto& m : g.members())
    if (!m.awaiting_join && !m.is_static()) gone.push_back(m.member_id);
  for (const auto& id : gone) {
    GroupMember& m = *g.member(id);
    runtime_.cancel(m.heartbeat_timer);
    trace_removed(g, m, "rebalance_timeout");
    g.remove(id);
  }
  if (!g.maybe_elect_new_joined_leader() && !g.members().empty()) {
    // Nobody rejoined: wait another rebalance timeout for sessions to expire.
    g.join_timer =
        runtime_.schedule(millis(g.rebalance_timeout_ms()), s.timer_task(CoordinatorTimerKind::join, g.group_id()));
    return;
  }
  const GroupState before = g.state();
  g.init_next_generation();
  trace_transition(g, before, g.is(GroupState::empty) ? "all members left" : "join phase complete");
  if (g.is(GroupState::empty)) {
    // A failure is harmless: an empty generation has no members to confuse.
    return runtime_.append(s, {group_metadata_record(g)}, [](CoordinatorShard*, Errc) {});
  }
  for (auto& m : g.members()) {
    if (m.awaiting_join) {
      const PendingResponse to = *m.awaiting_join;
      m.awaiting_join.reset();
      send_join(to, current_generation_response(g, m.member_id, g.is_leader(m.member_id)));
    }
    reschedule_heartbeat(s, g, m, m.session_timeout_ms);
    m.is_new = false;
    g.pending_sync_members().insert(m.member_id);
  }
  CoordinatorTimerTask t = s.timer_task(CoordinatorTimerKind::sync, g.group_id());
  t.generation = g.generation();
  g.sync_timer = runtime_.schedule(millis(g.rebalance_timeout_ms()), std::move(t));
}

JoinGroupResponse GroupMetadataManager::current_generation_response(const ClassicGroup& g, const std::string& member_id,
                                                                    bool with_members) const {
  JoinGroupResponse r;
  r.generation_id = g.generation();
  r.protocol_type = g.protocol_type().value_or("");
  r.protocol_name = g.protocol_name().value_or("");
  r.leader = g.leader().value_or("");
  r.member_id = member_id;
  if (with_members) {
    for (const auto& m : g.members()) {
      JoinGroupResponseMember rm;
      rm.member_id = m.member_id;
      rm.group_instance_id = m.group_instance_id;
      if (const ConsumerSubscription* sub = m.metadata_for(r.protocol_name)) rm.metadata = *sub;
      r.members.push_back(std::move(rm));
    }
  }
  return r;
}

std::string GroupMetadataManager::new_member_id(const std::optional<std::string>& instance_id) {
  // Kafka: clientId (or group.instance.id) + "-" + a random UUID. The request
  // carries no client id here, so dynamic members are "consumer-<hex>".
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(env_.rng().next_u64() & 0xffffffffu));
  return instance_id.value_or("consumer") + "-" + hex;
}

// --- expiry and removal ------------------------------------------------------------------

void GroupMetadataManager::expire_heartbeat(CoordinatorShard& s, ClassicGroup& g, const std::string& member_id) {
  if (g.is(GroupState::dead)) return;
  if (g.is_pending_member(member_id)) {
    g.remove(member_id);
    if (g.is(GroupState::preparing_rebalance) && g.has_all_members_joined()) complete_join(s, g);
    return;
  }
  const GroupMember* m = g.member(member_id);
  if (!m || m->has_satisfied_heartbeat()) return;
  remove_member_and_update(s, g, member_id, "session_timeout");
}

void GroupMetadataManager::remove_member_and_update(CoordinatorShard& s, ClassicGroup& g, const std::string& member_id,
                                                    const std::string& reason) {
  GroupMember& m = *g.member(member_id);
  fail_parked_calls(m, Errc::unknown_member_id);
  runtime_.cancel(m.heartbeat_timer);
  trace_removed(g, m, reason);
  g.remove(member_id);
  if (g.is(GroupState::stable) || g.is(GroupState::completing_rebalance))
    return maybe_prepare_rebalance_or_complete_join(s, g, "member removed (" + reason + ")");
  if (g.is(GroupState::preparing_rebalance) && g.has_all_members_joined()) complete_join(s, g);
}

void GroupMetadataManager::expire_pending_sync(CoordinatorShard& s, ClassicGroup& g, GenerationId generation) {
  if (generation != g.generation()) return;
  if (!g.is(GroupState::completing_rebalance) && !g.is(GroupState::stable)) return;
  if (g.pending_sync_members().empty()) return;
  const std::vector<std::string> pending(g.pending_sync_members().begin(), g.pending_sync_members().end());
  for (const auto& id : pending) {
    GroupMember* m = g.member(id);
    if (!m) continue;
    runtime_.cancel(m->heartbeat_timer);
    fail_parked_sync(*m, Errc::unknown_member_id);
    trace_removed(g, *m, "rebalance_timeout");
    g.remove(id);
  }
  prepare_rebalance(s, g, "members did not sync in time");
}

void GroupMetadataManager::remove_pending_sync_member(ClassicGroup& g, const std::string& member_id) {
  g.pending_sync_members().erase(member_id);
  if (g.pending_sync_members().empty()) runtime_.cancel(g.sync_timer);
}

void GroupMetadataManager::reset_and_propagate_assignment_with_error(ClassicGroup& g, Errc error) {
  KSIM_ASSERT(g.is(GroupState::completing_rebalance));
  for (auto& m : g.members()) {
    m.assignment = {};
    fail_parked_sync(m, error);
  }
}

// --- SyncGroup ---------------------------------------------------------------------------

void GroupMetadataManager::handle(const ReplyTo& from, const SyncGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  auto fail = [&](Errc e) {
    SyncGroupResponse r;
    r.error = e;
    send_sync(to, std::move(r));
  };
  Errc error = Errc::none;
  CoordinatorShard* s = runtime_.shard_for(req.group_id, error);
  if (!s) return fail(error);
  ClassicGroup* found = s->find_group(req.group_id);
  if (!found || found->is(GroupState::empty)) return fail(Errc::unknown_member_id);
  ClassicGroup& g = *found;
  if (g.is(GroupState::dead)) return fail(Errc::coordinator_not_available);
  if (Errc e = validate_member(g, req.member_id, req.group_instance_id); e != Errc::none) return fail(e);
  if (req.generation_id != g.generation()) return fail(Errc::illegal_generation);
  if ((!req.protocol_type.empty() && req.protocol_type != g.protocol_type().value_or("")) ||
      (!req.protocol_name.empty() && req.protocol_name != g.protocol_name().value_or("")))
    return fail(Errc::inconsistent_group_protocol);
  if (g.is(GroupState::preparing_rebalance)) return fail(Errc::rebalance_in_progress);
  if (g.is(GroupState::stable)) {
    remove_pending_sync_member(g, req.member_id);
    SyncGroupResponse r;
    r.protocol_type = g.protocol_type().value_or("");
    r.protocol_name = g.protocol_name().value_or("");
    r.assignment = g.member(req.member_id)->assignment;
    return send_sync(to, std::move(r));
  }
  // CompletingRebalance: park the response until the leader's assignment is persisted.
  g.member(req.member_id)->awaiting_sync = to;
  remove_pending_sync_member(g, req.member_id);
  if (g.is_leader(req.member_id)) store_assignment(*s, g, req);
}

void GroupMetadataManager::store_assignment(CoordinatorShard& s, ClassicGroup& g, const SyncGroupRequest& req) {
  std::map<std::string, ConsumerAssignment> assignment;
  for (const auto& a : req.assignments) assignment[a.member_id] = a.assignment;
  for (const auto& m : g.members()) assignment.try_emplace(m.member_id);  // missing: empty
  GroupRecord rec = group_metadata_record(g);
  for (auto& mm : rec.group->members) mm.assignment = assignment[mm.member_id];
  const std::string group_id = g.group_id();
  const GenerationId generation = req.generation_id;
  runtime_.append(s, {std::move(rec)}, [this, group_id, generation, assignment](CoordinatorShard* shard, Errc e) {
    ClassicGroup* grp = shard ? shard->find_group(group_id) : nullptr;
    // Another member may have joined meanwhile: only the same generation
    // still in CompletingRebalance takes this assignment.
    if (!grp || !grp->is(GroupState::completing_rebalance) || grp->generation() != generation) return;
    if (e != Errc::none) {
      reset_and_propagate_assignment_with_error(*grp, append_error_to_response_error(e));
      return maybe_prepare_rebalance_or_complete_join(*shard, *grp, "storing the assignment failed");
    }
    on_assignment_stored(*shard, *grp, assignment);
  });
}

void GroupMetadataManager::on_assignment_stored(CoordinatorShard& s, ClassicGroup& g,
                                                const std::map<std::string, ConsumerAssignment>& assignment) {
  for (auto& m : g.members()) {
    auto a = assignment.find(m.member_id);
    m.assignment = a == assignment.end() ? ConsumerAssignment{} : a->second;
    if (m.awaiting_sync) {
      SyncGroupResponse r;
      r.protocol_type = g.protocol_type().value_or("");
      r.protocol_name = g.protocol_name().value_or("");
      r.assignment = m.assignment;
      send_sync(*m.awaiting_sync, std::move(r));
      m.awaiting_sync.reset();
      reschedule_heartbeat(s, g, m, m.session_timeout_ms);
    }
  }
  transition(g, GroupState::stable, "assignment persisted");
  trace_stable(g);
}

// --- Heartbeat ---------------------------------------------------------------------------

void GroupMetadataManager::handle(const ReplyTo& from, const HeartbeatRequest& req) {
  HeartbeatResponse r;
  r.correlation_id = req.correlation_id;
  auto reply = [&](Errc e) {
    r.error = e;
    env_.respond(from, r);
  };
  Errc error = Errc::none;
  CoordinatorShard* s = runtime_.shard_for(req.group_id, error);
  if (!s) return reply(error);
  ClassicGroup* found = s->find_group(req.group_id);
  if (!found) return reply(Errc::unknown_member_id);
  ClassicGroup& g = *found;
  if (g.is(GroupState::dead)) return reply(Errc::coordinator_not_available);
  if (Errc e = validate_member(g, req.member_id, req.group_instance_id); e != Errc::none) return reply(e);
  if (req.generation_id != g.generation()) return reply(Errc::illegal_generation);
  switch (g.state()) {
    case GroupState::empty:
      return reply(Errc::unknown_member_id);
    case GroupState::preparing_rebalance: {
      GroupMember& m = *g.member(req.member_id);
      reschedule_heartbeat(*s, g, m, m.session_timeout_ms);
      return reply(Errc::rebalance_in_progress);
    }
    case GroupState::completing_rebalance:
    case GroupState::stable: {
      GroupMember& m = *g.member(req.member_id);
      reschedule_heartbeat(*s, g, m, m.session_timeout_ms);
      return reply(Errc::none);
    }
    case GroupState::dead:
      return reply(Errc::coordinator_not_available);
  }
}

// --- LeaveGroup --------------------------------------------------------------------------

void GroupMetadataManager::handle(const ReplyTo& from, const LeaveGroupRequest& req) {
  LeaveGroupResponse resp;
  resp.correlation_id = req.correlation_id;
  Errc error = Errc::none;
  CoordinatorShard* s = runtime_.shard_for(req.group_id, error);
  ClassicGroup* g = s ? s->find_group(req.group_id) : nullptr;
  if (!s) {
    resp.error = error;
  } else if (!g) {
    resp.error = Errc::unknown_member_id;
  } else if (g->is(GroupState::dead)) {
    resp.error = Errc::coordinator_not_available;
  } else {
    bool any = false;
    // The rebalance's reason carries the client's (KIP-800), as Kafka's
    // GroupMetadataManager.classicGroupLeaveMember logs it: "client reason:
    // consumer poll timeout has expired." tells a poll timeout from a close().
    std::string client_reasons;
    for (const LeaveGroupMember& lm : req.members) {
      LeaveGroupMemberResponse mr = leave_member(*g, lm, client_reasons);
      if (mr.error == Errc::none) any = true;
      resp.members.push_back(std::move(mr));
    }
    if (any) {
      if (g->is(GroupState::stable) || g->is(GroupState::completing_rebalance))
        maybe_prepare_rebalance_or_complete_join(*s, *g, "member left; client reason: " + client_reasons);
      else if (g->is(GroupState::preparing_rebalance))
        maybe_complete_join_phase(*s, *g);
    }
  }
  env_.respond(from, std::move(resp));
}

LeaveGroupMemberResponse GroupMetadataManager::leave_member(ClassicGroup& g, const LeaveGroupMember& lm,
                                                            std::string& client_reasons) {
  LeaveGroupMemberResponse mr{lm.member_id, lm.group_instance_id, Errc::none};
  std::optional<std::string> target;
  if (lm.member_id.empty()) {
    // Administrative removal by group.instance.id.
    if (lm.group_instance_id) target = g.static_member_id(*lm.group_instance_id);
    if (!target) mr.error = Errc::unknown_member_id;
  } else if (g.is_pending_member(lm.member_id)) {
    g.remove(lm.member_id);
    runtime_.cancel_member_timer(g.group_id(), lm.member_id);
  } else if (Errc e = validate_member(g, lm.member_id, lm.group_instance_id); e != Errc::none) {
    mr.error = e;
  } else {
    target = lm.member_id;
  }
  if (target) {
    GroupMember& m = *g.member(*target);
    runtime_.cancel(m.heartbeat_timer);
    fail_parked_join(m, Errc::unknown_member_id);
    trace_removed(g, m, "leave");
    g.remove(*target);
    client_reasons += (client_reasons.empty() ? "" : "; ") + (lm.reason.empty() ? "not provided" : lm.reason);
  }
  return mr;
}

// --- validation --------------------------------------------------------------------------------

Errc GroupMetadataManager::validate_member(const ClassicGroup& g, const std::string& member_id,
                                           const std::optional<std::string>& instance_id) {
  if (instance_id) {
    auto existing = g.static_member_id(*instance_id);
    if (!existing) return Errc::unknown_member_id;
    if (*existing != member_id) return Errc::fenced_instance_id;
  }
  return g.has_member(member_id) ? Errc::none : Errc::unknown_member_id;
}

Errc GroupMetadataManager::append_error_to_response_error(Errc e) {
  switch (e) {
    case Errc::unknown_topic_or_partition:
    case Errc::not_enough_replicas:
    case Errc::not_enough_replicas_after_append:
    case Errc::request_timed_out:
      return Errc::coordinator_not_available;
    case Errc::not_leader_or_follower:
    case Errc::kafka_storage_error:
      return Errc::not_coordinator;
    case Errc::message_too_large:
    case Errc::record_list_too_large:
      return Errc::unknown_server_error;
    default:
      return e;
  }
}

// --- responses -----------------------------------------------------------------------------

void GroupMetadataManager::fail_parked_join(GroupMember& m, Errc error) {
  if (!m.awaiting_join) return;
  send_join_error(*m.awaiting_join, error, error == Errc::unknown_member_id ? "" : m.member_id);
  m.awaiting_join.reset();
}

void GroupMetadataManager::fail_parked_sync(GroupMember& m, Errc error) {
  if (!m.awaiting_sync) return;
  SyncGroupResponse r;
  r.error = error;
  send_sync(*m.awaiting_sync, std::move(r));
  m.awaiting_sync.reset();
}

void GroupMetadataManager::fail_parked_calls(GroupMember& m, Errc error) {
  fail_parked_join(m, error);
  fail_parked_sync(m, error);
}

void GroupMetadataManager::send_join_error(const PendingResponse& to, Errc error, std::string member_id) {
  JoinGroupResponse r;
  r.error = error;
  r.member_id = std::move(member_id);
  send_join(to, std::move(r));
}

void GroupMetadataManager::send_join(const PendingResponse& to, JoinGroupResponse r) {
  r.correlation_id = to.correlation_id;
  env_.respond(to.to, std::move(r));
}

void GroupMetadataManager::send_sync(const PendingResponse& to, SyncGroupResponse r) {
  r.correlation_id = to.correlation_id;
  env_.respond(to.to, std::move(r));
}

// --- records and trace -----------------------------------------------------------------------

GroupRecord GroupMetadataManager::group_metadata_record(const ClassicGroup& g) const {
  GroupRecord rec;
  rec.kind = GroupRecord::Kind::group_metadata;
  rec.group_id = g.group_id();
  rec.group = metadata_value(g);
  return rec;
}

GroupMetadataValue GroupMetadataManager::metadata_value(const ClassicGroup& g) const {
  GroupMetadataValue v;
  v.protocol_type = g.protocol_type().value_or("");
  v.generation = g.generation();
  v.protocol_name = g.protocol_name().value_or("");
  v.leader = g.leader().value_or("");
  v.current_state_timestamp_ms = env_.now().ms();
  for (const auto& m : g.members()) {
    GroupMetadataMember mm;
    mm.member_id = m.member_id;
    mm.group_instance_id = m.group_instance_id;
    mm.rebalance_timeout_ms = m.rebalance_timeout_ms;
    mm.session_timeout_ms = m.session_timeout_ms;
    if (const ConsumerSubscription* sub = m.metadata_for(v.protocol_name)) mm.subscription = *sub;
    mm.assignment = m.assignment;
    v.members.push_back(std::move(mm));
  }
  return v;
}

void GroupMetadataManager::transition(ClassicGroup& g, GroupState to, const std::string& reason) {
  const GroupState from = g.state();
  g.transition_to(to);
  trace_transition(g, from, reason);
}

void GroupMetadataManager::trace_transition(ClassicGroup& g, GroupState from, const std::string& reason) {
  g.current_state_timestamp_ms = env_.now().ms();  // ClassicGroup.currentStateTimestamp
  env_.trace(trace::GroupStateChanged{g.group_id(), std::string(group_state_name(from)),
                                      std::string(group_state_name(g.state())), g.generation(), reason});
}

void GroupMetadataManager::trace_removed(const ClassicGroup& g, const GroupMember& m, const std::string& reason) {
  env_.trace(trace::MemberRemoved{g.group_id(), m.member_id, m.group_instance_id.value_or(""), reason});
}

void GroupMetadataManager::trace_stable(const ClassicGroup& g) {
  trace::GroupStable st;
  st.group = g.group_id();
  st.generation = g.generation();
  st.leader = g.leader().value_or("");
  st.protocol = g.protocol_name().value_or("");
  for (const auto& m : g.members()) st.members.push_back(m.member_id);
  env_.trace(std::move(st));
}

}  // namespace ksim
