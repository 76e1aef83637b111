#pragma once
// GroupCoordinator: the classic consumer-group coordinator of one broker
// (Kafka's GroupCoordinatorService, with the parts of CoordinatorRuntime and
// GroupCoordinatorShard that run its shards).
//
// Ownership. A group lives in __consumer_offsets partition
// abs(hash(group.id)) % offsets.topic.num.partitions (coordinator_partition.h).
// This broker coordinates the groups of the partitions it leads; for any
// other group it answers NOT_COORDINATOR, and COORDINATOR_LOAD_IN_PROGRESS
// while it is still reading a partition it just became leader of.
//
// The classic rebalance protocol is GroupMetadataManager's
// (group_metadata_manager.h); commits, fetches and retention are
// OffsetMetadataManager's (offset_metadata_manager.h). This class routes
// requests to them and runs the shards they act on: loading, unloading,
// timers and writes (CoordinatorRuntime).
//
// Loading. On becoming leader of an offsets partition the coordinator reads
// the partition's log back (coordinator_loader.h), taking 1 ms plus log
// bytes / group.coordinator.load.bytes.per.ms of simulated time; groups
// with members come back Stable with fresh session timers. On losing leadership it unloads: groups go Dead, parked responses
// get NOT_COORDINATOR.
//
// Retention. Every offsets.retention.check.interval.ms a loaded shard writes
// tombstones for expired offsets, and for an Empty group left with none
// (GroupCoordinatorShard.cleanupGroupMetadata).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/env/env.h"
#include "core/group/coordinator/coordinator_host.h"
#include "core/group/coordinator/coordinator_runtime.h"
#include "core/group/coordinator/coordinator_shard.h"
#include "core/group/coordinator/group_metadata_manager.h"
#include "core/group/coordinator/offset_metadata_manager.h"

namespace ksim {

class GroupCoordinator final : private CoordinatorRuntime {
 public:
  // Kafka's internal new-member join timeout (classicGroupNewMemberJoinTimeoutMs).
  static constexpr int32_t kNewMemberJoinTimeoutMs = GroupMetadataManager::kNewMemberJoinTimeoutMs;

  // Timers are armed with `timer_tag`; the owner routes them to on_timer.
  GroupCoordinator(Env& env, const BrokerConfig& config, CoordinatorHost& host, TimerTag timer_tag);

  void handle(const ReplyTo& from, const JoinGroupRequest& req) { groups_.handle(from, req); }
  void handle(const ReplyTo& from, const SyncGroupRequest& req) { groups_.handle(from, req); }
  void handle(const ReplyTo& from, const HeartbeatRequest& req) { groups_.handle(from, req); }
  void handle(const ReplyTo& from, const LeaveGroupRequest& req) { groups_.handle(from, req); }
  void handle(const ReplyTo& from, const OffsetCommitRequest& req) { offsets_.handle(from, req); }
  void handle(const ReplyTo& from, const OffsetFetchRequest& req) { offsets_.handle(from, req); }
  void on_timer(TimerId id);
  // The broker applied a new state of __consumer_offsets-`partition`.
  void on_offsets_partition_changed(PartitionId partition, bool leader_here, LeaderEpoch leader_epoch);

  // Read access for tests (checkers and the viewer use the trace).
  bool is_loaded(PartitionId partition) const;
  bool is_loading(PartitionId partition) const;
  const ClassicGroup* group(const std::string& group_id) const;
  std::optional<OffsetCommitValue> committed(const std::string& group_id, const TopicPartition& tp) const;

  void check_invariants() const;

 private:
  // One group's share of a retention check: the tombstones to write and what
  // to forget once they are written.
  struct GroupCleanup {
    std::string group_id;
    std::vector<GroupRecord> records;
    std::vector<std::pair<TopicPartition, int64_t>> expired;  // with the commit's timestamp
    bool delete_group = false;
    GenerationId generation;
  };

  // --- ownership and loading ------------------------------------------------------------
  PartitionId partition_for(const std::string& group_id) const;
  const CoordinatorShard* find_shard(const std::string& group_id) const;
  CoordinatorShard* shard_alive(int32_t partition, uint64_t incarnation);
  void finish_load(int32_t partition);
  void unload(int32_t partition);

  // --- offsets retention (GroupCoordinatorShard.cleanupGroupMetadata) --------------------
  void cleanup_group_metadata(CoordinatorShard& s);
  std::optional<GroupCleanup> plan_cleanup(const CoordinatorShard& s, const ClassicGroup& g, int64_t now_ms) const;
  void finish_cleanup(CoordinatorShard& s, const GroupCleanup& c);

  // --- CoordinatorRuntime -----------------------------------------------------------------
  CoordinatorShard* shard_for(const std::string& group_id, Errc& error) override;
  TimerId schedule(Duration after, CoordinatorTimerTask task) override;
  void cancel(TimerId& id) override;
  void cancel_member_timer(const std::string& group_id, const std::string& member_id) override;
  void append(CoordinatorShard& shard, std::vector<GroupRecord> records,
              std::function<void(CoordinatorShard*, Errc)> done) override;

  Env& env_;
  const BrokerConfig& config_;
  CoordinatorHost& host_;
  TimerTag timer_tag_;
  std::map<int32_t, CoordinatorShard> shards_;  // by offsets partition
  std::map<uint64_t, CoordinatorTimerTask> timers_;
  uint64_t next_incarnation_ = 1;
  uint64_t next_record_ = 0;
  GroupMetadataManager groups_;
  OffsetMetadataManager offsets_;
};

}  // namespace ksim
