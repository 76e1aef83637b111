#pragma once
// Partition: one broker's replica of one partition, and, while this broker
// leads it, the leader's view of the followers. Kafka's cluster/Partition.scala;
// each rule below names the method it follows.
//
// As leader:
//   1. Produce: acks=all is rejected with NOT_ENOUGH_REPLICAS when the ISR is
//      smaller than min.insync.replicas (effective: at most the replica count);
//      then an idempotent batch is checked against the producer state
//      (core/log/producer_state_manager.h): a retried duplicate is answered
//      with its original offsets and not appended, a sequence or epoch error
//      rejects it; otherwise appended at LEO with the current leader epoch
//      (appendRecordsToLeader, UnifiedLog.analyzeAndValidateProducerState).
//      The broker does not require acks=all of idempotent batches (Kafka
//      does not check; the client's config validation does).
//   2. A follower's Fetch at fetch offset F tells the leader the follower's LEO
//      is F (updateFollowerFetchState, with RemoteReplicaState's exact
//      lastCaughtUpTimeMs rule), may add it to the ISR (maybeExpandIsr: F >= HW
//      and F >= the start of the current leader epoch), and may advance the HW.
//   3. The HW (maybeIncrementLeaderHW) is the smallest LEO over the "maximal
//      ISR" (committed ISR plus a pending addition, KIP-497) and over caught-up
//      followers eligible to join; it only grows; with strict min ISR
//      (KAFKA-15583) it does not move while the ISR is below min.insync.replicas.
//   4. Every replica.lag.time.max.ms / 2 the broker calls maybe_shrink_isr:
//      followers not caught up (isCaughtUp) leave, via AlterPartition.
//   5. ISR changes are proposals (AlterPartition) until the controller commits
//      them; one at a time; a shrink counts only after it is committed, an
//      expansion counts for the HW at once (the maximal ISR).
// As follower: appends fetched batches, sets HW = min(leader HW, LEO), and
// truncates as the replica fetcher decides (core/broker/replica_fetcher.h).
//
// Invariants (check_invariants): log invariants; as leader: leader epoch start
// offset <= LEO, the local broker in the ISR, ISR within the replicas.
//
// Touched tracking: every public non-const method (and the non-const log()
// accessor, through which anyone else can change the log) marks the partition
// touched and tells the host once, so the host re-checks after an event only
// the partitions that event could have changed. Reads (fetch_for_consumer, a
// follower fetch that moves nothing) leave it untouched.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/remote_replica.h"
#include "core/env/env.h"
#include "core/log/partition_log.h"
#include "core/metadata/metadata_records.h"
#include "core/protocol/controller_messages.h"
#include "core/protocol/replication_messages.h"

namespace ksim {

class Partition;

// What a Partition needs from its broker.
class PartitionHost {
 public:
  virtual ~PartitionHost() = default;
  // Send AlterPartition for this partition; call back on_alter_partition_result
  // with `change_id` when it is answered or fails.
  virtual void submit_alter_partition(const TopicPartition& tp, AlterPartitionRequest request, uint64_t change_id) = 0;
  // KRaft ISR eligibility (Partition.isReplicaIsrEligible): registered,
  // unfenced, not in controlled shutdown, and the fetch's broker epoch is the
  // registered one (or -1).
  virtual bool is_replica_isr_eligible(BrokerId broker, BrokerEpoch fetch_epoch) const = 0;
  virtual BrokerEpoch local_broker_epoch() const = 0;
  // The HW or the LEO of a partition led here moved: delayed operations may complete.
  virtual void on_leader_progress(const TopicPartition& tp) = 0;
  // The partition's state may have changed since its invariants were last
  // checked (called once until mark_checked()): the host checks only these
  // after an event instead of every partition it holds.
  virtual void on_partition_touched(const Partition& /*partition*/) {}
};

struct PartitionSettings {
  int32_t min_insync_replicas = 1;
  int64_t replica_lag_time_max_ms = 30000;
  bool strict_min_isr = true;
  // flush.messages / log.flush.interval.messages: fsync after this many
  // messages (Kafka's default never does; durability comes from replication).
  int64_t flush_interval_messages = INT64_MAX;
  // max.message.bytes (topic) / message.max.bytes (broker, default 1 MiB +
  // the 12-byte log overhead): the largest record batch the log accepts.
  int32_t max_message_bytes = 1048588;
};

struct LeaderAppendResult {
  Errc error = Errc::none;
  Offset base_offset{-1};
  Offset last_offset{-1};
  // A retry of a batch already in the log: the offsets are the original's and
  // nothing was appended. With acks=all the answer still waits until the HW
  // covers last_offset, as for the original (ReplicaManager parks it with
  // requiredOffset = lastOffset + 1 either way).
  bool duplicate = false;
};

struct FollowerReadResult {
  Errc error = Errc::none;
  LogReadResult read;
  Offset high_watermark{-1};
  Offset log_start_offset{-1};
  Offset log_end_offset{-1};
  std::optional<EpochEndOffset> diverging;
};

class Partition {
 public:
  Partition(Env& env, PartitionHost& host, BrokerId local, TopicPartition tp, LogConfig log_config,
            PartitionSettings settings);

