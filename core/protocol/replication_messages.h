#pragma once
// Produce, Fetch (follower and consumer), OffsetsForLeaderEpoch, ListOffsets
// and Metadata: the data-path requests between clients and brokers and between
// brokers. Field names follow Kafka's JSON message definitions
// (clients/src/main/resources/common/message/*.json).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/acks.h"
#include "core/base/ids.h"
#include "core/log/record_batch.h"
#include "core/protocol/errors.h"
#include "core/protocol/fetch_metadata.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

// --- Produce ----------------------------------------------------------------

struct ProducePartitionData {
  TopicPartition tp;
  RecordBatch batch;
};

struct ProduceRequest {
  static constexpr std::string_view kName = "Produce";
  int32_t correlation_id = 0;
  Acks acks = Acks::all;
  int32_t timeout_ms = 30000;
  std::vector<ProducePartitionData> partitions;
  int64_t size_bytes() const {
    int64_t n = 48;
    for (const auto& p : partitions) n += 16 + p.batch.size_bytes();
    return n;
  }
};

struct ProducePartitionResponse {
  TopicPartition tp;
  Errc error = Errc::none;
  Offset base_offset{-1};
  Offset log_start_offset{-1};
};

struct ProduceResponse {
  static constexpr std::string_view kName = "ProduceResponse";
  int32_t correlation_id = 0;
  std::vector<ProducePartitionResponse> partitions;
  int64_t size_bytes() const { return 16 + 40 * static_cast<int64_t>(partitions.size()); }
};

// --- Fetch ------------------------------------------------------------------

struct FetchPartitionData {
  TopicPartition tp;
  LeaderEpoch current_leader_epoch{-1};  // KIP-320 fencing; -1 = not checked
  Offset fetch_offset;
  LeaderEpoch last_fetched_epoch{-1};    // Fetch v12+: lets the leader spot divergence
  Offset log_start_offset{-1};
  int32_t partition_max_bytes = 1048576;
};

struct FetchRequest {
  static constexpr std::string_view kName = "Fetch";
  int32_t correlation_id = 0;
  BrokerId replica_id{-1};  // a follower's broker id; -1 for a consumer
  BrokerEpoch replica_epoch{-1};
  int32_t max_wait_ms = 500;
  int32_t min_bytes = 1;
  int32_t max_bytes = 52428800;
  // KIP-227 (fetch_metadata.h). The default, no session and FINAL_EPOCH, is a
  // sessionless full fetch.
  int32_t session_id = kInvalidFetchSessionId;
  int32_t session_epoch = kFinalFetchEpoch;
  // A full fetch: every partition wanted. An incremental fetch: the partitions
  // added to the session or whose fetch parameters changed.
  std::vector<FetchPartitionData> partitions;
  // ForgottenTopicsData: partitions an incremental fetch drops from its session.
  std::vector<TopicPartition> forgotten;
  bool from_follower() const { return replica_id.value >= 0; }
  FetchMetadata metadata() const { return {session_id, session_epoch}; }
  int64_t size_bytes() const {
    return 48 + 40 * static_cast<int64_t>(partitions.size()) + 24 * static_cast<int64_t>(forgotten.size());
  }
};

struct FetchPartitionResponse {
  TopicPartition tp;
  Errc error = Errc::none;
  Offset high_watermark{-1};
  Offset log_start_offset{-1};
  Offset log_end_offset{-1};  // not in Kafka's response; for the viewer and tests only
  // DivergingEpoch (v12+): set when the follower's log diverged from the
  // leader's; the follower truncates before fetching on.
  LeaderEpoch diverging_epoch{-1};
  Offset diverging_end_offset{-1};
  std::vector<RecordBatch> batches;
  bool has_diverging_epoch() const { return diverging_end_offset.value >= 0; }
};

