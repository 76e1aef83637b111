#pragma once
// The records the group coordinator writes to __consumer_offsets, and their
// bytes in the log (Kafka's GroupCoordinatorRecordSerde with the message
// schemas OffsetCommitKey/Value and GroupMetadataKey/Value).
//
// A key starts with its schema version, which says what the record is, as in
// Kafka: versions 0 and 1 are an offset commit (group, topic, partition),
// version 2 is group metadata (group). Later records for the same key replace
// earlier ones (the topic is compacted); an empty value is a tombstone.
//
// GroupMetadataValue is written when a generation completes (the leader's
// SyncGroup, with every member's assignment), when a group becomes Empty, and
// when a static member is replaced in a Stable group. OffsetCommitValue is
// written for each committed partition.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/log/record_batch.h"
#include "core/protocol/group_messages.h"

namespace ksim {

struct GroupMetadataMember {
  std::string member_id;
  std::optional<std::string> group_instance_id;
  int32_t rebalance_timeout_ms = 0;
  int32_t session_timeout_ms = 0;
  ConsumerSubscription subscription;  // the member's metadata for the group's protocol
  ConsumerAssignment assignment;
  bool operator==(const GroupMetadataMember&) const = default;
};

struct GroupMetadataValue {
  std::string protocol_type;
  GenerationId generation{0};
  std::string protocol_name;  // "" when the group has no protocol (Empty)
  std::string leader;         // "" when none
  int64_t current_state_timestamp_ms = -1;
  std::vector<GroupMetadataMember> members;
  bool operator==(const GroupMetadataValue&) const = default;
};

struct OffsetCommitValue {
  Offset offset{-1};
  LeaderEpoch leader_epoch{-1};
  std::string metadata;
  int64_t commit_timestamp_ms = 0;
  bool operator==(const OffsetCommitValue&) const = default;
};

struct GroupRecord {
  enum class Kind : uint8_t { offset_commit, group_metadata };
  Kind kind = Kind::offset_commit;
  std::string group_id;
  TopicPartition tp;                        // offset_commit only
  std::optional<OffsetCommitValue> offset;  // offset_commit: nullopt is a tombstone
  std::optional<GroupMetadataValue> group;  // group_metadata: nullopt is a tombstone
  bool operator==(const GroupRecord&) const = default;
};

// The log record for `r` (key and value bytes; id as given).
Record encode_group_record(const GroupRecord& r, RecordId id, int64_t timestamp_ms);
// nullopt if the record is not a readable coordinator record.
std::optional<GroupRecord> decode_group_record(const Record& record);

}  // namespace ksim
