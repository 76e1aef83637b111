#include "core/group/coordinator/coordinator_loader.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/assert.h"

namespace ksim {
namespace {

using LoadedMetadata = std::map<std::string, std::optional<GroupMetadataValue>>;

// GroupCoordinatorShard.replay over every record of the log: offsets go
// straight into the shard, group metadata is kept (last one wins) to be built
// once the whole log is read.
LoadedMetadata replay_log(const PartitionLog& log, CoordinatorShard& shard) {
  LoadedMetadata metadata;
  for (const LogSegment& seg : log.segments())
    for (const RecordBatch& b : seg.batches())
      for (const Record& r : b.records) {
        auto rec = decode_group_record(r);
        if (!rec) continue;
        if (rec->kind == GroupRecord::Kind::offset_commit) {
          if (rec->offset) shard.offsets[rec->group_id][rec->tp] = *rec->offset;
          else shard.offsets[rec->group_id].erase(rec->tp);
        } else {
          metadata[rec->group_id] = rec->group;
        }
      }
  return metadata;
}

std::optional<std::string> unless_empty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional(s);
}

ClassicGroup group_from_metadata(const std::string& group_id, const GroupMetadataValue& value) {
  ClassicGroup g(group_id);
  std::vector<GroupMember> members;
  for (const auto& mm : value.members) {
    GroupMember m;
    m.member_id = mm.member_id;
    m.group_instance_id = mm.group_instance_id;
    m.session_timeout_ms = mm.session_timeout_ms;
    m.rebalance_timeout_ms = mm.rebalance_timeout_ms;
    m.protocol_type = value.protocol_type;
    m.protocols.push_back(JoinGroupProtocol{value.protocol_name, mm.subscription});
    m.assignment = mm.assignment;
    members.push_back(std::move(m));
  }
  g.load(value.generation, unless_empty(value.protocol_type), unless_empty(value.protocol_name),
         unless_empty(value.leader), std::move(members));
  g.current_state_timestamp_ms = value.current_state_timestamp_ms;
  return g;
}

}  // namespace

int32_t load_coordinator_shard(const PartitionLog* log, CoordinatorShard& shard) {
  KSIM_ASSERT(shard.groups.empty() && shard.offsets.empty());
  LoadedMetadata metadata;
  if (log) metadata = replay_log(*log, shard);
  for (auto& [group_id, value] : metadata) {
    if (!value) continue;  // deleted
    shard.groups.emplace(group_id, group_from_metadata(group_id, *value));
  }
  // Offsets deleted by tombstones leave nothing behind (an expired group stays gone).
  std::erase_if(shard.offsets, [](const auto& kv) { return kv.second.empty(); });
  int32_t offsets = 0;
  for (auto& [group_id, o] : shard.offsets) {
    offsets += static_cast<int32_t>(o.size());
    if (!shard.groups.count(group_id)) shard.groups.emplace(group_id, ClassicGroup(group_id));
  }
  return offsets;
}

}  // namespace ksim
