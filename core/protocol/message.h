#pragma once
// Message: every request and response that crosses the simulated network, as one
// closed variant. Each alternative is a plain struct with
//   static constexpr std::string_view kName;  // Kafka's API name, e.g. "Fetch"
//   int64_t size_bytes() const;              // simulated wire size
// The network carries them by value (no per-message virtual dispatch), the
// trace names them by kName, and fetch.max.bytes-style limits use size_bytes().
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/protocol/controller_messages.h"
#include "core/protocol/demo_messages.h"
#include "core/protocol/group_messages.h"
#include "core/protocol/producer_messages.h"
#include "core/protocol/replication_messages.h"

namespace ksim {

using Message = std::variant<demo::Gossip,
                             // brokers <-> controller
                             BrokerRegistrationRequest, BrokerRegistrationResponse, BrokerHeartbeatRequest,
                             BrokerHeartbeatResponse, MetadataFetchRequest, MetadataFetchResponse,
                             AlterPartitionRequest, AlterPartitionResponse, CreateTopicsRequest, CreateTopicsResponse,
                             CreatePartitionsRequest, CreatePartitionsResponse,
                             // data path
                             ProduceRequest, ProduceResponse, FetchRequest, FetchResponse,
                             OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse, ListOffsetsRequest,
                             ListOffsetsResponse, MetadataRequest, MetadataResponse,
                             // idempotent producers
                             InitProducerIdRequest, InitProducerIdResponse, AllocateProducerIdsRequest,
                             AllocateProducerIdsResponse,
                             // consumer groups
                             FindCoordinatorRequest, FindCoordinatorResponse, JoinGroupRequest, JoinGroupResponse,
                             SyncGroupRequest, SyncGroupResponse, HeartbeatRequest, HeartbeatResponse,
                             LeaveGroupRequest, LeaveGroupResponse, OffsetCommitRequest, OffsetCommitResponse,
                             OffsetFetchRequest, OffsetFetchResponse>;

inline std::string_view message_name(const Message& m) {
  return std::visit([](const auto& alt) { return std::decay_t<decltype(alt)>::kName; }, m);
}

inline int64_t message_size_bytes(const Message& m) {
  return std::visit([](const auto& alt) { return alt.size_bytes(); }, m);
}

}  // namespace ksim
