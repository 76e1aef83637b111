#pragma once
// CoordinatorShard: the coordinator's state for one __consumer_offsets
// partition this broker leads (the state Kafka's GroupCoordinatorShard keeps
// in its GroupMetadataManager and OffsetMetadataManager). ksim's managers are
// one per broker and take the shard they act on; the shard is plain data.
//
// A shard is "loading" from the moment this broker becomes the partition's
// leader until the loader has read the log back (coordinator_loader.h);
// meanwhile it holds no groups and requests get COORDINATOR_LOAD_IN_PROGRESS.
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "core/env/timer.h"
#include "core/group/coordinator/classic_group.h"
#include "core/group/coordinator/coordinator_runtime.h"
#include "core/group/coordinator/group_records.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

struct CoordinatorShard {
  PartitionId partition{0};
  bool loading = true;
  LeaderEpoch leader_epoch{-1};
  uint64_t incarnation = 0;  // distinguishes this load from earlier ones (stale callbacks)
  TimerId load_timer;
  SimTime load_started;
  // GroupMetadataManager's groups.
  std::map<std::string, ClassicGroup> groups;
  // OffsetMetadataManager's committed offsets, by group.
  std::map<std::string, std::map<TopicPartition, OffsetCommitValue>> offsets;
  // Commits appended and not yet replicated, by (group, partition): their
  // offsets do not expire meanwhile.
  std::map<std::pair<std::string, TopicPartition>, int32_t> pending_commits;

  ClassicGroup* find_group(const std::string& group_id) {
    auto it = groups.find(group_id);
    return it == groups.end() ? nullptr : &it->second;
  }
  // A timer task for this shard (and `group`, if the task is a group's).
  CoordinatorTimerTask timer_task(CoordinatorTimerKind kind, const std::string& group = {}) const {
    CoordinatorTimerTask t;
    t.kind = kind;
    t.partition = partition.value;
    t.incarnation = incarnation;
    t.group = group;
    return t;
  }
};

}  // namespace ksim
