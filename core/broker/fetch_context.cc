#include "core/broker/fetch_context.h"

#include "core/base/assert.h"

namespace ksim {
namespace {

std::vector<CachedPartition> cached_from(const std::vector<FetchPartitionData>& partitions) {
  std::vector<CachedPartition> out(partitions.size());
  for (size_t i = 0; i < partitions.size(); ++i) out[i].request = partitions[i];
  return out;
}

}  // namespace

FetchContext FetchContext::create(FetchSessionCache& cache, const FetchRequest& request, int64_t now_ms) {
  FetchContext c;
  c.privileged_ = request.from_follower();
  const FetchMetadata m = request.metadata();
  if (m.is_full()) {
    if (m.session_id != kInvalidFetchSessionId) cache.remove(m.session_id);
    c.kind_ = m.epoch == kFinalFetchEpoch ? Kind::sessionless : Kind::full;
    c.own_ = cached_from(request.partitions);
    return c;
  }
  std::shared_ptr<FetchSession> session = cache.get(m.session_id);
  if (!session) {
    c.kind_ = Kind::session_error;
    c.error_ = Errc::fetch_session_id_not_found;
    return c;
  }
  if (session->epoch() != m.epoch) {
    c.kind_ = Kind::session_error;
    c.error_ = Errc::invalid_fetch_session_epoch;
    return c;
  }
  session->update(request.partitions, request.forgotten);
  if (session->empty()) {
    // Nothing left to fetch: the session closes (a sessionless answer).
    cache.remove(session->id());
    c.kind_ = Kind::sessionless;
    c.own_ = cached_from(request.partitions);
    return c;
  }
  cache.touch(*session, now_ms);
  session->advance_epoch();
  c.kind_ = Kind::incremental;
  c.request_epoch_ = m.epoch;
  c.session_ = std::move(session);
  return c;
}

std::span<CachedPartition> FetchContext::partitions() {
  if (kind_ == Kind::incremental) return session_->partitions();
  return own_;
}

FetchPartitionResponse to_partition_response(const TopicPartition& tp, FollowerReadResult&& r) {
  FetchPartitionResponse pr;
  pr.tp = tp;
  pr.error = r.error;
  pr.high_watermark = r.high_watermark;
  pr.log_start_offset = r.log_start_offset;
  pr.log_end_offset = r.log_end_offset;
  if (r.diverging) {
    pr.diverging_epoch = r.diverging->epoch;
    pr.diverging_end_offset = r.diverging->end_offset;
  }
  pr.batches = std::move(r.read.batches);
  return pr;
}

FetchResponse FetchContext::respond(int32_t correlation_id, std::vector<FollowerReadResult>& reads,
                                    FetchSessionCache& cache, int64_t now_ms) {
  FetchResponse resp;
  resp.correlation_id = correlation_id;
  switch (kind_) {
    case Kind::session_error:
      resp.error = error_;
      return resp;
    case Kind::sessionless:
    case Kind::full: {
      KSIM_ASSERT(reads.size() == own_.size());
      resp.partitions.reserve(own_.size());
      for (size_t i = 0; i < own_.size(); ++i) {
        FollowerReadResult& r = reads[i];
        own_[i].high_watermark = r.high_watermark;
        own_[i].local_log_start_offset = r.log_start_offset;
        resp.partitions.push_back(to_partition_response(own_[i].request.tp, std::move(r)));
      }
      if (kind_ == Kind::full) resp.session_id = cache.maybe_create_session(now_ms, privileged_, std::move(own_));
      return resp;
    }
    case Kind::incremental: {
      FetchSession& s = *session_;
      // The session moved on since this request was accepted: a duplicate.
      if (s.epoch() != FetchMetadata::next_epoch(request_epoch_)) {
        resp.error = Errc::invalid_fetch_session_epoch;
        resp.session_id = s.id();
        return resp;
      }
      std::vector<CachedPartition>& parts = s.partitions();
      KSIM_ASSERT(reads.size() == parts.size());
      std::vector<bool> returned_records(parts.size(), false);
      for (size_t i = 0; i < parts.size(); ++i) {
        FollowerReadResult& r = reads[i];
        if (!parts[i].must_respond(r.read.bytes, r.high_watermark, r.log_start_offset, r.error, r.diverging.has_value(),
                                   /*update=*/true))
          continue;
        returned_records[i] = r.read.bytes > 0;
        resp.partitions.push_back(to_partition_response(parts[i].request.tp, std::move(r)));
      }
      s.move_to_end(returned_records);
      resp.session_id = s.id();
      return resp;
    }
  }
  return resp;
}

}  // namespace ksim
