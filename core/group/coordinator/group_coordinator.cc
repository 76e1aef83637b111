#include "core/group/coordinator/group_coordinator.h"

#include <algorithm>
#include <cstdio>

#include "core/base/assert.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "core/trace/group_events.h"

namespace ksim {
namespace {

std::string tp_text(const TopicPartition& tp) { return tp.str(); }

}  // namespace

GroupCoordinator::GroupCoordinator(Env& env, const BrokerConfig& config, CoordinatorHost& host, TimerTag timer_tag)
    : env_(env), config_(config), host_(host), timer_tag_(timer_tag) {}

// --- ownership ---------------------------------------------------------------------

PartitionId GroupCoordinator::partition_for(const std::string& group_id) const {
  return offsets_partition_for(group_id, config_.offsets_topic_num_partitions);
}

GroupCoordinator::Shard* GroupCoordinator::shard_for(const std::string& group_id, Errc& error) {
  auto it = shards_.find(partition_for(group_id).value);
  if (it == shards_.end()) {
    error = Errc::not_coordinator;
    return nullptr;
  }
  if (it->second.loading) {
    error = Errc::coordinator_load_in_progress;
    return nullptr;
  }
  error = Errc::none;
  return &it->second;
}

GroupCoordinator::Shard* GroupCoordinator::shard_alive(int32_t partition, uint64_t incarnation) {
  auto it = shards_.find(partition);
  if (it == shards_.end() || it->second.incarnation != incarnation || it->second.loading) return nullptr;
  return &it->second;
}

bool GroupCoordinator::is_loaded(PartitionId p) const {
  auto it = shards_.find(p.value);
  return it != shards_.end() && !it->second.loading;
}

bool GroupCoordinator::is_loading(PartitionId p) const {
  auto it = shards_.find(p.value);
  return it != shards_.end() && it->second.loading;
}

const ClassicGroup* GroupCoordinator::group(const std::string& group_id) const {
  auto it = shards_.find(partition_for(group_id).value);
  if (it == shards_.end()) return nullptr;
  auto g = it->second.groups.find(group_id);
  return g == it->second.groups.end() ? nullptr : &g->second;
}

std::optional<OffsetCommitValue> GroupCoordinator::committed(const std::string& group_id,
                                                             const TopicPartition& tp) const {
  auto it = shards_.find(partition_for(group_id).value);
  if (it == shards_.end()) return std::nullopt;
  auto g = it->second.offsets.find(group_id);
  if (g == it->second.offsets.end()) return std::nullopt;
  auto o = g->second.find(tp);
  if (o == g->second.end()) return std::nullopt;
  return o->second;
}

void GroupCoordinator::on_offsets_partition_changed(PartitionId partition, bool leader_here, LeaderEpoch epoch) {
  auto it = shards_.find(partition.value);
  if (!leader_here) {
    if (it != shards_.end()) unload(partition.value);
    return;
  }
  if (it != shards_.end()) {
    // Still the leader (an ISR change) or re-elected with a newer epoch: the
    // log is the same one this broker has been writing; keep the state.
    it->second.leader_epoch = std::max(it->second.leader_epoch, epoch);
    return;
  }
  Shard& s = shards_[partition.value];
  s.loading = true;
  s.leader_epoch = epoch;
  s.incarnation = next_incarnation_++;
  s.load_started = env_.now();
  const PartitionLog* log = host_.offsets_log(partition);
  const int64_t bytes = log ? log->size_bytes() : 0;
  // 1 ms to start, then the log's bytes at the configured rate.
  const Duration load_time = millis(1) + micros(bytes * 1000 / std::max<int64_t>(1, config_.group_coordinator_load_bytes_per_ms));
  TimerAction a;
  a.kind = TimerKind::load;
  a.partition = partition.value;
  a.incarnation = s.incarnation;
  s.load_timer = arm(load_time, a);
}

void GroupCoordinator::finish_load(int32_t partition) {
  Shard& s = shards_.at(partition);
  s.loading = false;
  s.load_timer = {};
  std::map<std::string, std::optional<GroupMetadataValue>> metadata;
  int32_t offsets = 0;
  if (const PartitionLog* log = host_.offsets_log(PartitionId(partition))) {
    for (const LogSegment& seg : log->segments())
      for (const RecordBatch& b : seg.batches())
        for (const Record& r : b.records) {
          auto rec = decode_group_record(r);
          if (!rec) continue;
          if (rec->kind == GroupRecord::Kind::offset_commit) {
            if (rec->offset) s.offsets[rec->group_id][rec->tp] = *rec->offset;
            else s.offsets[rec->group_id].erase(rec->tp);
          } else {
            metadata[rec->group_id] = rec->group;
          }
        }
  }
  for (auto& [group_id, value] : metadata) {
    if (!value) continue;  // deleted
    ClassicGroup g(group_id);
    std::vector<GroupMember> members;
    for (const auto& mm : value->members) {
      GroupMember m;
      m.member_id = mm.member_id;
      m.group_instance_id = mm.group_instance_id;
      m.session_timeout_ms = mm.session_timeout_ms;
      m.rebalance_timeout_ms = mm.rebalance_timeout_ms;
      m.protocol_type = value->protocol_type;
      m.protocols.push_back(JoinGroupProtocol{value->protocol_name, mm.subscription});
      m.assignment = mm.assignment;
      members.push_back(std::move(m));
    }
    g.load(value->generation, value->protocol_type.empty() ? std::nullopt : std::optional(value->protocol_type),
           value->protocol_name.empty() ? std::nullopt : std::optional(value->protocol_name),
           value->leader.empty() ? std::nullopt : std::optional(value->leader), std::move(members));
    g.current_state_timestamp_ms = value->current_state_timestamp_ms;
    s.groups.emplace(group_id, std::move(g));
  }
  // Offsets deleted by tombstones leave nothing behind (an expired group stays gone).
  std::erase_if(s.offsets, [](const auto& kv) { return kv.second.empty(); });
  // Groups known only by their offsets come back as simple Empty groups.
  for (auto& [group_id, o] : s.offsets) {
    offsets += static_cast<int32_t>(o.size());
    if (!s.groups.count(group_id)) s.groups.emplace(group_id, ClassicGroup(group_id));
  }
  for (auto& [group_id, g] : s.groups) {
    for (auto& m : g.members()) reschedule_heartbeat(s, g, m, m.session_timeout_ms);
    if (g.is(GroupState::stable))
      env_.trace(trace::GroupStateChanged{group_id, "Empty", std::string(group_state_name(g.state())), g.generation(),
                                          "loaded"});
  }
  env_.trace(trace::CoordinatorLoaded{config_.broker_id, PartitionId(partition), s.leader_epoch,
                                      static_cast<int32_t>(s.groups.size()), offsets,
                                      (env_.now() - s.load_started).us});
  // GroupCoordinatorShard schedules the group metadata cleanup on load, every
  // offsets.retention.check.interval.ms.
  TimerAction a;
  a.kind = TimerKind::expire_offsets;
  a.partition = partition;
  a.incarnation = s.incarnation;
  arm(millis(config_.offsets_retention_check_interval_ms), a);
}

void GroupCoordinator::unload(int32_t partition) {
  Shard& s = shards_.at(partition);
  cancel(s.load_timer);
  const int32_t groups = static_cast<int32_t>(s.groups.size());
  for (auto& [group_id, g] : s.groups) {
    cancel(g.join_timer);
    cancel(g.sync_timer);
    for (auto& m : g.members()) {
      cancel(m.heartbeat_timer);
      if (m.awaiting_join) {
        JoinGroupResponse r;
        r.error = Errc::not_coordinator;
        r.member_id = m.member_id;
        send_join(*m.awaiting_join, std::move(r));
        m.awaiting_join.reset();
      }
      if (m.awaiting_sync) {
        SyncGroupResponse r;
        r.error = Errc::not_coordinator;
        send_sync(*m.awaiting_sync, std::move(r));
        m.awaiting_sync.reset();
      }
    }
    if (!s.loading) transition(g, GroupState::dead, "coordinator unloaded");
  }
  // Pending members' timers.
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (it->second.partition == partition && it->second.incarnation == s.incarnation) {
      env_.cancel_timer(TimerId{it->first});
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
  shards_.erase(partition);
  env_.trace(trace::CoordinatorUnloaded{config_.broker_id, PartitionId(partition), groups});
}

// --- timers --------------------------------------------------------------------------

TimerId GroupCoordinator::arm(Duration after, TimerAction action) {
  const TimerId id = env_.set_timer(after, timer_tag_);
  timers_.emplace(id.value, std::move(action));
  return id;
}

void GroupCoordinator::cancel(TimerId& id) {
  if (!id.valid()) return;
  env_.cancel_timer(id);
  timers_.erase(id.value);
  id = {};
}

void GroupCoordinator::cancel_member_timer(const std::string& group_id, const std::string& member_id) {
  // One heartbeat timer per (group, member), as Kafka's timer keys: a pending
  // member's MEMBER_ID_REQUIRED deadline goes when it joins for real.
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (it->second.kind == TimerKind::heartbeat && it->second.group == group_id && it->second.member == member_id) {
      env_.cancel_timer(TimerId{it->first});
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
}

void GroupCoordinator::reschedule_heartbeat(const Shard& s, ClassicGroup& g, GroupMember& m, int32_t timeout_ms) {
  cancel(m.heartbeat_timer);
  cancel_member_timer(g.group_id(), m.member_id);
  TimerAction a;
  a.kind = TimerKind::heartbeat;
  a.partition = partition_for(g.group_id()).value;
  a.incarnation = s.incarnation;
  a.group = g.group_id();
  a.member = m.member_id;
  m.heartbeat_timer = arm(millis(timeout_ms), std::move(a));
}

void GroupCoordinator::on_timer(TimerId id) {
  auto it = timers_.find(id.value);
  if (it == timers_.end()) return;  // cancelled
  const TimerAction a = std::move(it->second);
  timers_.erase(it);
  if (a.kind == TimerKind::load) {
    auto s = shards_.find(a.partition);
    if (s != shards_.end() && s->second.incarnation == a.incarnation && s->second.loading) finish_load(a.partition);
    return;
  }
  Shard* s = shard_alive(a.partition, a.incarnation);
  if (!s) return;
  if (a.kind == TimerKind::expire_offsets) {
    cleanup_group_metadata(*s, a.partition);
    arm(millis(config_.offsets_retention_check_interval_ms), a);
    return;
  }
  auto g = s->groups.find(a.group);
  if (g == s->groups.end()) return;
  ClassicGroup& group = g->second;
  switch (a.kind) {
    case TimerKind::heartbeat:
      if (GroupMember* m = group.member(a.member)) m->heartbeat_timer = {};
      expire_heartbeat(*s, group, a.member);
      break;
    case TimerKind::join:
      group.join_timer = {};
      complete_join(*s, group);
      break;
    case TimerKind::initial_join:
      group.join_timer = {};
      try_complete_initial_rebalance(*s, group, a.delay_ms, a.remaining_ms);
      break;
    case TimerKind::sync:
      group.sync_timer = {};
      expire_pending_sync(*s, group, a.generation);
      break;
    case TimerKind::load:
    case TimerKind::expire_offsets:
      break;
  }
}

// --- JoinGroup -------------------------------------------------------------------------

void GroupCoordinator::handle(const ReplyTo& from, const JoinGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  auto fail = [&](Errc e, std::string member_id) {
    JoinGroupResponse r;
    r.error = e;
    r.member_id = std::move(member_id);
    send_join(to, std::move(r));
  };
  Errc error = Errc::none;
  Shard* s = shard_for(req.group_id, error);
  if (!s) return fail(error, req.member_id);
  if (req.session_timeout_ms < config_.group_min_session_timeout_ms ||
      req.session_timeout_ms > config_.group_max_session_timeout_ms)
    return fail(Errc::invalid_session_timeout, req.member_id);
  const bool unknown_member = req.member_id.empty();
  auto it = s->groups.find(req.group_id);
  if (it == s->groups.end()) {
    if (!unknown_member) return fail(Errc::unknown_member_id, req.member_id);
    it = s->groups.emplace(req.group_id, ClassicGroup(req.group_id)).first;
  }
  ClassicGroup& g = it->second;
  if (!accept_joining_member(g, req.member_id)) {
    // GroupMetadataManager.classicGroupJoinToClassicGroup: the member is
    // dropped (a pending one too) and told GROUP_MAX_SIZE_REACHED.
    if (g.is_pending_member(req.member_id)) {
      g.remove(req.member_id);
      cancel_member_timer(g.group_id(), req.member_id);
    } else if (GroupMember* m = g.member(req.member_id)) {
      cancel(m->heartbeat_timer);
      trace_removed(g, *m, "group_max_size_reached");
      g.remove(req.member_id);
      if (g.is(GroupState::preparing_rebalance)) maybe_complete_join_phase(*s, g);
    }
    return fail(Errc::group_max_size_reached, "");
  }
  if (unknown_member) join_new_member(*s, g, from, req);
  else join_existing_member(*s, g, from, req);
}

bool GroupCoordinator::accept_joining_member(const ClassicGroup& g, const std::string& member_id) const {
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

void GroupCoordinator::join_new_member(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  auto fail = [&](Errc e) {
    JoinGroupResponse r;
    r.error = e;
    send_join(to, std::move(r));
  };
  if (g.is(GroupState::dead)) return fail(Errc::coordinator_not_available);
  if (!g.supports_protocols(req.protocol_type, req.protocols)) return fail(Errc::inconsistent_group_protocol);
  const std::string new_id = new_member_id(req.group_instance_id);
  if (req.group_instance_id) {
    if (auto existing = g.static_member_id(*req.group_instance_id))
      return update_static_member_then_rebalance(s, g, from, req, *existing, new_id);
    return add_member_then_rebalance(s, g, from, req, new_id);
  }
  // KIP-394 (JoinGroup v4+): a dynamic member must come back with its id.
  g.add_pending_member(new_id);
  TimerAction a;
  a.kind = TimerKind::heartbeat;
  a.partition = partition_for(g.group_id()).value;
  a.incarnation = s.incarnation;
  a.group = g.group_id();
  a.member = new_id;
  arm(millis(req.session_timeout_ms), std::move(a));
  JoinGroupResponse r;
  r.error = Errc::member_id_required;
  r.member_id = new_id;
  send_join(to, std::move(r));
}

void GroupCoordinator::join_existing_member(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  auto fail = [&](Errc e) {
    JoinGroupResponse r;
    r.error = e;
    r.member_id = req.member_id;
    send_join(to, std::move(r));
  };
  if (g.is(GroupState::dead)) return fail(Errc::coordinator_not_available);
  if (!g.supports_protocols(req.protocol_type, req.protocols)) return fail(Errc::inconsistent_group_protocol);
  if (g.is_pending_member(req.member_id)) {
    KSIM_ASSERT_MSG(!req.group_instance_id, "pending member " << req.member_id << " cannot be static");
    return add_member_then_rebalance(s, g, from, req, req.member_id);
  }
  if (Errc e = validate_member(g, req.member_id, req.group_instance_id); e != Errc::none) return fail(e);
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
      return fail(Errc::unknown_member_id);
  }
}

void GroupCoordinator::add_member_then_rebalance(Shard& s, ClassicGroup& g, const ReplyTo& from, const JoinGroupRequest& req,
                                                 const std::string& member_id) {
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

void GroupCoordinator::update_member_then_rebalance(Shard& s, ClassicGroup& g, GroupMember& m, const ReplyTo& from,
                                                    const JoinGroupRequest& req, const std::string& reason) {
  m.protocols = req.protocols;
  m.rebalance_timeout_ms = req.rebalance_timeout_ms;
  m.session_timeout_ms = req.session_timeout_ms;
  m.awaiting_join = PendingResponse{from, req.correlation_id};
  // KIP-800: the client says why it rejoins ("cached metadata has changed").
  maybe_prepare_rebalance_or_complete_join(s, g, req.reason.empty() ? reason : reason + "; client reason: " + req.reason);
}

void GroupCoordinator::update_static_member_then_rebalance(Shard& s, ClassicGroup& g, const ReplyTo& from,
                                                           const JoinGroupRequest& req, const std::string& old_id,
                                                           const std::string& new_id) {
  GroupMember& old = *g.member(old_id);
  // The process that held the instance id is fenced: its parked calls fail.
  if (old.awaiting_join) {
    JoinGroupResponse r;
    r.error = Errc::fenced_instance_id;
    r.member_id = old_id;
    send_join(*old.awaiting_join, std::move(r));
  }
  if (old.awaiting_sync) {
    SyncGroupResponse r;
    r.error = Errc::fenced_instance_id;
    send_sync(*old.awaiting_sync, std::move(r));
  }
  cancel(old.heartbeat_timer);
  trace_removed(g, old, "fenced_static_instance");
  const auto old_protocols = old.protocols;
  const int32_t old_session = old.session_timeout_ms;
  const int32_t old_rebalance = old.rebalance_timeout_ms;
  GroupMember& m = g.replace_static_member(*req.group_instance_id, old_id, new_id);
  env_.trace(trace::MemberJoined{g.group_id(), new_id, *req.group_instance_id, req.session_timeout_ms,
                                 req.rebalance_timeout_ms});
  reschedule_heartbeat(s, g, m, m.session_timeout_ms);
  m.protocols = req.protocols;
  m.rebalance_timeout_ms = req.rebalance_timeout_ms;
  m.session_timeout_ms = req.session_timeout_ms;
  m.awaiting_join = PendingResponse{from, req.correlation_id};

  switch (g.state()) {
    case GroupState::stable: {
      if (g.protocol_name().value_or("") != g.select_protocol())
        return maybe_prepare_rebalance_or_complete_join(s, g, "static member changed the protocol");
      // KIP-345: same protocol, no rebalance. Persist the new member id, then
      // answer with the current generation (the leader skips assignment, KIP-814).
      const int32_t partition = partition_for(g.group_id()).value;
      const std::string group_id = g.group_id();
      const std::string instance = *req.group_instance_id;
      const PendingResponse to{from, req.correlation_id};
      GroupRecord rec;
      rec.kind = GroupRecord::Kind::group_metadata;
      rec.group_id = group_id;
      rec.group = metadata_value(g);
      return append(s, partition, {std::move(rec)},
                    [this, group_id, new_id, old_id, instance, old_protocols, old_session, old_rebalance, to](
                        Shard* shard, Errc e) {
                      ClassicGroup* grp = nullptr;
                      if (shard) {
                        auto it = shard->groups.find(group_id);
                        if (it != shard->groups.end()) grp = &it->second;
                      }
                      GroupMember* mem = grp ? grp->member(new_id) : nullptr;
                      if (!mem || !mem->awaiting_join) return;  // answered elsewhere (unloaded, rebalanced)
                      if (e != Errc::none) {
                        mem->awaiting_join.reset();
                        mem->protocols = old_protocols;
                        mem->session_timeout_ms = old_session;
                        mem->rebalance_timeout_ms = old_rebalance;
                        GroupMember& back = grp->replace_static_member(instance, new_id, old_id);
                        reschedule_heartbeat(*shard, *grp, back, back.session_timeout_ms);
                        JoinGroupResponse r;
                        r.error = append_error_to_response_error(e);
                        r.generation_id = grp->generation();
                        send_join(to, std::move(r));
                        return;
                      }
                      mem->awaiting_join.reset();
                      const bool leader = grp->is_leader(new_id);
                      JoinGroupResponse r = current_generation_response(*grp, new_id, leader);
                      r.skip_assignment = leader;
                      send_join(to, std::move(r));
                    });
    }
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

void GroupCoordinator::maybe_prepare_rebalance_or_complete_join(Shard& s, ClassicGroup& g, const std::string& reason) {
  if (is_legal_group_transition(g.state(), GroupState::preparing_rebalance)) return prepare_rebalance(s, g, reason);
  maybe_complete_join_phase(s, g);
}

void GroupCoordinator::prepare_rebalance(Shard& s, ClassicGroup& g, const std::string& reason) {
  if (g.is(GroupState::completing_rebalance)) reset_and_propagate_assignment_with_error(g, Errc::rebalance_in_progress);
  cancel(g.sync_timer);
  const bool initial = g.is(GroupState::empty);
  TimerAction a;
  a.partition = partition_for(g.group_id()).value;
  a.incarnation = s.incarnation;
  a.group = g.group_id();
  if (initial) {
    // group.initial.rebalance.delay.ms: give a new group's members time to arrive.
    a.kind = TimerKind::initial_join;
    a.delay_ms = config_.group_initial_rebalance_delay_ms;
    a.remaining_ms = std::max(g.rebalance_timeout_ms() - config_.group_initial_rebalance_delay_ms, 0);
    cancel(g.join_timer);
    g.join_timer = arm(millis(a.delay_ms), a);
  }
  transition(g, GroupState::preparing_rebalance, reason);
  if (initial) return;
  if (g.has_all_members_joined()) return complete_join(s, g);
  a.kind = TimerKind::join;
  cancel(g.join_timer);
  g.join_timer = arm(millis(g.rebalance_timeout_ms()), a);
}

void GroupCoordinator::maybe_complete_join_phase(Shard& s, ClassicGroup& g) {
  if (!g.is(GroupState::preparing_rebalance)) return;
  if (g.previous_state() == GroupState::empty) return;  // the initial delay decides
  if (!g.has_all_members_joined()) return;
  complete_join(s, g);
}

void GroupCoordinator::try_complete_initial_rebalance(Shard& s, ClassicGroup& g, int32_t delay_ms,
                                                      int32_t remaining_ms) {
  if (g.new_member_added() && remaining_ms != 0) {
    g.set_new_member_added(false);
    TimerAction a;
    a.kind = TimerKind::initial_join;
    a.partition = partition_for(g.group_id()).value;
    a.incarnation = s.incarnation;
    a.group = g.group_id();
    a.delay_ms = std::min(config_.group_initial_rebalance_delay_ms, remaining_ms);
    a.remaining_ms = std::max(remaining_ms - delay_ms, 0);
    g.join_timer = arm(millis(a.delay_ms), a);
    return;
  }
  complete_join(s, g);
}

void GroupCoordinator::complete_join(Shard& s, ClassicGroup& g) {
  cancel(g.join_timer);
  if (!g.is(GroupState::preparing_rebalance)) return;
  // Dynamic members that did not rejoin in time are removed; static ones stay
  // until their session expires (KIP-345).
  std::vector<std::string> gone;
  for (const auto& m : g.members())
    if (!m.awaiting_join && !m.is_static()) gone.push_back(m.member_id);
  for (const auto& id : gone) {
    GroupMember& m = *g.member(id);
    cancel(m.heartbeat_timer);
    trace_removed(g, m, "rebalance_timeout");
    g.remove(id);
  }
  if (!g.maybe_elect_new_joined_leader() && !g.members().empty()) {
    // Nobody rejoined: wait another rebalance timeout for sessions to expire.
    TimerAction a;
    a.kind = TimerKind::join;
    a.partition = partition_for(g.group_id()).value;
    a.incarnation = s.incarnation;
    a.group = g.group_id();
    g.join_timer = arm(millis(g.rebalance_timeout_ms()), a);
    return;
  }
  const GroupState before = g.state();
  g.init_next_generation();
  trace_transition(g, before, g.is(GroupState::empty) ? "all members left" : "join phase complete");
  if (g.is(GroupState::empty)) {
    GroupRecord rec;
    rec.kind = GroupRecord::Kind::group_metadata;
    rec.group_id = g.group_id();
    rec.group = metadata_value(g);
    // A failure is harmless: an empty generation has no members to confuse.
    return append(s, partition_for(g.group_id()).value, {std::move(rec)}, [](Shard*, Errc) {});
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
  TimerAction a;
  a.kind = TimerKind::sync;
  a.partition = partition_for(g.group_id()).value;
  a.incarnation = s.incarnation;
  a.group = g.group_id();
  a.generation = g.generation();
  g.sync_timer = arm(millis(g.rebalance_timeout_ms()), a);
}

JoinGroupResponse GroupCoordinator::current_generation_response(const ClassicGroup& g, const std::string& member_id,
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

std::string GroupCoordinator::new_member_id(const std::optional<std::string>& instance_id) {
  // Kafka: clientId (or group.instance.id) + "-" + a random UUID. The request
  // carries no client id here, so dynamic members are "consumer-<hex>".
  char hex[17];
  std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(env_.rng().next_u64() & 0xffffffffu));
  return instance_id.value_or("consumer") + "-" + hex;
}

// --- expiry ----------------------------------------------------------------------------

void GroupCoordinator::expire_heartbeat(Shard& s, ClassicGroup& g, const std::string& member_id) {
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

void GroupCoordinator::remove_member_and_update(Shard& s, ClassicGroup& g, const std::string& member_id,
                                                const std::string& reason) {
  GroupMember& m = *g.member(member_id);
  if (m.awaiting_join) {
    JoinGroupResponse r;
    r.error = Errc::unknown_member_id;
    send_join(*m.awaiting_join, std::move(r));
    m.awaiting_join.reset();
  }
  if (m.awaiting_sync) {
    SyncGroupResponse r;
    r.error = Errc::unknown_member_id;
    send_sync(*m.awaiting_sync, std::move(r));
    m.awaiting_sync.reset();
  }
  cancel(m.heartbeat_timer);
  trace_removed(g, m, reason);
  g.remove(member_id);
  if (g.is(GroupState::stable) || g.is(GroupState::completing_rebalance))
    return maybe_prepare_rebalance_or_complete_join(s, g, "member removed (" + reason + ")");
  if (g.is(GroupState::preparing_rebalance) && g.has_all_members_joined()) complete_join(s, g);
}

void GroupCoordinator::expire_pending_sync(Shard& s, ClassicGroup& g, GenerationId generation) {
  if (generation != g.generation()) return;
  if (!g.is(GroupState::completing_rebalance) && !g.is(GroupState::stable)) return;
  if (g.pending_sync_members().empty()) return;
  const std::vector<std::string> pending(g.pending_sync_members().begin(), g.pending_sync_members().end());
  for (const auto& id : pending) {
    GroupMember* m = g.member(id);
    if (!m) continue;
    cancel(m->heartbeat_timer);
    if (m->awaiting_sync) {
      SyncGroupResponse r;
      r.error = Errc::unknown_member_id;
      send_sync(*m->awaiting_sync, std::move(r));
      m->awaiting_sync.reset();
    }
    trace_removed(g, *m, "rebalance_timeout");
    g.remove(id);
  }
  prepare_rebalance(s, g, "members did not sync in time");
}

void GroupCoordinator::remove_pending_sync_member(ClassicGroup& g, const std::string& member_id) {
  g.pending_sync_members().erase(member_id);
  if (g.pending_sync_members().empty()) cancel(g.sync_timer);
}

void GroupCoordinator::reset_and_propagate_assignment_with_error(ClassicGroup& g, Errc error) {
  KSIM_ASSERT(g.is(GroupState::completing_rebalance));
  for (auto& m : g.members()) {
    m.assignment = {};
    if (m.awaiting_sync) {
      SyncGroupResponse r;
      r.error = error;
      send_sync(*m.awaiting_sync, std::move(r));
      m.awaiting_sync.reset();
    }
  }
}

// --- SyncGroup ---------------------------------------------------------------------------

void GroupCoordinator::handle(const ReplyTo& from, const SyncGroupRequest& req) {
  const PendingResponse to{from, req.correlation_id};
  auto fail = [&](Errc e) {
    SyncGroupResponse r;
    r.error = e;
    send_sync(to, std::move(r));
  };
  Errc error = Errc::none;
  Shard* s = shard_for(req.group_id, error);
  if (!s) return fail(error);
  auto it = s->groups.find(req.group_id);
  if (it == s->groups.end() || it->second.is(GroupState::empty)) return fail(Errc::unknown_member_id);
  ClassicGroup& g = it->second;
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
  if (!g.is_leader(req.member_id)) return;
  std::map<std::string, ConsumerAssignment> assignment;
  for (const auto& a : req.assignments) assignment[a.member_id] = a.assignment;
  for (const auto& m : g.members()) assignment.try_emplace(m.member_id);  // missing: empty
  GroupRecord rec;
  rec.kind = GroupRecord::Kind::group_metadata;
  rec.group_id = g.group_id();
  rec.group = metadata_value(g);
  for (auto& mm : rec.group->members) mm.assignment = assignment[mm.member_id];
  const std::string group_id = g.group_id();
  const GenerationId generation = req.generation_id;
  const std::string leader = req.member_id;
  append(*s, partition_for(group_id).value, {std::move(rec)},
         [this, group_id, generation, assignment, leader](Shard* shard, Errc e) {
           if (!shard) return;
           auto it = shard->groups.find(group_id);
           if (it == shard->groups.end()) return;
           ClassicGroup& grp = it->second;
           // Another member may have joined meanwhile: only the same generation
           // still in CompletingRebalance takes this assignment.
           if (!grp.is(GroupState::completing_rebalance) || grp.generation() != generation) return;
           if (e != Errc::none) {
             reset_and_propagate_assignment_with_error(grp, append_error_to_response_error(e));
             return maybe_prepare_rebalance_or_complete_join(*shard, grp, "storing the assignment failed");
           }
           for (auto& m : grp.members()) {
             auto a = assignment.find(m.member_id);
             m.assignment = a == assignment.end() ? ConsumerAssignment{} : a->second;
             if (m.awaiting_sync) {
               SyncGroupResponse r;
               r.protocol_type = grp.protocol_type().value_or("");
               r.protocol_name = grp.protocol_name().value_or("");
               r.assignment = m.assignment;
               send_sync(*m.awaiting_sync, std::move(r));
               m.awaiting_sync.reset();
               reschedule_heartbeat(*shard, grp, m, m.session_timeout_ms);
             }
           }
           transition(grp, GroupState::stable, "assignment persisted");
           trace::GroupStable st;
           st.group = group_id;
           st.generation = grp.generation();
           st.leader = grp.leader().value_or("");
           st.protocol = grp.protocol_name().value_or("");
           for (const auto& m : grp.members()) st.members.push_back(m.member_id);
           env_.trace(std::move(st));
         });
}

// --- Heartbeat ---------------------------------------------------------------------------

void GroupCoordinator::handle(const ReplyTo& from, const HeartbeatRequest& req) {
  HeartbeatResponse r;
  r.correlation_id = req.correlation_id;
  auto reply = [&](Errc e) {
    r.error = e;
    env_.respond(from, r);
  };
  Errc error = Errc::none;
  Shard* s = shard_for(req.group_id, error);
  if (!s) return reply(error);
  auto it = s->groups.find(req.group_id);
  if (it == s->groups.end()) return reply(Errc::unknown_member_id);
  ClassicGroup& g = it->second;
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

void GroupCoordinator::handle(const ReplyTo& from, const LeaveGroupRequest& req) {
  LeaveGroupResponse resp;
  resp.correlation_id = req.correlation_id;
  Errc error = Errc::none;
  Shard* s = shard_for(req.group_id, error);
  auto it = s ? s->groups.find(req.group_id) : decltype(s->groups.end()){};
  if (!s) {
    resp.error = error;
  } else if (it == s->groups.end()) {
    resp.error = Errc::unknown_member_id;
  } else if (it->second.is(GroupState::dead)) {
    resp.error = Errc::coordinator_not_available;
  } else {
    ClassicGroup& g = it->second;
    bool any = false;
    // The rebalance's reason carries the client's (KIP-800), as Kafka's
    // GroupMetadataManager.classicGroupLeaveMember logs it: "client reason:
    // consumer poll timeout has expired." tells a poll timeout from a close().
    std::string client_reasons;
    for (const LeaveGroupMember& lm : req.members) {
      LeaveGroupMemberResponse mr{lm.member_id, lm.group_instance_id, Errc::none};
      std::optional<std::string> target;
      if (lm.member_id.empty()) {
        // Administrative removal by group.instance.id.
        if (lm.group_instance_id) target = g.static_member_id(*lm.group_instance_id);
        if (!target) mr.error = Errc::unknown_member_id;
      } else if (g.is_pending_member(lm.member_id)) {
        g.remove(lm.member_id);
        cancel_member_timer(g.group_id(), lm.member_id);
      } else if (Errc e = validate_member(g, lm.member_id, lm.group_instance_id); e != Errc::none) {
        mr.error = e;
      } else {
        target = lm.member_id;
      }
      if (target) {
        GroupMember& m = *g.member(*target);
        cancel(m.heartbeat_timer);
        if (m.awaiting_join) {
          JoinGroupResponse r;
          r.error = Errc::unknown_member_id;
          send_join(*m.awaiting_join, std::move(r));
          m.awaiting_join.reset();
        }
        trace_removed(g, m, "leave");
        g.remove(*target);
        client_reasons += (client_reasons.empty() ? "" : "; ") + (lm.reason.empty() ? "not provided" : lm.reason);
      }
      if (mr.error == Errc::none) any = true;
      resp.members.push_back(std::move(mr));
    }
    if (any) {
      if (g.is(GroupState::stable) || g.is(GroupState::completing_rebalance))
        maybe_prepare_rebalance_or_complete_join(*s, g, "member left; client reason: " + client_reasons);
      else if (g.is(GroupState::preparing_rebalance))
        maybe_complete_join_phase(*s, g);
    }
  }
  env_.respond(from, std::move(resp));
}

// --- offsets -------------------------------------------------------------------------------

void GroupCoordinator::handle(const ReplyTo& from, const OffsetCommitRequest& req) {
  OffsetCommitResponse resp;
  resp.correlation_id = req.correlation_id;
  auto fail_all = [&](Errc e) {
    for (const auto& p : req.partitions) resp.partitions.push_back({p.tp, e});
    env_.respond(from, resp);
  };
  Errc error = Errc::none;
  Shard* s = shard_for(req.group_id, error);
  if (!s) return fail_all(error);
  auto it = s->groups.find(req.group_id);
  if (it == s->groups.end()) {
    // OffsetMetadataManager.validateOffsetCommit: generation -1 creates a
    // simple group; otherwise the group must exist (GROUP_ID_NOT_FOUND, v9+).
    if (req.generation_id.value >= 0) return fail_all(Errc::group_id_not_found);
    it = s->groups.emplace(req.group_id, ClassicGroup(req.group_id)).first;
  }
  if (Errc e = validate_offset_commit(it->second, req); e != Errc::none) return fail_all(e);
  if (req.partitions.empty()) return fail_all(Errc::none);
  std::vector<GroupRecord> records;
  const int64_t now_ms = env_.now().ms();
  for (const auto& p : req.partitions) {
    GroupRecord rec;
    rec.kind = GroupRecord::Kind::offset_commit;
    rec.group_id = req.group_id;
    rec.tp = p.tp;
    rec.offset = OffsetCommitValue{p.committed_offset, p.committed_leader_epoch, p.committed_metadata, now_ms};
    records.push_back(std::move(rec));
  }
  for (const auto& p : req.partitions) ++s->pending_commits[{req.group_id, p.tp}];
  append(*s, partition_for(req.group_id).value, std::move(records),
         [this, from, req](Shard* shard, Errc e) {
           if (shard) {
             for (const auto& p : req.partitions) {
               auto pc = shard->pending_commits.find({req.group_id, p.tp});
               if (pc != shard->pending_commits.end() && --pc->second <= 0) shard->pending_commits.erase(pc);
             }
           }
           OffsetCommitResponse r;
           r.correlation_id = req.correlation_id;
           const Errc answer = shard == nullptr && e == Errc::none ? Errc::not_coordinator
                                                                   : append_error_to_response_error(e);
           if (answer == Errc::none) {
             trace::OffsetsCommitted t;
             t.group = req.group_id;
             t.generation = req.generation_id;
             t.member = req.member_id;
             for (const auto& p : req.partitions) {
               shard->offsets[req.group_id][p.tp] =
                   OffsetCommitValue{p.committed_offset, p.committed_leader_epoch, p.committed_metadata, env_.now().ms()};
               t.partitions.push_back(tp_text(p.tp));
               t.offsets.push_back(p.committed_offset);
             }
             env_.trace(std::move(t));
           }
           for (const auto& p : req.partitions) r.partitions.push_back({p.tp, answer});
           env_.respond(from, std::move(r));
         });
}

void GroupCoordinator::handle(const ReplyTo& from, const OffsetFetchRequest& req) {
  OffsetFetchResponse resp;
  resp.correlation_id = req.correlation_id;
  Errc error = Errc::none;
  Shard* s = shard_for(req.group_id, error);
  if (!s) {
    resp.error = error;
    return env_.respond(from, std::move(resp));
  }
  const auto it = s->offsets.find(req.group_id);
  auto answer = [&](const TopicPartition& tp) {
    OffsetFetchPartitionResponse p;
    p.tp = tp;
    if (it != s->offsets.end()) {
      auto o = it->second.find(tp);
      if (o != it->second.end()) {
        p.committed_offset = o->second.offset;
        p.committed_leader_epoch = o->second.leader_epoch;
        p.metadata = o->second.metadata;
      }
    }
    resp.partitions.push_back(std::move(p));
  };
  if (req.all_partitions) {
    if (it != s->offsets.end())
      for (const auto& [tp, o] : it->second) answer(tp);
  } else {
    for (const auto& tp : req.partitions) answer(tp);
  }
  env_.respond(from, std::move(resp));
}

// --- validation --------------------------------------------------------------------------------

Errc GroupCoordinator::validate_member(const ClassicGroup& g, const std::string& member_id,
                                       const std::optional<std::string>& instance_id) {
  if (instance_id) {
    auto existing = g.static_member_id(*instance_id);
    if (!existing) return Errc::unknown_member_id;
    if (*existing != member_id) return Errc::fenced_instance_id;
  }
  return g.has_member(member_id) ? Errc::none : Errc::unknown_member_id;
}

Errc GroupCoordinator::validate_offset_commit(const ClassicGroup& g, const OffsetCommitRequest& req) {
  if (g.is(GroupState::dead)) return Errc::coordinator_not_available;
  if (req.generation_id.value < 0 && g.is(GroupState::empty)) return Errc::none;  // a standalone commit
  if (req.generation_id.value >= 0 || !req.member_id.empty() || req.group_instance_id) {
    if (Errc e = validate_member(g, req.member_id, req.group_instance_id); e != Errc::none) return e;
    if (req.generation_id != g.generation()) return Errc::illegal_generation;
  } else if (!g.is(GroupState::empty)) {
    return Errc::unknown_member_id;
  }
  if (g.is(GroupState::completing_rebalance)) return Errc::rebalance_in_progress;
  return Errc::none;
}

Errc GroupCoordinator::append_error_to_response_error(Errc e) {
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

// --- writes ------------------------------------------------------------------------------------

void GroupCoordinator::append(Shard& s, int32_t partition, std::vector<GroupRecord> records,
                              std::function<void(Shard*, Errc)> done) {
  std::vector<Record> out;
  const int64_t now_ms = env_.now().ms();
  for (const auto& r : records) {
    // Internal records get ids in the broker's own id space (bit 39 set), so
    // they never collide with a producer's records.
    out.push_back(encode_group_record(r, make_record_id(env_.self(), (uint64_t{1} << 39) | next_record_++), now_ms));
  }
  const uint64_t incarnation = s.incarnation;
  host_.append_offsets_records(PartitionId(partition), std::move(out),
                               [this, partition, incarnation, done = std::move(done)](Errc e) {
                                 done(shard_alive(partition, incarnation), e);
                               });
}

GroupMetadataValue GroupCoordinator::metadata_value(const ClassicGroup& g) const {
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

// --- offsets retention ---------------------------------------------------------------------------

void GroupCoordinator::cleanup_group_metadata(Shard& s, int32_t partition) {
  const int64_t now_ms = env_.now().ms();
  const int64_t retention_ms = int64_t{config_.offsets_retention_minutes} * 60 * 1000;
  struct Cleanup {
    std::string group_id;
    std::vector<GroupRecord> records;
    std::vector<std::pair<TopicPartition, int64_t>> expired;
    bool delete_group = false;
    GenerationId generation;
  };
  std::vector<Cleanup> work;
  for (auto& [group_id, g] : s.groups) {
    if (g.is(GroupState::dead)) continue;
    // ClassicGroup.offsetExpirationCondition: a consumer group's offsets
    // expire only while it is Empty, counted from when it became Empty
    // (KIP-211); a simple group's (no protocol type: standalone commits)
    // from each commit. A group with members keeps its offsets.
    const bool consumer_group = g.protocol_type().has_value();
    if (consumer_group && !g.is(GroupState::empty)) continue;
    std::vector<std::pair<TopicPartition, int64_t>> expired;  // with the commit's timestamp
    bool all_expired = true;
    if (auto o = s.offsets.find(group_id); o != s.offsets.end()) {
      for (const auto& [tp, v] : o->second) {
        const int64_t base = consumer_group && g.current_state_timestamp_ms >= 0 ? g.current_state_timestamp_ms
                                                                                 : v.commit_timestamp_ms;
        // OffsetMetadataManager.cleanupExpiredOffsets skips an offset with a
        // commit still in flight (here: appended, not yet replicated).
        if (now_ms - base >= retention_ms && !s.pending_commits.count({group_id, tp}))
          expired.push_back({tp, v.commit_timestamp_ms});
        else
          all_expired = false;
      }
    }
    // GroupMetadataManager.maybeDeleteGroup: an Empty group with no offset left goes too.
    bool commit_in_flight = false;
    for (const auto& [key, n] : s.pending_commits) commit_in_flight |= key.first == group_id;
    const bool delete_group = all_expired && g.is(GroupState::empty) && !commit_in_flight;
    if (expired.empty() && !delete_group) continue;
    std::vector<GroupRecord> records;
    for (const auto& [tp, ts] : expired) {
      GroupRecord rec;
      rec.kind = GroupRecord::Kind::offset_commit;
      rec.group_id = group_id;
      rec.tp = tp;  // no value: a tombstone
      records.push_back(std::move(rec));
    }
    if (delete_group) {
      GroupRecord rec;
      rec.kind = GroupRecord::Kind::group_metadata;
      rec.group_id = group_id;  // no value: a tombstone
      records.push_back(std::move(rec));
    }
    work.push_back(Cleanup{group_id, std::move(records), std::move(expired), delete_group, g.generation()});
  }
  // Appended after the scan: a write may complete at once and change s.groups.
  for (Cleanup& c : work) {
    append(s, partition, std::move(c.records),
           [this, id = c.group_id, expired = c.expired, delete_group = c.delete_group,
            generation = c.generation](Shard* shard, Errc e) {
      if (!shard || e != Errc::none) return;  // not written: the next check tries again
      trace::OffsetsExpired t;
      t.group = id;
      auto o = shard->offsets.find(id);
      for (const auto& [tp, ts] : expired) {
        t.partitions.push_back(tp.str());
        // A commit that arrived meanwhile was written after the tombstone and stays.
        if (o == shard->offsets.end()) continue;
        auto v = o->second.find(tp);
        if (v != o->second.end() && v->second.commit_timestamp_ms == ts) o->second.erase(v);
      }
      if (o != shard->offsets.end() && o->second.empty()) shard->offsets.erase(o);
      auto g = shard->groups.find(id);
      if (delete_group && g != shard->groups.end() && g->second.is(GroupState::empty) &&
          g->second.generation() == generation && !shard->offsets.count(id)) {
        transition(g->second, GroupState::dead, "offsets expired");
        shard->groups.erase(g);
        t.group_deleted = true;
      }
      env_.trace(std::move(t));
    });
  }
}

// --- trace -------------------------------------------------------------------------------------

void GroupCoordinator::transition(ClassicGroup& g, GroupState to, const std::string& reason) {
  const GroupState from = g.state();
  g.transition_to(to);
  trace_transition(g, from, reason);
}

void GroupCoordinator::trace_transition(ClassicGroup& g, GroupState from, const std::string& reason) {
  g.current_state_timestamp_ms = env_.now().ms();  // ClassicGroup.currentStateTimestamp
  env_.trace(trace::GroupStateChanged{g.group_id(), std::string(group_state_name(from)),
                                      std::string(group_state_name(g.state())), g.generation(), reason});
}

void GroupCoordinator::trace_removed(const ClassicGroup& g, const GroupMember& m, const std::string& reason) {
  env_.trace(trace::MemberRemoved{g.group_id(), m.member_id, m.group_instance_id.value_or(""), reason});
}

void GroupCoordinator::send_join(const PendingResponse& to, JoinGroupResponse r) {
  r.correlation_id = to.correlation_id;
  env_.respond(to.to, std::move(r));
}

void GroupCoordinator::send_sync(const PendingResponse& to, SyncGroupResponse r) {
  r.correlation_id = to.correlation_id;
  env_.respond(to.to, std::move(r));
}

void GroupCoordinator::check_invariants() const {
  for (const auto& [p, s] : shards_) {
    KSIM_ASSERT_MSG(!s.loading || s.groups.empty(), "offsets partition " << p << " has groups while loading");
    for (const auto& [id, g] : s.groups) {
      KSIM_ASSERT_MSG(partition_for(id).value == p, "group " << id << " in the wrong offsets partition " << p);
      g.check_invariants();
    }
  }
}

}  // namespace ksim
