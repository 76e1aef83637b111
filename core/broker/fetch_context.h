#pragma once
// FetchContext: how the leader reads one Fetch and shapes its answer under
// KIP-227 (Kafka's FetchContext family in FetchSession.scala; this is
// FetchManager.newContext's choice):
//
//   session error  an incremental fetch naming a session the cache does not
//                  have (FETCH_SESSION_ID_NOT_FOUND: evicted, or the broker
//                  restarted) or whose epoch is not the session's next one
//                  (INVALID_FETCH_SESSION_EPOCH). Reads nothing; the answer
//                  is the error, with no partitions.
//   sessionless    a full fetch with FINAL_EPOCH (it closes the session it
//                  names, if any), or an incremental fetch that forgot the
//                  last partitions of its session (which is then closed).
//                  Reads and answers the listed partitions; session id 0.
//   full           a full fetch with INITIAL_EPOCH (closing the session it
//                  names, if any). Reads and answers the listed partitions;
//                  when answering, the cache makes a session of them, with
//                  the HW and log start offset just sent (its id goes back,
//                  or 0 if the cache had no room).
//   incremental    the session's epoch matched: the request's partitions are
//                  added to or updated in the session, the forgotten ones
//                  removed, the epoch moves on and the session is touched.
//                  Every partition of the session is read (a follower's
//                  fetch state moves for the implied ones too), but the answer
//                  carries only those with news (CachedPartition::must_respond);
//                  those that returned records move to the session's end.
//
// A context lives from the request's arrival to its answer, across a parked
// (DelayedFetch) wait. The answer is shaped only when it is sent: a parked
// fetch's first read leaves the session's HWs as they were.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/broker/fetch_session_cache.h"
#include "core/broker/partition.h"

namespace ksim {

class FetchContext {
 public:
  enum class Kind : uint8_t { session_error, sessionless, full, incremental };

  static FetchContext create(FetchSessionCache& cache, const FetchRequest& request, int64_t now_ms);

  Kind kind() const { return kind_; }
  Errc error() const { return error_; }
  // What to read, in order (empty for a session error).
  std::span<CachedPartition> partitions();
  // updateAndGenerateResponseData. `reads[i]` is what partitions()[i] read;
  // the records are moved into the answer.
  FetchResponse respond(int32_t correlation_id, std::vector<FollowerReadResult>& reads, FetchSessionCache& cache,
                        int64_t now_ms);

 private:
  Kind kind_ = Kind::sessionless;
  Errc error_ = Errc::none;
  bool privileged_ = false;         // from a follower
  int32_t request_epoch_ = 0;       // the incremental request's epoch
  std::vector<CachedPartition> own_;       // sessionless and full: the request's partitions
  std::shared_ptr<FetchSession> session_;  // incremental
};

// One partition's answer from what it read.
FetchPartitionResponse to_partition_response(const TopicPartition& tp, FollowerReadResult&& read);

}  // namespace ksim
