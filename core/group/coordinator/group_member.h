#pragma once
// GroupMember: one member of a classic group as its coordinator knows it
// (Kafka's ClassicGroupMember).
//
// A member is "awaiting join" while the coordinator holds its JoinGroup
// response (the join phase of a rebalance), and "awaiting sync" while it holds
// its SyncGroup response (followers wait for the leader's assignment). Such a
// member satisfies its heartbeat obligation (hasSatisfiedHeartbeat), unless it
// is new: a member that joined in this rebalance can still expire
// (Kafka's isNew, with the 5-minute new-member join timeout).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/env/connection.h"
#include "core/env/timer.h"
#include "core/protocol/group_messages.h"

namespace ksim {

// Where a parked response goes: the connection its request came in on
// (core/env/connection.h).
struct PendingResponse {
  ReplyTo to;
  int32_t correlation_id = 0;
};

struct GroupMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;  // KIP-345 static membership
  int32_t session_timeout_ms = 45000;
  int32_t rebalance_timeout_ms = 300000;  // the consumer's max.poll.interval.ms
  std::string protocol_type;
  std::vector<JoinGroupProtocol> protocols;  // in the member's order of preference
  ConsumerAssignment assignment;             // from the last completed SyncGroup
  std::optional<PendingResponse> awaiting_join;
  std::optional<PendingResponse> awaiting_sync;
  bool is_new = false;
  TimerId heartbeat_timer;  // the session (or new-member join) deadline

  bool is_static() const { return group_instance_id.has_value(); }
  bool has_satisfied_heartbeat() const { return !is_new && (awaiting_join || awaiting_sync); }
  // The member's metadata for `protocol` (the subscription the leader sees).
  const ConsumerSubscription* metadata_for(const std::string& protocol) const {
    for (const auto& p : protocols)
      if (p.name == protocol) return &p.metadata;
    return nullptr;
  }
  // Same protocols and metadata in the same order (ClassicGroupMember.matches).
  bool matches(const std::vector<JoinGroupProtocol>& other) const {
    if (other.size() != protocols.size()) return false;
    for (size_t i = 0; i < other.size(); ++i)
      if (other[i].name != protocols[i].name || !(other[i].metadata == protocols[i].metadata)) return false;
    return true;
  }
};

}  // namespace ksim
