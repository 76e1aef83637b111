#pragma once
// ReplicaManager: the partitions a broker holds and the requests that read or
// write them (Kafka's ReplicaManager, with its DelayedProduce and DelayedFetch
// purgatories, and LogManager's log loading and producer-id expiration).
//
//   metadata    a partition record assigned here makes the partition leader
//               or follower (Partition) and starts or stops its replica
//               fetcher (applyDelta: makeLeaders / makeFollowers); one no
//               longer assigned here goes offline;
//   Produce     appendRecords: acks=0 gets no answer, acks=1 an answer at
//               once, acks=all waits in the produce purgatory until the HW
//               covers every batch or request.timeout.ms passes
//               (delayed_operations.h); the group coordinator's writes take
//               the same path with offsets.commit.timeout.ms;
//   Fetch       fetchMessages: answered at once when there is nothing to wait
//               for, else parked in the fetch purgatory (the long poll) until
//               min_bytes can be returned, a partition has an error or a
//               diverging epoch to report, or max_wait_ms passes;
//   other       OffsetsForLeaderEpoch (lastOffsetForLeaderEpoch), ListOffsets
//               (fetchOffsetForTimestamp);
//   periodic    the isr-expiration task, the HW checkpoint, and idle
//               producer ids' expiration (the broker arms their timers).
//
// Partitions are never removed (one that goes offline stays, without a
// role), so pointers to them stay valid for the broker's life.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/broker/delayed_operations.h"
#include "core/broker/fetch_context.h"
#include "core/broker/fetch_session_cache.h"
#include "core/broker/partition.h"
#include "core/broker/replica_fetcher.h"
#include "core/env/env.h"
#include "core/metadata/metadata_image.h"
#include "core/net/request_tracker.h"

namespace ksim {

class ReplicaManager final : private PartitionHost {
 public:
  // The broker's timer tags this manager arms (the broker routes them back;
  // a fetcher's backoff is fetch_backoff + the leader's broker id).
  struct TimerTags {
    TimerTag delayed_produce;
    TimerTag delayed_fetch;
    TimerTag fetch_backoff;
  };

  // `image` is the broker's metadata; `broker_epoch` its current registration.
  ReplicaManager(Env& env, const BrokerConfig& config, RequestTracker& tracker, const MetadataImage& image,
                 std::function<BrokerEpoch()> broker_epoch, TimerTags tags);

  // A (re)started broker: KIP-227 sessions start empty (seeded by the
  // incarnation), and every partition log on disk is recovered first.
  void start(uint64_t session_seed);

  // --- metadata ---------------------------------------------------------------------
  void apply_partition_record(const PartitionRecord& record, bool assigned_here);
  void apply_topic_record(const TopicRecord& record);
  // The broker registered anew: fetchers send its new epoch.
  void set_broker_epoch(BrokerEpoch epoch);

  // --- requests ---------------------------------------------------------------------
  // Produce and Fetch may be parked; they answer on the connection they came
  // in on, or not at all (core/env/connection.h).
  void handle_produce(const ReplyTo& from, const ProduceRequest& req);
  void handle_fetch(const ReplyTo& from, const FetchRequest& req);
  void handle_offsets_for_leader_epoch(NodeId from, const OffsetsForLeaderEpochRequest& req);
  void handle_list_offsets(NodeId from, const ListOffsetsRequest& req);
  // appendRecords for the broker's own writes (the group coordinator's): as
  // leader, with acks=all; `done` gets the partition's error once the HW
  // covers the batch or `timeout` passes. It may run before this returns.
  void append_internal(const TopicPartition& tp, std::vector<Record> records, Duration timeout,
                       std::function<void(Errc)> done);

  // --- timers -----------------------------------------------------------------------
  void maybe_shrink_isrs();
  void checkpoint_high_watermarks();
  void remove_expired_producers();
  void on_produce_timeout(TimerId id);
  void on_fetch_timeout(TimerId id);
  void on_fetch_backoff(TimerTag tag);
  // Controlled shutdown: every log flushed and its HW checkpointed.
  void flush_all();

  // --- read access ------------------------------------------------------------------
  const Partition* partition(const TopicPartition& tp) const;
  Partition* partition(const TopicPartition& tp);
  const FetchSessionCache& fetch_sessions() const { return *fetch_sessions_; }
  const ReplicaFetcher* fetcher(BrokerId leader) const;

  // Checks the partitions touched since the last call.
  void check_invariants() const;

 private:
  // LogManager's log loading: every partition directory on disk.
  void recover_logs();
  Partition& get_or_create_partition(const TopicPartition& tp);
  PartitionSettings settings_for(const std::string& topic) const;
  LogConfig log_config_for(const std::string& topic) const;
  bool become_follower(Partition& p, const PartitionRecord& r);
  ReplicaFetcher& fetcher_for(BrokerId leader);
  void stop_fetching(const TopicPartition& tp);

  // Reads every partition of a fetch's context into `reads` (index-aligned
  // with context.partitions()); returns the bytes read and whether any
  // partition has an error or a diverging epoch to report.
  struct FetchReadSummary {
    int64_t bytes = 0;
    bool error = false;
  };
  FetchReadSummary read_fetch(FetchContext& context, const FetchRequest& req, bool update_fetch_state,
                              std::vector<FollowerReadResult>& reads);
  // One partition of a fetch (`max_bytes`: what is left of the response's budget).
  FollowerReadResult read_partition(CachedPartition& cp, const FetchRequest& req, int64_t max_bytes,
                                    bool update_fetch_state);
  void finish_fetch(DelayedFetch d);

  // --- purgatories --------------------------------------------------------------------
  void try_complete_produces(const TopicPartition& tp);
  void try_complete_fetches(const TopicPartition& tp);
  // Whether parked fetch `d` can now complete, re-checking partition `k` only.
  bool fetch_can_complete(DelayedFetch& d, size_t k);
  void finish_produce(size_t index);

  // --- PartitionHost ------------------------------------------------------------------
  void submit_alter_partition(const TopicPartition& tp, AlterPartitionRequest request, uint64_t change_id) override;
  bool is_replica_isr_eligible(BrokerId broker, BrokerEpoch fetch_epoch) const override;
  BrokerEpoch local_broker_epoch() const override { return broker_epoch_(); }
  void on_leader_progress(const TopicPartition& tp) override;
  void on_partition_touched(const Partition& partition) override;

  Env& env_;
  const BrokerConfig& config_;
  RequestTracker& tracker_;
  const MetadataImage& image_;
  std::function<BrokerEpoch()> broker_epoch_;
  TimerTags tags_;
  std::map<TopicPartition, std::unique_ptr<Partition>> partitions_;
  // Partitions touched since check_invariants() last ran, in touch order.
  mutable std::vector<const Partition*> touched_partitions_;
  std::map<int32_t, std::unique_ptr<ReplicaFetcher>> fetchers_;  // by leader broker id
  std::vector<DelayedProduce> delayed_produces_;
  std::vector<DelayedFetch> delayed_fetches_;
  // KIP-227 sessions (volatile: a restarted broker starts with none). Made in start().
  std::optional<FetchSessionCache> fetch_sessions_;
};

}  // namespace ksim
