#include "core/group/coordinator/group_records.h"

#include "core/base/byte_codec.h"

namespace ksim {
namespace {

constexpr int16_t kOffsetCommitKeyVersion = 1;
constexpr int16_t kGroupMetadataKeyVersion = 2;
constexpr int16_t kOffsetCommitValueVersion = 3;
constexpr int16_t kGroupMetadataValueVersion = 3;

void put_opt(ByteWriter& w, const std::optional<std::string>& s) {
  w.put_bool(s.has_value());
  w.put_string(s.value_or(""));
}
bool get_opt(ByteReader& r, std::optional<std::string>& s) {
  bool has = false;
  std::string v;
  if (!r.get_bool(has) || !r.get_string(v)) return false;
  s = has ? std::optional<std::string>(std::move(v)) : std::nullopt;
  return true;
}

void put_partitions(ByteWriter& w, const std::vector<TopicPartition>& ps) {
  w.put(static_cast<uint32_t>(ps.size()));
  for (const auto& tp : ps) {
    w.put_string(tp.topic);
    w.put(tp.partition.value);
  }
}
bool get_partitions(ByteReader& r, std::vector<TopicPartition>& ps) {
  uint32_t n = 0;
  if (!r.get(n)) return false;
  ps.clear();
  for (uint32_t i = 0; i < n; ++i) {
    std::string topic;
    TopicPartition tp;
    if (!r.get_string(topic) || !r.get(tp.partition.value)) return false;
    tp.topic = topic;
    ps.push_back(std::move(tp));
  }
  return true;
}

void put_subscription(ByteWriter& w, const ConsumerSubscription& s) {
  w.put(static_cast<uint32_t>(s.topics.size()));
  for (const auto& t : s.topics) w.put_string(t);
  put_partitions(w, s.owned_partitions);
  w.put(s.generation.value);
  w.put_string(s.rack);
}
bool get_subscription(ByteReader& r, ConsumerSubscription& s) {
  uint32_t n = 0;
  if (!r.get(n)) return false;
  s.topics.resize(0);
  for (uint32_t i = 0; i < n; ++i) {
    std::string t;
    if (!r.get_string(t)) return false;
    s.topics.push_back(std::move(t));
  }
  return get_partitions(r, s.owned_partitions) && r.get(s.generation.value) && r.get_string(s.rack);
}

}  // namespace

Record encode_group_record(const GroupRecord& g, RecordId id, int64_t timestamp_ms) {
  ByteWriter k;
  ByteWriter v;
  bool tombstone = false;
  if (g.kind == GroupRecord::Kind::offset_commit) {
    k.put(kOffsetCommitKeyVersion);
    k.put_string(g.group_id);
    k.put_string(g.tp.topic);
    k.put(g.tp.partition.value);
    if (g.offset) {
      v.put(kOffsetCommitValueVersion);
      v.put(g.offset->offset.value);
      v.put(g.offset->leader_epoch.value);
      v.put_string(g.offset->metadata);
      v.put(g.offset->commit_timestamp_ms);
    } else {
      tombstone = true;
    }
  } else {
    k.put(kGroupMetadataKeyVersion);
    k.put_string(g.group_id);
    if (g.group) {
      const GroupMetadataValue& m = *g.group;
      v.put(kGroupMetadataValueVersion);
      v.put_string(m.protocol_type);
      v.put(m.generation.value);
      v.put_string(m.protocol_name);
      v.put_string(m.leader);
      v.put(m.current_state_timestamp_ms);
      v.put(static_cast<uint32_t>(m.members.size()));
      for (const auto& mm : m.members) {
        v.put_string(mm.member_id);
        put_opt(v, mm.group_instance_id);
        v.put(mm.rebalance_timeout_ms);
        v.put(mm.session_timeout_ms);
        put_subscription(v, mm.subscription);
        put_partitions(v, mm.assignment.partitions);
      }
    } else {
      tombstone = true;
    }
  }
  Record r;
  r.id = id;
  r.has_key = true;
  r.key = k.take();
  r.value = tombstone ? std::string() : v.take();
  r.value_bytes = static_cast<int32_t>(r.value.size());
  r.timestamp_ms = timestamp_ms;
  return r;
}

std::optional<GroupRecord> decode_group_record(const Record& record) {
  if (!record.has_key) return std::nullopt;
  ByteReader k(record.key);
  int16_t key_version = 0;
  GroupRecord g;
  if (!k.get(key_version) || !k.get_string(g.group_id)) return std::nullopt;
  const bool tombstone = record.value.empty();
  ByteReader v(record.value);
  int16_t value_version = 0;
  if (key_version == 0 || key_version == 1) {
    g.kind = GroupRecord::Kind::offset_commit;
    std::string topic;
    if (!k.get_string(topic) || !k.get(g.tp.partition.value) || !k.done()) return std::nullopt;
    g.tp.topic = topic;
    if (tombstone) return g;
    OffsetCommitValue o;
    if (!v.get(value_version) || !v.get(o.offset.value) || !v.get(o.leader_epoch.value) || !v.get_string(o.metadata) ||
        !v.get(o.commit_timestamp_ms) || !v.done())
      return std::nullopt;
    g.offset = std::move(o);
    return g;
  }
  if (key_version != kGroupMetadataKeyVersion || !k.done()) return std::nullopt;
  g.kind = GroupRecord::Kind::group_metadata;
  if (tombstone) return g;
  GroupMetadataValue m;
  uint32_t n = 0;
  if (!v.get(value_version) || !v.get_string(m.protocol_type) || !v.get(m.generation.value) ||
      !v.get_string(m.protocol_name) || !v.get_string(m.leader) || !v.get(m.current_state_timestamp_ms) || !v.get(n))
    return std::nullopt;
  for (uint32_t i = 0; i < n; ++i) {
    GroupMetadataMember mm;
    if (!v.get_string(mm.member_id) || !get_opt(v, mm.group_instance_id) || !v.get(mm.rebalance_timeout_ms) ||
        !v.get(mm.session_timeout_ms) || !get_subscription(v, mm.subscription) ||
        !get_partitions(v, mm.assignment.partitions))
      return std::nullopt;
    m.members.push_back(std::move(mm));
  }
  if (!v.done()) return std::nullopt;
  g.group = std::move(m);
  return g;
}

}  // namespace ksim