  const TopicPartition& tp() const { return tp_; }
  // Non-const access may change the log: it marks the partition touched.
  PartitionLog& log() {
    touch();
    return log_;
  }
  const PartitionLog& log() const { return log_; }
  RecoveryResult recover();
  void update_settings(const PartitionSettings& s) {
    touch();
    settings_ = s;
  }

  // --- applying controller decisions ----------------------------------------
  // Partition.makeLeader: true if this broker just became leader or the leader epoch grew.
  bool make_leader(const PartitionRecord& record);
  // Partition.makeFollower: true if the leader epoch grew (the fetcher restarts).
  bool make_follower(const PartitionRecord& record);
  // The replica is not assigned here any more, or the broker stops leading it.
  void make_offline();

  // --- leader ------------------------------------------------------------------
  LeaderAppendResult append_records_to_leader(RecordBatch batch, Acks acks);
  // Partition.checkEnoughReplicasReachOffset, for a parked acks=all produce:
  // {done, error}. Done with NOT_ENOUGH_REPLICAS_AFTER_APPEND when the HW
  // reached the offset but the ISR is now smaller than min.insync.replicas.
  std::pair<bool, Errc> check_enough_replicas_reach_offset(Offset required_offset) const;
  FollowerReadResult fetch_for_follower(BrokerId follower, BrokerEpoch follower_epoch, const FetchPartitionData& req,
                                        int32_t max_bytes, bool validate_last_fetched_epoch, bool update_fetch_state);
  // A consumer's read: up to the HW (read_uncommitted).
  FollowerReadResult fetch_for_consumer(const FetchPartitionData& req, int32_t max_bytes);
  // OffsetsForLeaderEpoch on the leader (version 0: KIP-101's answer).
  EpochAnswer last_offset_for_leader_epoch(LeaderEpoch current_leader_epoch, LeaderEpoch requested, int16_t version) const;
  void maybe_shrink_isr();
  void on_alter_partition_result(uint64_t change_id, const AlterPartitionResponse* response, Errc transport_error);

  // --- follower ----------------------------------------------------------------
  void append_as_follower(const RecordBatch& batch);
  void update_follower_high_watermark(Offset leader_high_watermark);
  void truncate_to(Offset offset, std::string_view reason);

  // --- state ---------------------------------------------------------------------
  bool is_leader() const { return role_ == Role::leader; }
  bool is_follower() const { return role_ == Role::follower; }
  BrokerId leader() const { return leader_; }
  LeaderEpoch leader_epoch() const { return leader_epoch_; }
  int32_t partition_epoch() const { return partition_epoch_; }
  const std::vector<int32_t>& isr() const { return isr_; }
  const std::vector<int32_t>& replicas() const { return replicas_; }
  bool isr_change_in_flight() const { return pending_.has_value(); }
  std::vector<int32_t> maximal_isr() const;
  bool is_under_min_isr() const;
  const RemoteReplicaState* remote(BrokerId b) const;

  void check_invariants() const;
  // Touched since the last mark_checked() (see the header comment).
  bool touched() const { return touched_; }
  void mark_checked() const { touched_ = false; }

 private:
  enum class Role : uint8_t { none, leader, follower };
  struct PendingIsrChange {
    uint64_t id;
    std::vector<int32_t> proposed;
    bool expand;
  };

  int64_t now_ms() const { return env_.now().ms(); }
  void touch() {
    if (touched_) return;
    touched_ = true;
    host_.on_partition_touched(*this);
  }
  int32_t effective_min_isr() const;
  bool maybe_increment_leader_hw();
  void maybe_expand_isr(BrokerId follower);
  void propose_isr(std::vector<int32_t> isr, bool expand, std::string reason);
  void set_high_watermark(Offset hw);
  void trace_role(std::string_view role);
  bool in_isr(int32_t broker) const;
  void maybe_flush(int64_t appended_messages);

  Env& env_;
  PartitionHost& host_;
  BrokerId local_;
  TopicPartition tp_;
  PartitionLog log_;
  PartitionSettings settings_;

  Role role_ = Role::none;
  BrokerId leader_{-1};
  LeaderEpoch leader_epoch_{-1};
  int32_t partition_epoch_ = -1;
  std::vector<int32_t> replicas_;
  std::vector<int32_t> isr_;  // committed ISR (leader only)
  std::optional<PendingIsrChange> pending_;
  uint64_t next_change_id_ = 1;
  std::optional<Offset> leader_epoch_start_offset_;
  std::map<int32_t, RemoteReplicaState> remotes_;  // followers, by broker id (leader only)
  int64_t unflushed_messages_ = 0;
  // Starts true: a new partition is checked after the event that created it.
  mutable bool touched_ = true;
};

}  // namespace ksim
