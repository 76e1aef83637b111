#pragma once
// The classic consumer-group protocol (KIP-62 / KIP-345 / KIP-394 / KIP-429
// era): FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
// OffsetCommit and OffsetFetch. Field names follow Kafka's message JSON files
// (clients/src/main/resources/common/message/*Request.json).
//
// Kafka carries the consumer's subscription and assignment as opaque bytes
// (ConsumerProtocolSubscription / ConsumerProtocolAssignment) that only the
// clients decode; the coordinator never looks inside. Here they are plain
// structs, and the coordinator still treats them as opaque: it stores and
// forwards them without reading them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/protocol/errors.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

// ConsumerProtocolSubscription (version 3): what a member asks for. owned and
// generation let the sticky assignors keep partitions where they are.
struct ConsumerSubscription {
  std::vector<std::string> topics;
  std::vector<TopicPartition> owned_partitions;
  GenerationId generation{-1};
  std::string rack;
  int64_t size_bytes() const {
    int64_t n = 16 + static_cast<int64_t>(rack.size());
    for (const auto& t : topics) n += 2 + static_cast<int64_t>(t.size());
    return n + 8 * static_cast<int64_t>(owned_partitions.size());
  }
  bool operator==(const ConsumerSubscription&) const = default;
};

// ConsumerProtocolAssignment: the partitions the leader gave one member.
struct ConsumerAssignment {
  std::vector<TopicPartition> partitions;
  int64_t size_bytes() const { return 8 + 8 * static_cast<int64_t>(partitions.size()); }
  bool operator==(const ConsumerAssignment&) const = default;
};

// --- FindCoordinator ----------------------------------------------------------

struct FindCoordinatorRequest {
  static constexpr std::string_view kName = "FindCoordinator";
  int32_t correlation_id = 0;
  std::string key;       // the group id
  int8_t key_type = 0;   // 0 = group (1 = transaction, not simulated)
  int64_t size_bytes() const { return 24 + static_cast<int64_t>(key.size()); }
};

struct FindCoordinatorResponse {
  static constexpr std::string_view kName = "FindCoordinatorResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;  // COORDINATOR_NOT_AVAILABLE while __consumer_offsets has no leader
  BrokerId coordinator{-1};
  NodeId node;              // where to send group requests
  int64_t size_bytes() const { return 32; }
};

// --- JoinGroup ----------------------------------------------------------------

struct JoinGroupProtocol {
  std::string name;  // the assignor's name, e.g. "range", "cooperative-sticky"
  ConsumerSubscription metadata;
};

struct JoinGroupRequest {
  static constexpr std::string_view kName = "JoinGroup";
  int32_t correlation_id = 0;
  std::string group_id;
  int32_t session_timeout_ms = 45000;
  int32_t rebalance_timeout_ms = 300000;  // the consumer sends max.poll.interval.ms
  std::string member_id;                  // "" on the first join (KIP-394: MEMBER_ID_REQUIRED)
  std::optional<std::string> group_instance_id;  // KIP-345 static membership
  std::string protocol_type = "consumer";
  std::vector<JoinGroupProtocol> protocols;  // in the member's order of preference
  std::string reason;                        // KIP-800
  int64_t size_bytes() const {
    int64_t n = 64 + static_cast<int64_t>(group_id.size() + member_id.size());
    for (const auto& p : protocols) n += 8 + static_cast<int64_t>(p.name.size()) + p.metadata.size_bytes();
    return n;
  }
};

struct JoinGroupResponseMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  ConsumerSubscription metadata;  // the subscription for the chosen protocol
};

struct JoinGroupResponse {
  static constexpr std::string_view kName = "JoinGroupResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  GenerationId generation_id{-1};
  std::string protocol_type = "consumer";
  std::string protocol_name;  // the assignor every member supports, chosen by vote
  std::string leader;         // the leader member's id
  bool skip_assignment = false;
  std::string member_id;      // this member's id (assigned by the coordinator)
  std::vector<JoinGroupResponseMember> members;  // only in the leader's response
  int64_t size_bytes() const {
    int64_t n = 64 + static_cast<int64_t>(leader.size() + member_id.size());
    for (const auto& m : members) n += 16 + static_cast<int64_t>(m.member_id.size()) + m.metadata.size_bytes();
    return n;
  }
};

// --- SyncGroup ------------------------------------------------------------------

struct SyncGroupAssignment {
  std::string member_id;
  ConsumerAssignment assignment;
};

