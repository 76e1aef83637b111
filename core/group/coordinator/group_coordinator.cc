#include "core/group/coordinator/group_coordinator.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/group/coordinator/coordinator_loader.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "core/trace/group_events.h"

namespace ksim {

GroupCoordinator::GroupCoordinator(Env& env, const BrokerConfig& config, CoordinatorHost& host, TimerTag timer_tag)
    : env_(env),
      config_(config),
      host_(host),
      timer_tag_(timer_tag),
      groups_(env, config, *this),
      offsets_(env, config, *this) {}

// --- ownership ---------------------------------------------------------------------

PartitionId GroupCoordinator::partition_for(const std::string& group_id) const {
  return offsets_partition_for(group_id, config_.offsets_topic_num_partitions);
}

CoordinatorShard* GroupCoordinator::shard_for(const std::string& group_id, Errc& error) {
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

const CoordinatorShard* GroupCoordinator::find_shard(const std::string& group_id) const {
  auto it = shards_.find(partition_for(group_id).value);
  return it == shards_.end() ? nullptr : &it->second;
}

CoordinatorShard* GroupCoordinator::shard_alive(int32_t partition, uint64_t incarnation) {
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
  const CoordinatorShard* s = find_shard(group_id);
  if (!s) return nullptr;
  auto g = s->groups.find(group_id);
  return g == s->groups.end() ? nullptr : &g->second;
}

std::optional<OffsetCommitValue> GroupCoordinator::committed(const std::string& group_id,
                                                             const TopicPartition& tp) const {
  const CoordinatorShard* s = find_shard(group_id);
  return s ? OffsetMetadataManager::committed(*s, group_id, tp) : std::nullopt;
}

// --- loading and unloading -----------------------------------------------------------

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
  CoordinatorShard& s = shards_[partition.value];
  s.partition = partition;
  s.loading = true;
  s.leader_epoch = epoch;
  s.incarnation = next_incarnation_++;
  s.load_started = env_.now();
  const PartitionLog* log = host_.offsets_log(partition);
  const int64_t bytes = log ? log->size_bytes() : 0;
  // 1 ms to start, then the log's bytes at the configured rate.
  const Duration load_time = millis(1) + micros(bytes * 1000 / std::max<int64_t>(1, config_.group_coordinator_load_bytes_per_ms));
  s.load_timer = schedule(load_time, s.timer_task(CoordinatorTimerKind::load));
}

void GroupCoordinator::finish_load(int32_t partition) {
  CoordinatorShard& s = shards_.at(partition);
  s.loading = false;
  s.load_timer = {};
  const int32_t offsets = load_coordinator_shard(host_.offsets_log(PartitionId(partition)), s);
  groups_.on_loaded(s);
  env_.trace(trace::CoordinatorLoaded{config_.broker_id, PartitionId(partition), s.leader_epoch,
                                      static_cast<int32_t>(s.groups.size()), offsets,
                                      (env_.now() - s.load_started).us});
  // GroupCoordinatorShard schedules the group metadata cleanup on load, every
  // offsets.retention.check.interval.ms.
  schedule(millis(config_.offsets_retention_check_interval_ms), s.timer_task(CoordinatorTimerKind::expire_offsets));
}

void GroupCoordinator::unload(int32_t partition) {
  CoordinatorShard& s = shards_.at(partition);
  cancel(s.load_timer);
  const int32_t groups = static_cast<int32_t>(s.groups.size());
  groups_.on_unloaded(s);
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

TimerId GroupCoordinator::schedule(Duration after, CoordinatorTimerTask task) {
  const TimerId id = env_.set_timer(after, timer_tag_);
  timers_.emplace(id.value, std::move(task));
  return id;
}

void GroupCoordinator::cancel(TimerId& id) {
  if (!id.valid()) return;
  env_.cancel_timer(id);
  timers_.erase(id.value);
  id = {};
}

void GroupCoordinator::cancel_member_timer(const std::string& group_id, const std::string& member_id) {
  for (auto it = timers_.begin(); it != timers_.end();) {
    if (it->second.kind == CoordinatorTimerKind::heartbeat && it->second.group == group_id &&
        it->second.member == member_id) {
      env_.cancel_timer(TimerId{it->first});
      it = timers_.erase(it);
    } else {
      ++it;
    }
  }
}

void GroupCoordinator::on_timer(TimerId id) {
  auto it = timers_.find(id.value);
  if (it == timers_.end()) return;  // cancelled
  const CoordinatorTimerTask t = std::move(it->second);
  timers_.erase(it);
  if (t.kind == CoordinatorTimerKind::load) {
    auto s = shards_.find(t.partition);
    if (s != shards_.end() && s->second.incarnation == t.incarnation && s->second.loading) finish_load(t.partition);
    return;
  }
  CoordinatorShard* s = shard_alive(t.partition, t.incarnation);
  if (!s) return;
  if (t.kind == CoordinatorTimerKind::expire_offsets) {
    cleanup_group_metadata(*s);
    schedule(millis(config_.offsets_retention_check_interval_ms), t);
    return;
  }
  groups_.on_timer(*s, t);
}

// --- writes ------------------------------------------------------------------------------------

void GroupCoordinator::append(CoordinatorShard& s, std::vector<GroupRecord> records,
                              std::function<void(CoordinatorShard*, Errc)> done) {
  std::vector<Record> out;
  const int64_t now_ms = env_.now().ms();
  for (const auto& r : records) {
    // Internal records get ids in the broker's own id space (bit 39 set), so
    // they never collide with a producer's records.
    out.push_back(encode_group_record(r, make_record_id(env_.self(), (uint64_t{1} << 39) | next_record_++), now_ms));
  }
  const int32_t partition = s.partition.value;
  const uint64_t incarnation = s.incarnation;
  host_.append_offsets_records(s.partition, std::move(out),
                               [this, partition, incarnation, done = std::move(done)](Errc e) {
                                 done(shard_alive(partition, incarnation), e);
                               });
}

// --- offsets retention ---------------------------------------------------------------------------

void GroupCoordinator::cleanup_group_metadata(CoordinatorShard& s) {
  const int64_t now_ms = env_.now().ms();
  std::vector<GroupCleanup> work;
  for (const auto& [group_id, g] : s.groups)
    if (std::optional<GroupCleanup> c = plan_cleanup(s, g, now_ms)) work.push_back(std::move(*c));
  // Appended after the scan: a write may complete at once and change s.groups.
  for (GroupCleanup& c : work) {
    std::vector<GroupRecord> records = std::move(c.records);
    append(s, std::move(records), [this, c = std::move(c)](CoordinatorShard* shard, Errc e) {
      if (!shard || e != Errc::none) return;  // not written: the next check tries again
      finish_cleanup(*shard, c);
    });
  }
}

std::optional<GroupCoordinator::GroupCleanup> GroupCoordinator::plan_cleanup(const CoordinatorShard& s,
                                                                             const ClassicGroup& g,
                                                                             int64_t now_ms) const {
  if (g.is(GroupState::dead)) return std::nullopt;
  OffsetMetadataManager::ExpiredOffsets expired = offsets_.expired_offsets(s, g, now_ms);
  // GroupMetadataManager.maybeDeleteGroup: an Empty group with no offset left goes too.
  const bool delete_group = expired.all_expired && g.is(GroupState::empty) &&
                            !OffsetMetadataManager::has_commit_in_flight(s, g.group_id());
  if (expired.offsets.empty() && !delete_group) return std::nullopt;
  GroupCleanup c{g.group_id(), {}, std::move(expired.offsets), delete_group, g.generation()};
  for (const auto& [tp, ts] : c.expired) {
    GroupRecord rec;
    rec.kind = GroupRecord::Kind::offset_commit;
    rec.group_id = c.group_id;
    rec.tp = tp;  // no value: a tombstone
    c.records.push_back(std::move(rec));
  }
  if (delete_group) {
    GroupRecord rec;
    rec.kind = GroupRecord::Kind::group_metadata;
    rec.group_id = c.group_id;  // no value: a tombstone
    c.records.push_back(std::move(rec));
  }
  return c;
}

void GroupCoordinator::finish_cleanup(CoordinatorShard& s, const GroupCleanup& c) {
  trace::OffsetsExpired t;
  t.group = c.group_id;
  for (const auto& [tp, ts] : c.expired) t.partitions.push_back(tp.str());
  OffsetMetadataManager::forget_expired(s, c.group_id, c.expired);
  auto g = s.groups.find(c.group_id);
  if (c.delete_group && g != s.groups.end() && g->second.is(GroupState::empty) &&
      g->second.generation() == c.generation && !s.offsets.count(c.group_id)) {
    groups_.transition(g->second, GroupState::dead, "offsets expired");
    s.groups.erase(g);
    t.group_deleted = true;
  }
  env_.trace(std::move(t));
}

void GroupCoordinator::check_invariants() const {
  for (const auto& [p, s] : shards_) {
    KSIM_ASSERT_MSG(s.partition.value == p, "offsets partition " << p << " keyed as " << s.partition.value);
    KSIM_ASSERT_MSG(!s.loading || s.groups.empty(), "offsets partition " << p << " has groups while loading");
    for (const auto& [id, g] : s.groups) {
      KSIM_ASSERT_MSG(partition_for(id).value == p, "group " << id << " in the wrong offsets partition " << p);
      g.check_invariants();
    }
  }
}

}  // namespace ksim
