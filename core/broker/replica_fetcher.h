#pragma once
// ReplicaFetcher: a follower broker's replication from one leader broker
// (Kafka's ReplicaFetcherThread / AbstractFetcherThread, one per source broker).
//
//   1. When a partition starts following a leader (a new leader epoch) it is
//      added here, and its divergence from the leader's log is resolved as the
//      broker's replication.truncation mode says:
//        high-watermark   truncate to the local HW at once (pre-0.11; KIP-101
//                         shows how this loses acknowledged records);
//        leader-epoch-v0  ask OffsetsForLeaderEpoch v0 for the end of its latest
//                         epoch, truncate to min(that, LEO) (0.11; KAFKA-6361);
//        leader-epoch     fetch with LastFetchedEpoch; the leader answers a
//                         diverging log with DivergingEpoch, the follower
//                         truncates (possibly in several rounds) and goes on
//                         (KIP-279 / KIP-320 / Fetch v12+, Kafka today).
//   2. One Fetch at a time to the leader, for every partition in fetching state,
//      at the partition's LEO. The leader parks it up to replica.fetch.wait.max.ms
//      when there is nothing new (long poll), so the next fetch follows at once.
//      Fetches go through a KIP-227 session (FetchSessionHandler): after the
//      first, full, fetch only partitions whose fetch offset (or other
//      parameter) moved are listed, partitions no longer fetched (removed,
//      backing off, truncating) are forgotten, and the leader answers only
//      partitions with news. A session error makes the next fetch full.
//   3. Fetched batches are appended; the follower's HW becomes min(leader HW, LEO).
//   4. Errors: a failed or timed-out request backs the whole fetcher off for
//      replica.fetch.backoff.ms; a partition error backs that partition off, or
//      (FENCED_LEADER_EPOCH) parks it until new metadata arrives.
//   5. Fetched data that cannot be appended (the first batch starts below the
//      LEO: Kafka's UnexpectedAppendOffsetException, a log that diverged
//      inside one of the leader's batches) marks the partition failed
//      (markPartitionFailed): it leaves the fetcher until it is added again
//      for a new leader epoch, and the leader drops it from the ISR.
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/broker/partition.h"
#include "core/client/fetch_session_handler.h"
#include "core/net/request_tracker.h"

namespace ksim {

class ReplicaFetcher {
 public:
  ReplicaFetcher(Env& env, RequestTracker& tracker, const BrokerConfig& config, BrokerId leader, NodeId leader_node,
                 TimerTag backoff_tag);

  BrokerId leader() const { return leader_; }
  // Starts following `partition` (which has just become a follower of leader()
  // in its current leader epoch): resolves divergence, then fetches.
  void add_partition(Partition& partition, BrokerEpoch local_epoch);
  void remove_partition(const TopicPartition& tp);
  bool empty() const { return partitions_.empty(); }
  const FetchSessionHandler& session() const { return session_; }
  bool has(const TopicPartition& tp) const { return partitions_.count(tp) > 0; }
  // Marked failed by this fetcher (rule 5) and not added since (FailedPartitions).
  bool has_failed(const TopicPartition& tp) const { return failed_.count(tp) > 0; }
  void set_local_epoch(BrokerEpoch epoch) { local_epoch_ = epoch; }

  // The backoff timer (tag == backoff_tag) fired.
  void on_backoff_timer();
  // Sends the next request if none is outstanding and something is ready.
  void maybe_send();

 private:
  enum class State : uint8_t { truncating, fetching, awaiting_metadata };
  struct PartitionState {
    Partition* partition;
    LeaderEpoch leader_epoch;
    State state;
    int64_t delayed_until_ms = 0;  // a per-partition backoff after a partition error
  };

  void send_fetch();
  void send_epoch_queries();
  void on_fetch_response(const FetchResponse& response);
  void on_epoch_response(const OffsetsForLeaderEpochResponse& response, const std::map<TopicPartition, LeaderEpoch>& sent);
  void on_out_of_range(const TopicPartition& tp);
  void handle_diverging(PartitionState& ps, const FetchPartitionResponse& p);
  void handle_partition_error(PartitionState& ps, Errc error);
  // Rule 5: stops fetching the partition at `it`, whose answer `p` it could not append.
  void mark_partition_failed(std::map<TopicPartition, PartitionState>::iterator it, const FetchPartitionResponse& p);
  void back_off();
  bool ready(const PartitionState& ps) const;
  int64_t now_ms() const { return env_.now().ms(); }

  Env& env_;
  RequestTracker& tracker_;
  const BrokerConfig& config_;
  BrokerId leader_;
  NodeId leader_node_;
  TimerTag backoff_tag_;
  BrokerEpoch local_epoch_{-1};
  std::map<TopicPartition, PartitionState> partitions_;
  std::set<TopicPartition> failed_;
  FetchSessionHandler session_;  // towards leader_
  bool in_flight_ = false;
  bool backing_off_ = false;
  TimerId backoff_timer_;
};

}  // namespace ksim
