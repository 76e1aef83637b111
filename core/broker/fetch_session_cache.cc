#include "core/broker/fetch_session_cache.h"

#include <algorithm>
#include <limits>

#include "core/base/assert.h"

namespace ksim {

bool CachedPartition::must_respond(int64_t records_bytes, Offset hw, Offset log_start_offset, Errc error,
                                   bool diverging, bool update) {
  bool must = records_bytes > 0;  // new data is always sent
  if (high_watermark != hw) {
    must = true;
    if (update) high_watermark = hw;
  }
  if (local_log_start_offset != log_start_offset) {
    must = true;
    if (update) local_log_start_offset = log_start_offset;
  }
  if (error != Errc::none) {
    // An error is always sent; forgetting the HW makes the partition be sent
    // again once the error is gone.
    must = true;
    if (update) high_watermark = Offset(-1);
  }
  if (diverging) must = true;
  return must;
}

FetchSession::FetchSession(int32_t id, bool privileged, std::vector<CachedPartition> partitions, int64_t now_ms)
    : id_(id),
      privileged_(privileged),
      partitions_(std::move(partitions)),
      creation_ms_(now_ms),
      last_used_ms_(now_ms),
      epoch_(FetchMetadata::next_epoch(kInitialFetchEpoch)) {}

CachedPartition* FetchSession::find(const TopicPartition& tp) {
  for (CachedPartition& cp : partitions_)
    if (cp.request.tp == tp) return &cp;
  return nullptr;
}

void FetchSession::update(const std::vector<FetchPartitionData>& partitions,
                          const std::vector<TopicPartition>& forgotten) {
  for (const FetchPartitionData& d : partitions) {
    if (CachedPartition* cp = find(d.tp)) {
      cp->request = d;  // updateRequestParams: the response state stays
    } else {
      CachedPartition& added = partitions_.emplace_back();
      added.request = d;
    }
  }
  for (const TopicPartition& tp : forgotten)
    std::erase_if(partitions_, [&](const CachedPartition& cp) { return cp.request.tp == tp; });
}

void FetchSession::move_to_end(const std::vector<bool>& returned_records) {
  KSIM_ASSERT(returned_records.size() == partitions_.size());
  if (std::none_of(returned_records.begin(), returned_records.end(), [](bool b) { return b; })) return;
  // A stable partition in place: usually one or two of ~20 partitions move, so
  // only those go through the (reused) scratch vector.
  moved_.clear();
  size_t kept = 0;
  for (size_t i = 0; i < partitions_.size(); ++i) {
    if (returned_records[i]) {
      moved_.push_back(std::move(partitions_[i]));
    } else {
      if (kept != i) partitions_[kept] = std::move(partitions_[i]);
      ++kept;
    }
  }
  for (CachedPartition& cp : moved_) partitions_[kept++] = std::move(cp);
  moved_.clear();
}

FetchSessionCache::FetchSessionCache(int32_t max_slots, uint64_t seed, int32_t num_shards, int64_t eviction_ms)
    : eviction_ms_(eviction_ms), id_range_(std::numeric_limits<int32_t>::max() / num_shards), rng_(seed) {
  KSIM_ASSERT(num_shards > 0);
  shards_.resize(static_cast<size_t>(num_shards));
  for (int32_t i = 0; i < num_shards; ++i) {
    Shard& s = shards_[static_cast<size_t>(i)];
    s.max_entries = std::max(max_slots, 0) / num_shards;
    s.id_begin = std::max(1, i * id_range_);
    s.id_end = (i + 1) * id_range_;
  }
}

FetchSessionCache::Shard& FetchSessionCache::shard_of(int32_t session_id) {
  const auto i = static_cast<size_t>(session_id / id_range_);
  return shards_[std::min(i, shards_.size() - 1)];
}

const FetchSessionCache::Shard* FetchSessionCache::find_shard(int32_t session_id) const {
  if (session_id <= 0) return nullptr;
  const auto i = static_cast<size_t>(session_id / id_range_);
  return &shards_[std::min(i, shards_.size() - 1)];
}

std::shared_ptr<FetchSession> FetchSessionCache::get(int32_t session_id) const {
  const Shard* s = find_shard(session_id);
  if (!s) return nullptr;
  auto it = s->sessions.find(session_id);
  return it == s->sessions.end() ? nullptr : it->second;
}

int32_t FetchSessionCache::maybe_create_session(int64_t now_ms, bool privileged,
                                                std::vector<CachedPartition> partitions) {
  Shard& shard = shards_[next_shard_++ % shards_.size()];
  const auto size = static_cast<int32_t>(partitions.size());
  if (static_cast<int32_t>(shard.sessions.size()) >= shard.max_entries &&
      !try_evict(shard, privileged, EvictableKey{privileged, size, 0}, now_ms))
    return kInvalidFetchSessionId;
  int32_t id = kInvalidFetchSessionId;
  do {
    id = static_cast<int32_t>(rng_.between(shard.id_begin, shard.id_end - 1));
  } while (id == kInvalidFetchSessionId || shard.sessions.count(id));
  auto session = std::make_shared<FetchSession>(id, privileged, std::move(partitions), now_ms);
  FetchSession& s = *session;
  shard.sessions.emplace(id, std::move(session));
  touch(shard, s, now_ms);
  return id;
}

bool FetchSessionCache::try_evict(Shard& shard, bool privileged, EvictableKey key, int64_t now_ms) {
  if (shard.last_used.empty()) return false;
  const auto [oldest_ms, oldest_id] = *shard.last_used.begin();
  if (now_ms - oldest_ms > eviction_ms_) {
    remove(shard, *shard.sessions.at(oldest_id));
    ++evictions_;
    return true;
  }
  const std::set<EvictableKey>& candidates = privileged ? shard.evictable_by_privileged : shard.evictable_by_all;
  if (candidates.empty()) return false;
  const EvictableKey victim = *candidates.begin();
  if (key < victim) return false;
  remove(shard, *shard.sessions.at(std::get<2>(victim)));
  ++evictions_;
  return true;
}

bool FetchSessionCache::remove(int32_t session_id) {
  const Shard* s = find_shard(session_id);
  if (!s || !s->sessions.count(session_id)) return false;
  Shard& shard = shard_of(session_id);
  remove(shard, *shard.sessions.at(session_id));
  return true;
}

void FetchSessionCache::remove(Shard& shard, FetchSession& session) {
  shard.last_used.erase({session.last_used_ms_, session.id_});
  const EvictableKey key{session.privileged_, session.cached_size_, session.id_};
  shard.evictable_by_all.erase(key);
  shard.evictable_by_privileged.erase(key);
  if (session.cached_size_ >= 0) shard.partitions -= session.cached_size_;
  shard.sessions.erase(session.id_);  // may destroy `session`: last
}

void FetchSessionCache::touch(FetchSession& session, int64_t now_ms) {
  Shard& shard = shard_of(session.id_);
  if (!shard.sessions.count(session.id_)) return;  // removed meanwhile: nothing to file
  touch(shard, session, now_ms);
}

void FetchSessionCache::touch(Shard& shard, FetchSession& session, int64_t now_ms) {
  shard.last_used.erase({session.last_used_ms_, session.id_});
  session.last_used_ms_ = now_ms;
  shard.last_used.insert({session.last_used_ms_, session.id_});
  if (session.cached_size_ != -1) {
    const EvictableKey old{session.privileged_, session.cached_size_, session.id_};
    shard.evictable_by_all.erase(old);
    shard.evictable_by_privileged.erase(old);
    shard.partitions -= session.cached_size_;
  }
  session.cached_size_ = static_cast<int32_t>(session.size());
  const EvictableKey key{session.privileged_, session.cached_size_, session.id_};
  const bool old_enough = now_ms - session.creation_ms_ > eviction_ms_;
  if (!session.privileged_ || old_enough) shard.evictable_by_privileged.insert(key);
  if (old_enough) shard.evictable_by_all.insert(key);
  shard.partitions += session.cached_size_;
}

size_t FetchSessionCache::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) n += s.sessions.size();
  return n;
}

int64_t FetchSessionCache::total_partitions() const {
  int64_t n = 0;
  for (const Shard& s : shards_) n += s.partitions;
  return n;
}

}  // namespace ksim
