#include "core/controller/metadata_record_codec.h"

#include "core/base/byte_codec.h"

#include <cstring>
#include <type_traits>

namespace ksim {
namespace {

constexpr uint32_t kMetadataRecordMagic = 0x6b6d6431;  // "kmd1": a ksim metadata record entry

// The variant index is the tag: appending record types keeps old logs readable.
enum class Tag : uint8_t { register_broker = 0, registration_change = 1, topic = 2, partition = 3, producer_ids = 4 };
static_assert(std::is_same_v<std::variant_alternative_t<0, MetadataRecord>, RegisterBrokerRecord>);
static_assert(std::is_same_v<std::variant_alternative_t<1, MetadataRecord>, BrokerRegistrationChangeRecord>);
static_assert(std::is_same_v<std::variant_alternative_t<2, MetadataRecord>, TopicRecord>);
static_assert(std::is_same_v<std::variant_alternative_t<3, MetadataRecord>, PartitionRecord>);
static_assert(std::is_same_v<std::variant_alternative_t<4, MetadataRecord>, ProducerIdsRecord>);
static_assert(std::variant_size_v<MetadataRecord> == 5, "a new record type needs a tag and a codec");


void encode(ByteWriter& w, const RegisterBrokerRecord& r) {
  w.put(r.broker.value);
  w.put(r.broker_epoch.value);
  w.put(r.node.value);
  w.put_string(r.rack);
  w.put(r.incarnation_id);
}
void encode(ByteWriter& w, const BrokerRegistrationChangeRecord& r) {
  w.put(r.broker.value);
  w.put(r.broker_epoch.value);
  w.put_bool(r.fenced);
  w.put_bool(r.in_controlled_shutdown);
}
void encode(ByteWriter& w, const TopicRecord& r) {
  w.put_string(r.name);
  w.put(r.partitions);
  w.put(static_cast<uint32_t>(r.configs.size()));
  for (const auto& [k, v] : r.configs) {
    w.put_string(k);
    w.put_string(v);
  }
}
void encode(ByteWriter& w, const PartitionRecord& r) {
  w.put_string(r.topic);
  w.put(r.partition.value);
  w.put_ints(r.replicas);
  w.put_ints(r.isr);
  w.put_ints(r.elr);
  w.put_ints(r.last_known_elr);
  w.put(r.leader.value);
  w.put(r.leader_epoch.value);
  w.put(r.partition_epoch);
}
void encode(ByteWriter& w, const ProducerIdsRecord& r) {
  w.put(r.broker.value);
  w.put(r.broker_epoch.value);
  w.put(r.next_producer_id.value);
}

bool decode(ByteReader& r, RegisterBrokerRecord& x) {
  return r.get(x.broker.value) && r.get(x.broker_epoch.value) && r.get(x.node.value) && r.get_string(x.rack) &&
         r.get(x.incarnation_id);
}
bool decode(ByteReader& r, BrokerRegistrationChangeRecord& x) {
  return r.get(x.broker.value) && r.get(x.broker_epoch.value) && r.get_bool(x.fenced) &&
         r.get_bool(x.in_controlled_shutdown);
}
bool decode(ByteReader& r, TopicRecord& x) {
  uint32_t n = 0;
  if (!r.get_string(x.name) || !r.get(x.partitions) || !r.get(n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!r.get_string(k) || !r.get_string(v)) return false;
    x.configs[k] = v;
  }
  return true;
}
bool decode(ByteReader& r, PartitionRecord& x) {
  std::string topic;
  if (!r.get_string(topic)) return false;
  x.topic = topic;
  return r.get(x.partition.value) && r.get_ints(x.replicas) && r.get_ints(x.isr) &&
         r.get_ints(x.elr) && r.get_ints(x.last_known_elr) && r.get(x.leader.value) && r.get(x.leader_epoch.value) &&
         r.get(x.partition_epoch);
}

bool decode(ByteReader& r, ProducerIdsRecord& x) {
  return r.get(x.broker.value) && r.get(x.broker_epoch.value) && r.get(x.next_producer_id.value);
}

template <class T>
std::optional<MetadataRecord> decode_as(ByteReader& r) {
  T x;
  if (!decode(r, x) || !r.done()) return std::nullopt;
  return MetadataRecord(std::move(x));
}

}  // namespace

std::string encode_metadata_record(const MetadataRecord& record) {
  ByteWriter w;
  w.put(kMetadataRecordMagic);
  w.put(static_cast<uint8_t>(record.index()));
  std::visit([&](const auto& r) { encode(w, r); }, record);
  return w.take();
}

std::optional<MetadataRecord> decode_metadata_record(const std::string& bytes) {
  ByteReader r(bytes);
  uint32_t magic = 0;
  uint8_t tag = 0;
  if (!r.get(magic) || magic != kMetadataRecordMagic || !r.get(tag)) return std::nullopt;
  switch (static_cast<Tag>(tag)) {
    case Tag::register_broker: return decode_as<RegisterBrokerRecord>(r);
    case Tag::registration_change: return decode_as<BrokerRegistrationChangeRecord>(r);
    case Tag::topic: return decode_as<TopicRecord>(r);
    case Tag::partition: return decode_as<PartitionRecord>(r);
    case Tag::producer_ids: return decode_as<ProducerIdsRecord>(r);
  }
  return std::nullopt;
}

}  // namespace ksim