struct SyncGroupRequest {
  static constexpr std::string_view kName = "SyncGroup";
  int32_t correlation_id = 0;
  std::string group_id;
  GenerationId generation_id{-1};
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string protocol_type = "consumer";
  std::string protocol_name;
  std::vector<SyncGroupAssignment> assignments;  // only from the leader
  int64_t size_bytes() const {
    int64_t n = 48 + static_cast<int64_t>(group_id.size() + member_id.size());
    for (const auto& a : assignments) n += 8 + static_cast<int64_t>(a.member_id.size()) + a.assignment.size_bytes();
    return n;
  }
};

struct SyncGroupResponse {
  static constexpr std::string_view kName = "SyncGroupResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  std::string protocol_type = "consumer";
  std::string protocol_name;
  ConsumerAssignment assignment;
  int64_t size_bytes() const { return 32 + assignment.size_bytes(); }
};

// --- Heartbeat --------------------------------------------------------------------

struct HeartbeatRequest {
  static constexpr std::string_view kName = "Heartbeat";
  int32_t correlation_id = 0;
  std::string group_id;
  GenerationId generation_id{-1};
  std::string member_id;
  std::optional<std::string> group_instance_id;
  int64_t size_bytes() const { return 32 + static_cast<int64_t>(group_id.size() + member_id.size()); }
};

struct HeartbeatResponse {
  static constexpr std::string_view kName = "HeartbeatResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;  // REBALANCE_IN_PROGRESS tells the member to rejoin
  int64_t size_bytes() const { return 16; }
};

// --- LeaveGroup -------------------------------------------------------------------

struct LeaveGroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::string reason;
};

struct LeaveGroupRequest {
  static constexpr std::string_view kName = "LeaveGroup";
  int32_t correlation_id = 0;
  std::string group_id;
  std::vector<LeaveGroupMember> members;  // KIP-345: batch leave
  int64_t size_bytes() const { return 32 + 32 * static_cast<int64_t>(members.size()); }
};

struct LeaveGroupMemberResponse {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  Errc error = Errc::none;
};

struct LeaveGroupResponse {
  static constexpr std::string_view kName = "LeaveGroupResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  std::vector<LeaveGroupMemberResponse> members;
  int64_t size_bytes() const { return 16 + 32 * static_cast<int64_t>(members.size()); }
};

// --- OffsetCommit -------------------------------------------------------------------

struct OffsetCommitPartition {
  TopicPartition tp;
  Offset committed_offset{-1};  // the next offset to consume (last processed + 1)
  LeaderEpoch committed_leader_epoch{-1};
  std::string committed_metadata;
};

struct OffsetCommitRequest {
  static constexpr std::string_view kName = "OffsetCommit";
  int32_t correlation_id = 0;
  std::string group_id;
  // -1 with an empty member id: a commit from outside the group (a standalone
  // consumer with assign()); otherwise checked against the group's generation.
  GenerationId generation_id{-1};
  std::string member_id;
  std::optional<std::string> group_instance_id;
  std::vector<OffsetCommitPartition> partitions;
  int64_t size_bytes() const { return 48 + 32 * static_cast<int64_t>(partitions.size()); }
};

struct OffsetCommitPartitionResponse {
  TopicPartition tp;
  Errc error = Errc::none;
};

struct OffsetCommitResponse {
  static constexpr std::string_view kName = "OffsetCommitResponse";
  int32_t correlation_id = 0;
  std::vector<OffsetCommitPartitionResponse> partitions;
  int64_t size_bytes() const { return 16 + 16 * static_cast<int64_t>(partitions.size()); }
};

// --- OffsetFetch --------------------------------------------------------------------

struct OffsetFetchRequest {
  static constexpr std::string_view kName = "OffsetFetch";
  int32_t correlation_id = 0;
  std::string group_id;
  std::vector<TopicPartition> partitions;  // empty with all_partitions: every committed partition
  bool all_partitions = false;
  bool require_stable = true;  // KIP-447 (only matters with transactions)
  int64_t size_bytes() const { return 32 + 8 * static_cast<int64_t>(partitions.size()); }
};

struct OffsetFetchPartitionResponse {
  TopicPartition tp;
  Offset committed_offset{-1};  // -1: nothing committed
  LeaderEpoch committed_leader_epoch{-1};
  std::string metadata;
  Errc error = Errc::none;
};

struct OffsetFetchResponse {
  static constexpr std::string_view kName = "OffsetFetchResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;  // group-level: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS
  std::vector<OffsetFetchPartitionResponse> partitions;
  int64_t size_bytes() const { return 16 + 24 * static_cast<int64_t>(partitions.size()); }
};

}  // namespace ksim
