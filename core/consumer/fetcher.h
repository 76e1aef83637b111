#pragma once
// Fetcher: the consumer's data path (Kafka's Fetcher, AbstractFetch and
// FetchCollector, reduced).
//
//   1. send_fetches(): for every partition leader that has no fetch of ours in
//      flight, one Fetch (replica_id -1, so the leader answers only up to the
//      high watermark) with each fetchable partition it leads that has no data
//      buffered: fetch offset = the position, current leader epoch from the
//      metadata (KIP-320), max.partition.fetch.bytes per partition,
//      fetch.max.bytes, fetch.min.bytes and fetch.max.wait.ms for the long poll.
//      Each leader's fetches go through a KIP-227 session (FetchSessionHandler,
//      one per node): after the first, full, fetch a request lists only the
//      partitions new to the session or whose position moved, and forgets
//      those not fetched this time (revoked, buffered, moved to another
//      leader); the leader answers only partitions with news. A session
//      error makes the next fetch to that node full. close_sessions() (the
//      consumer closing) tells each leader to drop the session (FINAL_EPOCH).
//   2. A response's partitions are buffered as completed fetches, in arrival
//      order. Errors are handled as AbstractFetch.handleInitializeErrors does:
//        NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE,
//        FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, KAFKA_STORAGE_ERROR
//            -> forget the leader, refresh metadata, fetch again later;
//        OFFSET_OUT_OF_RANGE (and the position is still the fetch offset)
//            -> reset the position by auto.offset.reset, or, with "none", a
//               fatal OffsetOutOfRangeException for the application.
//   3. collect(max.poll.records): hands out buffered records in order and moves
//      each partition's position past them. Data for a partition no longer
//      assigned, or fetched at an offset other than the current position (the
//      position was reset or sought since), is dropped, as FetchCollector does.
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/client/fetch_session_handler.h"
#include "core/consumer/consumer_config.h"
#include "core/consumer/consumer_metadata.h"
#include "core/consumer/subscription_state.h"
#include "core/env/env.h"
#include "core/net/request_tracker.h"

namespace ksim {

// The records of one partition one poll() returned.
struct PolledPartition {
  TopicPartition tp;
  std::vector<Offset> offsets;
  std::vector<RecordId> records;
};

class Fetcher {
 public:
  Fetcher(Env& env, RequestTracker& tracker, const ConsumerConfig& config, SubscriptionState& subscriptions,
          ConsumerMetadata& metadata);

  void send_fetches();
  // Up to `max_records` records, oldest first; positions move past them.
  std::vector<PolledPartition> collect(int32_t max_records);
  bool has_buffered_data() const;
  // Forgets buffered data of partitions that are no longer assigned.
  void drop_unassigned();
  size_t fetches_in_flight() const { return in_flight_.size(); }
  // AbstractFetch.closeInternal: a FINAL_EPOCH fetch to each node we hold a
  // session with, so the broker frees it.
  void close_sessions();
  const FetchSessionHandler* session(NodeId node) const;

  // Called when a response arrived (data, an error or nothing): the consumer
  // may be able to complete a poll().
  std::function<void()> on_progress;
  // auto.offset.reset=none and a position fell out of range.
  std::function<void(const TopicPartition&, Errc)> on_fatal;

 private:
  struct CompletedFetch {
    TopicPartition tp;
    Offset fetch_offset;
    struct Item {
      Offset offset;
      RecordId record;
      LeaderEpoch epoch;
    };
    std::vector<Item> items;
    size_t next = 0;
  };

  void handle_response(NodeId node, const Message* response, Errc transport_error);
  FetchRequest new_request() const;

  Env& env_;
  RequestTracker& tracker_;
  const ConsumerConfig& config_;
  SubscriptionState& subscriptions_;
  ConsumerMetadata& metadata_;
  std::set<NodeId> in_flight_;
  std::map<NodeId, FetchSessionHandler> sessions_;  // by leader node
  std::deque<CompletedFetch> buffer_;
};

}  // namespace ksim
