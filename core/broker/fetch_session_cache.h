#pragma once
// The broker half of KIP-227 incremental fetch sessions (Kafka's
// kafka.server.FetchSession.scala: CachedPartition, FetchSession,
// FetchSessionCacheShard, FetchSessionCache).
//
// A session remembers, per partition a client fetches, the request parameters
// it last sent (so an incremental fetch need not repeat them) and the high
// watermark and log start offset it was last told (so a response need only
// carry what changed). It lives in the broker's memory only: a restarted
// broker has none, and an incremental fetch then gets FETCH_SESSION_ID_NOT_FOUND.
//
// The cache (max.incremental.fetch.session.cache.slots, 1000 by default) is
// split into 8 shards as Kafka 4.x's is (KafkaBroker.NumFetchSessionCacheShards),
// each with slots / 8 entries and its own range of session ids; new sessions
// go to the shards in turn. When a shard is full a new session takes the place
// of (FetchSessionCacheShard.tryEvict):
//   1. the least recently used session, if unused for more than 120 s
//      (MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS); else
//   2. the "least valuable" evictable session, ordered by (privileged, size,
//      id) (privileged = a follower's), if the new one is worth at least as
//      much. A follower's session is evictable only once older than 120 s; a
//      consumer's can always be evicted by a follower's, and by another
//      consumer's only once older than 120 s.
// Otherwise no session is made: the full response carries session id 0 and
// the client keeps sending full fetches.
//
// Session ids come from a stream seeded per broker incarnation (Kafka draws
// them from ThreadLocalRandom), never 0, unique in the cache.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

#include "core/base/rng.h"
#include "core/protocol/replication_messages.h"

namespace ksim {

class Partition;

// One partition of a session.
struct CachedPartition {
  FetchPartitionData request;           // the parameters last sent: tp, fetch offset, leader epochs, ...
  Offset high_watermark{-1};            // the HW the client was last told (-1 after an error)
  Offset local_log_start_offset{-1};    // the log start offset the client was last told
  // A handle to the broker's Partition (partitions live as long as the
  // broker), looked up on first read; null until the partition exists here.
  Partition* partition = nullptr;

  // CachedPartition.maybeUpdateResponseData: whether an incremental response
  // must carry this partition (records, a changed HW or log start offset, an
  // error, a diverging epoch); with `update`, remembers what it will carry.
  bool must_respond(int64_t records_bytes, Offset high_watermark, Offset log_start_offset, Errc error,
                    bool diverging, bool update);
};

class FetchSession {
 public:
  FetchSession(int32_t id, bool privileged, std::vector<CachedPartition> partitions, int64_t now_ms);

  int32_t id() const { return id_; }
  bool privileged() const { return privileged_; }
  int64_t creation_ms() const { return creation_ms_; }
  int64_t last_used_ms() const { return last_used_ms_; }
  // The epoch the next incremental request must carry.
  int32_t epoch() const { return epoch_; }
  void advance_epoch() { epoch_ = FetchMetadata::next_epoch(epoch_); }
  size_t size() const { return partitions_.size(); }
  bool empty() const { return partitions_.empty(); }

  // In session order: the order the broker reads them in.
  std::vector<CachedPartition>& partitions() { return partitions_; }
  const std::vector<CachedPartition>& partitions() const { return partitions_; }
  CachedPartition* find(const TopicPartition& tp);

  // FetchSession.update: the request's partitions are added (at the end) or
  // their parameters updated; the forgotten ones removed.
  void update(const std::vector<FetchPartitionData>& partitions, const std::vector<TopicPartition>& forgotten);
  // After a response: the partitions that returned records move to the end,
  // in the order read, so the others are read first next time (round-robin
  // fairness under the response size limit).
  void move_to_end(const std::vector<bool>& returned_records);

 private:
  friend class FetchSessionCache;
  int32_t id_;
  bool privileged_;
  std::vector<CachedPartition> partitions_;
  std::vector<CachedPartition> moved_;  // move_to_end's scratch, kept for its capacity
  int64_t creation_ms_;
  int64_t last_used_ms_;
  int32_t epoch_;
  int32_t cached_size_ = -1;  // the size its eviction key was filed under; -1: not yet
};

class FetchSessionCache {
 public:
  static constexpr int32_t kNumShards = 8;                  // KafkaBroker.NumFetchSessionCacheShards
  static constexpr int64_t kEvictionMs = 120000;            // MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS

  // `max_slots`: max.incremental.fetch.session.cache.slots, shared by the shards.
  FetchSessionCache(int32_t max_slots, uint64_t seed, int32_t num_shards = kNumShards,
                    int64_t eviction_ms = kEvictionMs);

  std::shared_ptr<FetchSession> get(int32_t session_id) const;
  // Makes a session of these partitions if there is room (evicting one if
  // the rules allow); returns its id, or 0 when none was made.
  int32_t maybe_create_session(int64_t now_ms, bool privileged, std::vector<CachedPartition> partitions);
  // Whether it was there.
  bool remove(int32_t session_id);
  // Marks a session used now and files it under its current size.
  void touch(FetchSession& session, int64_t now_ms);

  size_t size() const;
  int64_t total_partitions() const;
  int64_t evictions() const { return evictions_; }

 private:
  using EvictableKey = std::tuple<bool, int32_t, int32_t>;  // (privileged, size, id)
  struct Shard {
    int32_t max_entries = 0;
    int32_t id_begin = 1, id_end = 1;  // session ids in [id_begin, id_end)
    std::map<int32_t, std::shared_ptr<FetchSession>> sessions;
    std::set<std::pair<int64_t, int32_t>> last_used;  // (last used ms, id)
    std::set<EvictableKey> evictable_by_all;
    std::set<EvictableKey> evictable_by_privileged;
    int64_t partitions = 0;
  };
  Shard& shard_of(int32_t session_id);
  const Shard* find_shard(int32_t session_id) const;
  bool try_evict(Shard& shard, bool privileged, EvictableKey key, int64_t now_ms);
  void remove(Shard& shard, FetchSession& session);
  void touch(Shard& shard, FetchSession& session, int64_t now_ms);

  int64_t eviction_ms_;
  int32_t id_range_;
  std::vector<Shard> shards_;
  uint64_t next_shard_ = 0;
  Rng rng_;
  int64_t evictions_ = 0;
};

}  // namespace ksim
