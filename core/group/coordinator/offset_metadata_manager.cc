#include "core/group/coordinator/offset_metadata_manager.h"

#include "core/group/coordinator/group_metadata_manager.h"
#include "core/trace/group_events.h"

namespace ksim {

OffsetMetadataManager::OffsetMetadataManager(Env& env, const BrokerConfig& config, CoordinatorRuntime& runtime)
    : env_(env), config_(config), runtime_(runtime) {}

// --- OffsetCommit ----------------------------------------------------------------------

void OffsetMetadataManager::handle(const ReplyTo& from, const OffsetCommitRequest& req) {
  OffsetCommitResponse resp;
  resp.correlation_id = req.correlation_id;
  auto fail_all = [&](Errc e) {
    for (const auto& p : req.partitions) resp.partitions.push_back({p.tp, e});
    env_.respond(from, resp);
  };
  Errc error = Errc::none;
  CoordinatorShard* s = runtime_.shard_for(req.group_id, error);
  if (!s) return fail_all(error);
  ClassicGroup* g = s->find_group(req.group_id);
  if (!g) {
    // validateOffsetCommit: generation -1 creates a simple group; otherwise
    // the group must exist (GROUP_ID_NOT_FOUND, v9+).
    if (req.generation_id.value >= 0) return fail_all(Errc::group_id_not_found);
    g = &s->groups.emplace(req.group_id, ClassicGroup(req.group_id)).first->second;
  }
  if (Errc e = validate_offset_commit(*g, req); e != Errc::none) return fail_all(e);
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
  runtime_.append(*s, std::move(records), [this, from, req](CoordinatorShard* shard, Errc e) {
    on_commit_written(shard, e, from, req);
  });
}

void OffsetMetadataManager::on_commit_written(CoordinatorShard* shard, Errc e, const ReplyTo& from,
                                              const OffsetCommitRequest& req) {
  if (shard) {
    for (const auto& p : req.partitions) {
      auto pc = shard->pending_commits.find({req.group_id, p.tp});
      if (pc != shard->pending_commits.end() && --pc->second <= 0) shard->pending_commits.erase(pc);
    }
  }
  OffsetCommitResponse r;
  r.correlation_id = req.correlation_id;
  const Errc answer = shard == nullptr && e == Errc::none ? Errc::not_coordinator
                                                          : GroupMetadataManager::append_error_to_response_error(e);
  if (answer == Errc::none) {
    trace::OffsetsCommitted t;
    t.group = req.group_id;
    t.generation = req.generation_id;
    t.member = req.member_id;
    for (const auto& p : req.partitions) {
      shard->offsets[req.group_id][p.tp] =
          OffsetCommitValue{p.committed_offset, p.committed_leader_epoch, p.committed_metadata, env_.now().ms()};
      t.partitions.push_back(p.tp.str());
      t.offsets.push_back(p.committed_offset);
    }
    env_.trace(std::move(t));
  }
  for (const auto& p : req.partitions) r.partitions.push_back({p.tp, answer});
  env_.respond(from, std::move(r));
}

Errc OffsetMetadataManager::validate_offset_commit(const ClassicGroup& g, const OffsetCommitRequest& req) {
  if (g.is(GroupState::dead)) return Errc::coordinator_not_available;
  if (req.generation_id.value < 0 && g.is(GroupState::empty)) return Errc::none;  // a standalone commit
  if (req.generation_id.value >= 0 || !req.member_id.empty() || req.group_instance_id) {
    if (Errc e = GroupMetadataManager::validate_member(g, req.member_id, req.group_instance_id); e != Errc::none)
      return e;
    if (req.generation_id != g.generation()) return Errc::illegal_generation;
  } else if (!g.is(GroupState::empty)) {
    return Errc::unknown_member_id;
  }
  if (g.is(GroupState::completing_rebalance)) return Errc::rebalance_in_progress;
  return Errc::none;
}

// --- OffsetFetch -----------------------------------------------------------------------

void OffsetMetadataManager::handle(const ReplyTo& from, const OffsetFetchRequest& req) {
  OffsetFetchResponse resp;
  resp.correlation_id = req.correlation_id;
  Errc error = Errc::none;
  CoordinatorShard* s = runtime_.shard_for(req.group_id, error);
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

std::optional<OffsetCommitValue> OffsetMetadataManager::committed(const CoordinatorShard& s,
                                                                  const std::string& group_id,
                                                                  const TopicPartition& tp) {
  auto g = s.offsets.find(group_id);
  if (g == s.offsets.end()) return std::nullopt;
  auto o = g->second.find(tp);
  if (o == g->second.end()) return std::nullopt;
  return o->second;
}

// --- retention -------------------------------------------------------------------------

OffsetMetadataManager::ExpiredOffsets OffsetMetadataManager::expired_offsets(const CoordinatorShard& s,
                                                                             const ClassicGroup& g,
                                                                             int64_t now_ms) const {
  // ClassicGroup.offsetExpirationCondition: a consumer group's offsets
  // expire only while it is Empty, counted from when it became Empty
  // (KIP-211); a simple group's (no protocol type: standalone commits)
  // from each commit. A group with members keeps its offsets.
  const bool consumer_group = g.protocol_type().has_value();
  if (consumer_group && !g.is(GroupState::empty)) return {{}, false};
  const int64_t retention_ms = int64_t{config_.offsets_retention_minutes} * 60 * 1000;
  ExpiredOffsets result;
  auto o = s.offsets.find(g.group_id());
  if (o == s.offsets.end()) return result;
  for (const auto& [tp, v] : o->second) {
    const int64_t base = consumer_group && g.current_state_timestamp_ms >= 0 ? g.current_state_timestamp_ms
                                                                             : v.commit_timestamp_ms;
    // cleanupExpiredOffsets skips an offset with a commit still in flight
    // (here: appended, not yet replicated).
    if (now_ms - base >= retention_ms && !s.pending_commits.count({g.group_id(), tp}))
      result.offsets.push_back({tp, v.commit_timestamp_ms});
    else
      result.all_expired = false;
  }
  return result;
}

bool OffsetMetadataManager::has_commit_in_flight(const CoordinatorShard& s, const std::string& group_id) {
  bool in_flight = false;
  for (const auto& [key, n] : s.pending_commits) in_flight |= key.first == group_id;
  return in_flight;
}

void OffsetMetadataManager::forget_expired(CoordinatorShard& s, const std::string& group_id,
                                           const std::vector<std::pair<TopicPartition, int64_t>>& expired) {
  auto o = s.offsets.find(group_id);
  if (o == s.offsets.end()) return;
  for (const auto& [tp, ts] : expired) {
    auto v = o->second.find(tp);
    if (v != o->second.end() && v->second.commit_timestamp_ms == ts) o->second.erase(v);
  }
  if (o->second.empty()) s.offsets.erase(o);
}

}  // namespace ksim
