#pragma once
// OffsetMetadataManager: committed offsets of the groups a broker coordinates
// (Kafka's OffsetMetadataManager: commitOffset, fetchOffsets,
// cleanupExpiredOffsets). One per broker; the offsets live in the shard that
// owns the group (coordinator_shard.h).
//
// A commit, in numbered steps:
//   1. It is validated against the group (validateOffsetCommit: generation -1
//      with no member is a standalone commit, which may create a simple
//      group; otherwise member, instance id and generation must match).
//   2. Each partition is written as an OffsetCommit record with acks=all; the
//      offsets are "pending" until then and do not expire.
//   3. Once the HW covers the records the offsets become visible to
//      OffsetFetch and the client gets NONE; a write that fails answers the
//      mapped error (GroupMetadataManager::append_error_to_response_error). A
//      commit the coordinator crashed before replicating is lost, exactly as
//      in Kafka.
// Retention (offsets.retention.minutes, KIP-211): an offset expires
// retention after its group became Empty (a consumer group), or after its
// commit (a simple group); GroupCoordinator's periodic cleanup writes the
// tombstones.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/env/env.h"
#include "core/group/coordinator/coordinator_runtime.h"
#include "core/group/coordinator/coordinator_shard.h"

namespace ksim {

class OffsetMetadataManager {
 public:
  OffsetMetadataManager(Env& env, const BrokerConfig& config, CoordinatorRuntime& runtime);

  void handle(const ReplyTo& from, const OffsetCommitRequest& req);
  void handle(const ReplyTo& from, const OffsetFetchRequest& req);

  static std::optional<OffsetCommitValue> committed(const CoordinatorShard& s, const std::string& group_id,
                                                    const TopicPartition& tp);

  // cleanupExpiredOffsets for one group: its offsets past retention (with the
  // commit's timestamp), and whether every offset it has expired.
  struct ExpiredOffsets {
    std::vector<std::pair<TopicPartition, int64_t>> offsets;
    bool all_expired = true;
  };
  ExpiredOffsets expired_offsets(const CoordinatorShard& s, const ClassicGroup& g, int64_t now_ms) const;
  static bool has_commit_in_flight(const CoordinatorShard& s, const std::string& group_id);
  // The tombstones for `expired` were written: forget those offsets, unless a
  // newer commit replaced one meanwhile (it was written after the tombstone).
  static void forget_expired(CoordinatorShard& s, const std::string& group_id,
                             const std::vector<std::pair<TopicPartition, int64_t>>& expired);

 private:
  static Errc validate_offset_commit(const ClassicGroup& g, const OffsetCommitRequest& req);
  void on_commit_written(CoordinatorShard* shard, Errc e, const ReplyTo& from, const OffsetCommitRequest& req);

  Env& env_;
  const BrokerConfig& config_;
  CoordinatorRuntime& runtime_;
};

}  // namespace ksim
