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

}  // namespace ksim
