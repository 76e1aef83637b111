#pragma once
// Trace events of brokers and the controller: topics, partition logs, LEO and
// HW, truncation, ISR changes, leaders and epochs. docs/trace-format.md
// documents every kind. Conventions: `topic` + `partition` name a partition;
// broker lists hold Kafka broker ids (broker.id / node.id); an event about a
// replica is emitted by the broker that holds it (the event's node).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"

namespace ksim::trace {

// The controller created a topic with this replica assignment (one list of
// broker ids per partition; the first is the preferred leader).
struct TopicCreated {
  static constexpr std::string_view kKind = "topic_created";
  std::string topic;
  int32_t partitions = 0;
  int32_t replication_factor = 0;
  std::vector<std::vector<int32_t>> assignment;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partitions", s.partitions); f("replication_factor", s.replication_factor);
    f("assignment", s.assignment);
  }
};

// The controller grew a topic (CreatePartitions) from `first_new` partitions to
// `partitions`; `assignment` holds the replica lists of the new ones.
struct PartitionsAdded {
  static constexpr std::string_view kKind = "partitions_added";
  std::string topic;
  int32_t first_new = 0;
  int32_t partitions = 0;
  std::vector<std::vector<int32_t>> assignment;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("first_new", s.first_new); f("partitions", s.partitions);
    f("assignment", s.assignment);
  }
};

// The controller committed a new state for a partition (KRaft's PartitionRecord
// / PartitionChangeRecord): after an election, an AlterPartition, a fencing.
// reason: "created", "election", "unclean_election", "preferred_election",
// "controlled_shutdown", "isr_shrink", "isr_expand", "broker_fenced", "no_leader".
struct PartitionChanged {
  static constexpr std::string_view kKind = "partition_changed";
  std::string topic;
  PartitionId partition;
  BrokerId leader;                 // kNoBroker (-1) when offline
  LeaderEpoch leader_epoch;
  int32_t partition_epoch = 0;     // bumps on every change, as KRaft's
  std::vector<int32_t> isr;
  std::vector<int32_t> elr;        // KIP-966 eligible leader replicas (empty unless enabled)
  std::vector<int32_t> replicas;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("leader", s.leader); f("leader_epoch", s.leader_epoch);
    f("partition_epoch", s.partition_epoch); f("isr", s.isr); f("elr", s.elr); f("replicas", s.replicas);
    f("reason", s.reason);
  }
};

// A broker applied a partition state from the controller and is now its leader
// or a follower of `leader` (Partition.makeLeader / makeFollower).
struct ReplicaRoleChanged {
  static constexpr std::string_view kKind = "replica_role_changed";
  std::string topic;
  PartitionId partition;
  std::string role;  // "leader", "follower", "offline" (replica deleted or broker stopping)
  BrokerId leader;
  LeaderEpoch leader_epoch;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("role", s.role); f("leader", s.leader);
    f("leader_epoch", s.leader_epoch);
  }
};

// Records were appended to a replica's log: by the leader for a produce
// request, by a follower for fetched data. leo is the log end offset after it.
struct LogAppended {
  static constexpr std::string_view kKind = "log_appended";
  std::string topic;
  PartitionId partition;
  Offset base_offset;
  LeaderEpoch leader_epoch;  // the partition leader epoch stamped on the batch
  ProducerId producer_id;    // -1 for a non-idempotent producer
  std::vector<RecordId> records;
  Offset leo;
  bool as_leader = true;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("base_offset", s.base_offset);
    f("leader_epoch", s.leader_epoch); f("producer_id", s.producer_id); f("records", s.records); f("leo", s.leo);
    f("as_leader", s.as_leader);
  }
};

// A replica's high watermark moved (exclusive: consumers see offsets below it).
struct HighWatermarkChanged {
  static constexpr std::string_view kKind = "hw_changed";
  std::string topic;
  PartitionId partition;
  Offset old_hw;
  Offset hw;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("old_hw", s.old_hw); f("hw", s.hw);
  }
};

// A replica truncated its log to `to_offset` (the new LEO), removing records.
// reason: "high_watermark" (pre-KIP-101 restart/leader change),
// "leader_epoch" (OffsetsForLeaderEpoch, KIP-101/279), "diverging_epoch" (the
// Fetch response's DivergingEpoch), "recovery" (unreadable tail after a crash).
struct LogTruncated {
  static constexpr std::string_view kKind = "log_truncated";
  std::string topic;
  PartitionId partition;
  Offset to_offset;
  std::vector<RecordId> removed;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("to_offset", s.to_offset); f("removed", s.removed);
    f("reason", s.reason);
  }
};

// The leader asked the controller to change the ISR (AlterPartition), or the
// controller answered. Until accepted the committed ISR is unchanged.
struct IsrChangeProposed {
  static constexpr std::string_view kKind = "isr_change_proposed";
  std::string topic;
  PartitionId partition;
  std::vector<int32_t> proposed_isr;
  std::string reason;  // "shrink: follower 2 lagged 31000 ms", "expand: follower 3 caught up"
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("proposed_isr", s.proposed_isr); f("reason", s.reason);
  }
};

// The controller fenced or unfenced a broker (its heartbeat session expired,
// it registered, or it shut down in a controlled way).
struct BrokerFencing {
  static constexpr std::string_view kKind = "broker_fencing";
  BrokerId broker;
  bool fenced = true;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("broker", s.broker); f("fenced", s.fenced); f("reason", s.reason);
  }
};

