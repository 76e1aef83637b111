#pragma once
// FetchSessionHandler: the client half of KIP-227 incremental fetch sessions,
// one per broker a client fetches from (Kafka's
// org.apache.kafka.clients.FetchSessionHandler). Both fetchers use it: a
// follower's ReplicaFetcher towards its leader and a consumer's Fetcher towards
// each partition leader.
//
// Each fetch is built from the partitions the caller wants now:
//
//   Builder b = handler.new_builder();
//   b.add(partition data) ...;          // every partition to fetch, this time
//   if (b.build(request)) send it;      // fills partitions, forgotten, session id/epoch
//
//   full fetch (no session yet, or the last one failed): the request lists
//       every partition; they become the session's partitions;
//   incremental fetch: the request lists the partitions new to the session
//       (in add order) then those whose parameters changed (fetch offset, log
//       start offset, max bytes, current leader epoch, last fetched epoch; in
//       session order), and forgets the session's partitions not added this time.
//       Unchanged partitions are implied.
//
// handle_response(): on a top-level error the response carries no data and
// the next fetch is full: FETCH_SESSION_ID_NOT_FOUND (e.g. the broker
// restarted: its cache is volatile) starts from no session; any other error
// (INVALID_FETCH_SESSION_EPOCH) closes the session and asks for a new one. A
// full response must answer exactly the session's partitions, an incremental
// one a subset of them; otherwise it is refused and the next fetch is full.
// A full response with session id 0 means the broker made no session (its
// cache is full): the next fetch is full again. A good incremental response
// moves the epoch on (wrapping past INT32_MAX to 1).
// handle_error() (the request failed or timed out): the next fetch is full and
// closes this session. notify_close(): the next fetch closes the session and
// asks for none (FINAL_EPOCH; a consumer leaving).
//
// Invariant: between build() and the response handled, the session's
// partitions are those the broker will hold if it accepts the request, and
// session_partition(tp) is the data the request meant for tp (callers match
// response partitions against it, as Kafka's sessionPartitions()).
#include <cstdint>
#include <map>
#include <vector>

#include "core/protocol/fetch_metadata.h"
#include "core/protocol/replication_messages.h"

namespace ksim {

class FetchSessionHandler {
  struct Entry;

 public:
  class Builder {
   public:
    // A partition to fetch now (each partition at most once per build).
    void add(const FetchPartitionData& data);
    // Fills `request`'s session fields, partitions and forgotten partitions.
    // Returns false when there is nothing to ask (no partition in the session
    // and none to forget); the request is then not to be sent.
    bool build(FetchRequest& request);

   private:
    friend class FetchSessionHandler;
    explicit Builder(FetchSessionHandler& handler);
    FetchSessionHandler& handler_;
    uint64_t build_;  // marks the session entries added in this build
    std::vector<FetchPartitionData> added_;  // new to the session (incremental), or all (full), in add order
    std::vector<const Entry*> altered_;     // session entries whose parameters changed
  };

  Builder new_builder() { return Builder(*this); }
  // Whether the response's data can be used (see the header); updates the
  // next request's metadata either way.
  bool handle_response(const FetchResponse& response);
  void handle_error() { next_ = next_.next_close_existing_attempt_new(); }
  void notify_close() { next_ = next_.next_close_existing(); }

  const FetchMetadata& next_metadata() const { return next_; }
  int32_t session_id() const { return next_.session_id; }
  size_t session_size() const { return session_.size(); }
  // The data the session holds for `tp` (what the last request meant), or null.
  const FetchPartitionData* session_partition(const TopicPartition& tp) const;
  // The session's partitions, in session order.
  std::vector<TopicPartition> session_partitions() const;

 private:
  struct Entry {
    FetchPartitionData data;
    uint64_t order = 0;  // session order: insertion
    uint64_t seen = 0;   // the build that last added it
  };
  static bool same_request(const FetchPartitionData& a, const FetchPartitionData& b);

  FetchMetadata next_ = FetchMetadata::initial();
  std::map<TopicPartition, Entry> session_;
  uint64_t next_order_ = 0;
  uint64_t builds_ = 0;
};

}  // namespace ksim