struct FetchResponse {
  static constexpr std::string_view kName = "FetchResponse";
  int32_t correlation_id = 0;
  // Top-level error: FETCH_SESSION_ID_NOT_FOUND or INVALID_FETCH_SESSION_EPOCH
  // (then no partitions).
  Errc error = Errc::none;
  // The session this response belongs to (a full fetch: the one just created),
  // or 0: none (sessionless, the cache had no room, or the session closed).
  int32_t session_id = kInvalidFetchSessionId;
  // A full fetch: every requested partition. An incremental one: only the
  // session's partitions with news (records, an error, a new high watermark or
  // log start offset, a diverging epoch); the others are implied unchanged.
  std::vector<FetchPartitionResponse> partitions;
  int64_t size_bytes() const {
    int64_t n = 16;
    for (const auto& p : partitions) {
      n += 48;
      for (const auto& b : p.batches) n += b.size_bytes();
    }
    return n;
  }
};

// --- OffsetsForLeaderEpoch --------------------------------------------------

struct EpochQuery {
  TopicPartition tp;
  LeaderEpoch current_leader_epoch{-1};
  LeaderEpoch leader_epoch;  // the epoch whose end offset is wanted
};

struct OffsetsForLeaderEpochRequest {
  static constexpr std::string_view kName = "OffsetForLeaderEpoch";
  int32_t correlation_id = 0;
  BrokerId replica_id{-1};
  // 0: KIP-101's original answer (end offset only); 1+: KIP-279 (epoch + end offset).
  int16_t version = 4;
  std::vector<EpochQuery> partitions;
  int64_t size_bytes() const { return 32 + 24 * static_cast<int64_t>(partitions.size()); }
};

struct EpochAnswer {
  TopicPartition tp;
  Errc error = Errc::none;
  LeaderEpoch leader_epoch{-1};
  Offset end_offset{-1};
};

struct OffsetsForLeaderEpochResponse {
  static constexpr std::string_view kName = "OffsetForLeaderEpochResponse";
  int32_t correlation_id = 0;
  std::vector<EpochAnswer> partitions;
  int64_t size_bytes() const { return 16 + 24 * static_cast<int64_t>(partitions.size()); }
};

// --- ListOffsets --------------------------------------------------------------

inline constexpr int64_t kEarliestTimestamp = -2;
inline constexpr int64_t kLatestTimestamp = -1;

struct ListOffsetsPartition {
  TopicPartition tp;
  LeaderEpoch current_leader_epoch{-1};
  int64_t timestamp = kLatestTimestamp;
};

struct ListOffsetsRequest {
  static constexpr std::string_view kName = "ListOffsets";
  int32_t correlation_id = 0;
  BrokerId replica_id{-1};
  std::vector<ListOffsetsPartition> partitions;
  int64_t size_bytes() const { return 32 + 24 * static_cast<int64_t>(partitions.size()); }
};

struct ListOffsetsPartitionResponse {
  TopicPartition tp;
  Errc error = Errc::none;
  Offset offset{-1};
  LeaderEpoch leader_epoch{-1};
};

struct ListOffsetsResponse {
  static constexpr std::string_view kName = "ListOffsetsResponse";
  int32_t correlation_id = 0;
  std::vector<ListOffsetsPartitionResponse> partitions;
  int64_t size_bytes() const { return 16 + 24 * static_cast<int64_t>(partitions.size()); }
};

// --- Metadata (clients) -----------------------------------------------------

struct MetadataRequest {
  static constexpr std::string_view kName = "Metadata";
  int32_t correlation_id = 0;
  std::vector<std::string> topics;  // empty with all_topics: every topic
  bool all_topics = false;
  int64_t size_bytes() const { return 32 + 16 * static_cast<int64_t>(topics.size()); }
};

struct MetadataBroker {
  BrokerId id;
  NodeId node;
  std::string rack;
};

struct MetadataPartition {
  PartitionId partition;
  Errc error = Errc::none;
  BrokerId leader{-1};
  LeaderEpoch leader_epoch{-1};
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
};

struct MetadataTopic {
  std::string name;
  Errc error = Errc::none;
  std::vector<MetadataPartition> partitions;
};

struct MetadataResponse {
  static constexpr std::string_view kName = "MetadataResponse";
  int32_t correlation_id = 0;
  std::vector<MetadataBroker> brokers;  // unfenced brokers
  std::vector<MetadataTopic> topics;
  int64_t size_bytes() const {
    int64_t n = 32 + 24 * static_cast<int64_t>(brokers.size());
    for (const auto& t : topics) n += 32 + 48 * static_cast<int64_t>(t.partitions.size());
    return n;
  }
};

}  // namespace ksim
