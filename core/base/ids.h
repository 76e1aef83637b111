#pragma once
// The numbers Kafka's protocol passes around, each its own type.
#include <cstdint>

#include "core/base/strong_int.h"

namespace ksim {

// A simulated process: a broker, the controller or a client. Dense, from 0, in
// the order the run created them; the trace names them ("broker-1", "p1").
using NodeId = StrongInt<struct NodeIdTag, uint32_t>;
// Kafka's broker.id / node.id as configured (brokers are numbered from 1).
using BrokerId = StrongInt<struct BrokerIdTag, int32_t>;
using Offset = StrongInt<struct OffsetTag, int64_t>;
using LeaderEpoch = StrongInt<struct LeaderEpochTag, int32_t>;
using PartitionId = StrongInt<struct PartitionIdTag, int32_t>;
using ProducerId = StrongInt<struct ProducerIdTag, int64_t>;
using ProducerEpoch = StrongInt<struct ProducerEpochTag, int16_t>;
using Sequence = StrongInt<struct SequenceTag, int32_t>;
using GenerationId = StrongInt<struct GenerationIdTag, int32_t>;
using BrokerEpoch = StrongInt<struct BrokerEpochTag, int64_t>;

inline constexpr NodeId kNoNode{UINT32_MAX};
inline constexpr BrokerId kNoBroker{-1};

// A produced record's identity, unique within a run, so checkers can follow it
// from send to log to consumer: the producing node in the high bits, that
// producer's running count of send() calls in the low 40 bits. Kafka has no such
// id; ksim carries it inside the record value, as Jepsen's workloads do.
using RecordId = StrongInt<struct RecordIdTag, uint64_t>;
constexpr RecordId make_record_id(NodeId producer, uint64_t send_index) {
  return RecordId((static_cast<uint64_t>(producer.value) << 40) | send_index);
}
constexpr NodeId record_producer(RecordId id) { return NodeId(static_cast<uint32_t>(id.value >> 40)); }
constexpr uint64_t record_send_index(RecordId id) { return id.value & ((uint64_t{1} << 40) - 1); }

}  // namespace ksim
