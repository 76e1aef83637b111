#pragma once
// FetchMetadata: the (session id, session epoch) pair every Fetch carries since
// KIP-227 (incremental fetch sessions), with the epoch arithmetic both sides
// share (Kafka's org.apache.kafka.common.requests.FetchMetadata).
//
//   session id 0 (INVALID_SESSION_ID)   no session;
//   epoch 0 (INITIAL_EPOCH)             a full fetch that asks the broker to
//                                       create a session (and to close the one
//                                       named by the id, if any);
//   epoch -1 (FINAL_EPOCH)              a full fetch that creates no session
//                                       (closes the named one, if any);
//   epoch 1..INT32_MAX                  an incremental fetch in that session;
//                                       after INT32_MAX the epoch wraps to 1.
//
// A fetch is "full" when its epoch is INITIAL or FINAL: it lists every
// partition it wants. An incremental fetch lists only the partitions added to
// the session or whose fetch parameters changed, and names those to forget.
#include <cstdint>
#include <limits>

namespace ksim {

inline constexpr int32_t kInvalidFetchSessionId = 0;
inline constexpr int32_t kInitialFetchEpoch = 0;
inline constexpr int32_t kFinalFetchEpoch = -1;

struct FetchMetadata {
  int32_t session_id = kInvalidFetchSessionId;
  int32_t epoch = kInitialFetchEpoch;

  // The epoch after `prev`: FINAL stays FINAL, INT32_MAX wraps to 1 (never back
  // to INITIAL, which would read as "full").
  static constexpr int32_t next_epoch(int32_t prev) {
    if (prev < 0) return kFinalFetchEpoch;
    if (prev == std::numeric_limits<int32_t>::max()) return 1;
    return prev + 1;
  }
  static constexpr FetchMetadata initial() { return {kInvalidFetchSessionId, kInitialFetchEpoch}; }
  // No session at all (what a pre-KIP-227 client sends).
  static constexpr FetchMetadata legacy() { return {kInvalidFetchSessionId, kFinalFetchEpoch}; }
  // The first incremental fetch in a session the broker just created.
  static constexpr FetchMetadata new_incremental(int32_t session_id) { return {session_id, next_epoch(kInitialFetchEpoch)}; }

  constexpr bool is_full() const { return epoch == kInitialFetchEpoch || epoch == kFinalFetchEpoch; }
  constexpr FetchMetadata next_incremental() const { return {session_id, next_epoch(epoch)}; }
  // A full fetch that closes this session and creates no other.
  constexpr FetchMetadata next_close_existing() const { return {session_id, kFinalFetchEpoch}; }
  // A full fetch that closes this session and asks for a new one.
  constexpr FetchMetadata next_close_existing_attempt_new() const { return {session_id, kInitialFetchEpoch}; }
  constexpr bool operator==(const FetchMetadata&) const = default;
};

}  // namespace ksim