// A replica's leader-epoch cache changed (Kafka's LeaderEpochFileCache, the
// leader-epoch-checkpoint file; KIP-101): `entries` is the whole cache after
// the change, [epoch, start offset] pairs in order. reason: "assigned" (a
// leader appending in a new epoch, or becoming leader; a follower appending a
// fetched batch of a new epoch), "truncated" (a log truncation removed
// entries at or above the new LEO), "recovered" (loaded from disk at restart).
struct EpochCacheChanged {
  static constexpr std::string_view kKind = "epoch_cache_changed";
  std::string topic;
  PartitionId partition;
  std::vector<std::vector<int64_t>> entries;
  std::string reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("entries", s.entries); f("reason", s.reason);
  }
};

// A broker restarted and loaded a replica's log from its disk: every value the
// replica holds now, whatever the events before the crash said (Kafka's
// LogLoader.load recovers the segments and the log start offset,
// UnifiedLog's constructor truncates the leader-epoch cache to the recovered
// end, and Partition.createLogIfNotExists sets the HW from the
// replication-offset-checkpoint, clamped to [log start, LEO]). The epoch cache
// is traced just before, whole (epoch_cache_changed "recovered"). `leo` also
// ends the log for readers: entries at or above it are gone (a power loss, an
// unreadable tail). `discarded_entries`: batches on disk cut off as unreadable
// or non-contiguous.
struct LogRecovered {
  static constexpr std::string_view kKind = "log_recovered";
  std::string topic;
  PartitionId partition;
  Offset log_start_offset;
  Offset leo;
  Offset hw;
  int64_t batches = 0;
  int64_t discarded_entries = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("log_start_offset", s.log_start_offset); f("leo", s.leo);
    f("hw", s.hw); f("batches", s.batches); f("discarded_entries", s.discarded_entries);
  }
};

// A follower (or a consumer validating its position, KIP-320) sent
// OffsetsForLeaderEpoch for one partition to `to`: "where does leader_epoch
// end in your log?" (AbstractFetcherThread.truncateToEpochEndOffsets,
// OffsetsForLeaderEpochUtils). current_leader_epoch fences a stale leader (-1:
// not checked); version 0 is KIP-101's request, 1 and later KIP-279's.
struct EpochEndOffsetRequested {
  static constexpr std::string_view kKind = "epoch_end_offset_requested";
  NodeId to;
  int32_t version = 0;
  std::string topic;
  PartitionId partition;
  LeaderEpoch current_leader_epoch{-1};
  LeaderEpoch leader_epoch;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("to", s.to); f("version", s.version); f("topic", s.topic); f("partition", s.partition);
    f("current_leader_epoch", s.current_leader_epoch); f("leader_epoch", s.leader_epoch);
  }
};

// The leader answered one partition of an OffsetsForLeaderEpoch request from
// `to` (Partition.lastOffsetForLeaderEpoch): `requested_epoch` ends at
// `end_offset`, and `leader_epoch` is the largest epoch at or below it that
// this log has (KIP-279). Version 0 carries no epoch (leader_epoch -1) and
// answers an epoch the leader never had with where its next epoch starts
// (KAFKA-6361). error is Kafka's name (NONE, FENCED_LEADER_EPOCH, ...).
struct EpochEndOffsetAnswered {
  static constexpr std::string_view kKind = "epoch_end_offset_answered";
  NodeId to;
  int32_t version = 0;
  std::string topic;
  PartitionId partition;
  LeaderEpoch requested_epoch;
  std::string error;
  LeaderEpoch leader_epoch{-1};
  Offset end_offset{-1};
  template <class S, class F> static void fields(S& s, F&& f) {
    f("to", s.to); f("version", s.version); f("topic", s.topic); f("partition", s.partition);
    f("requested_epoch", s.requested_epoch); f("error", s.error); f("leader_epoch", s.leader_epoch);
    f("end_offset", s.end_offset);
  }
};

// The leader answered a consumer's Fetch with records of one partition
// (ReplicaManager.fetchMessages with FetchIsolation.HIGH_WATERMARK: a
// consumer reads only below the HW). records[i] is at first_offset + i; whole
// batches, so the first may lie below fetch_offset. high_watermark is the HW
// the response carries.
struct FetchServed {
  static constexpr std::string_view kKind = "fetch_served";
  NodeId to;
  std::string topic;
  PartitionId partition;
  Offset fetch_offset;
  Offset high_watermark;
  Offset first_offset;
  std::vector<RecordId> records;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("to", s.to); f("topic", s.topic); f("partition", s.partition); f("fetch_offset", s.fetch_offset);
    f("high_watermark", s.high_watermark); f("first_offset", s.first_offset); f("records", s.records);
  }
};

// A follower stopped fetching a partition because the leader's answer could
// not be appended (AbstractFetcherThread.markPartitionFailed): the first
// fetched batch starts at `first_offset`, below this replica's log end
// `fetch_offset`, where Kafka's UnifiedLog.append throws
// UnexpectedAppendOffsetException. It happens when this log ends inside one of
// the leader's batches: the two logs diverged and the follower's truncation
// rule (high-watermark) did not see it. The partition is fetched again only
// when it follows a new leader epoch; meanwhile it falls out of the ISR.
struct ReplicaFetchFailed {
  static constexpr std::string_view kKind = "replica_fetch_failed";
  std::string topic;
  PartitionId partition;
  BrokerId leader;
  Offset fetch_offset;
  Offset first_offset;
  Offset last_offset;
  std::string error;  // Kafka's exception name
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("leader", s.leader); f("fetch_offset", s.fetch_offset);
    f("first_offset", s.first_offset); f("last_offset", s.last_offset); f("error", s.error);
  }
};

}  // namespace ksim::trace
