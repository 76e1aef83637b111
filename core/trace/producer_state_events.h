#pragma once
// Trace events of idempotent producers on the broker side (KIP-98, KIP-730):
// a leader recognising a retried batch, a leader refusing a batch for its
// sequence or epoch, and producer ids handed out. docs/trace-format.md
// documents every kind. `topic` + `partition` name a partition; the event's
// node is the broker (or the controller) that decided.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/ids.h"

namespace ksim::trace {

// The leader got a batch whose producer id, epoch and exact sequence range
// match one of the producer's last five batches in its log: a retry. It
// answers NONE with the original offsets and appends nothing.
struct ProduceDuplicate {
  static constexpr std::string_view kKind = "produce_duplicate";
  std::string topic;
  PartitionId partition;
  ProducerId producer_id;
  ProducerEpoch producer_epoch;
  Sequence first_sequence;
  Sequence last_sequence;
  Offset base_offset;  // where the original batch is
  Offset last_offset;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("producer_id", s.producer_id);
    f("producer_epoch", s.producer_epoch); f("first_sequence", s.first_sequence);
    f("last_sequence", s.last_sequence); f("base_offset", s.base_offset); f("last_offset", s.last_offset);
  }
};

// The leader refused an idempotent batch: error is "OUT_OF_ORDER_SEQUENCE_NUMBER"
// (a gap, a repeat it no longer remembers, or a new epoch not starting at 0) or
// "INVALID_PRODUCER_EPOCH" (an epoch older than the one it has seen).
// stored_epoch / stored_last_sequence: what the leader had for the producer
// (-1: nothing).
struct ProduceRejectedSequence {
  static constexpr std::string_view kKind = "produce_rejected_sequence";
  std::string topic;
  PartitionId partition;
  ProducerId producer_id;
  ProducerEpoch producer_epoch;
  Sequence first_sequence;
  Sequence last_sequence;
  ProducerEpoch stored_epoch;
  Sequence stored_last_sequence;
  std::string error;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("topic", s.topic); f("partition", s.partition); f("producer_id", s.producer_id);
    f("producer_epoch", s.producer_epoch); f("first_sequence", s.first_sequence);
    f("last_sequence", s.last_sequence); f("stored_epoch", s.stored_epoch);
    f("stored_last_sequence", s.stored_last_sequence); f("error", s.error);
  }
};

// The controller handed a broker the block of producer ids
// [first_producer_id, first_producer_id + count) (AllocateProducerIds, KIP-730,
// written to the metadata log as a ProducerIdsRecord).
struct ProducerIdBlockAllocated {
  static constexpr std::string_view kKind = "producer_id_block_allocated";
  BrokerId broker;
  ProducerId first_producer_id;
  int32_t count = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("broker", s.broker); f("first_producer_id", s.first_producer_id); f("count", s.count);
  }
};

// A broker answered InitProducerId: the client `client` is now producer
// `producer_id` with epoch `producer_epoch` (0 for a new id).
struct ProducerIdAllocated {
  static constexpr std::string_view kKind = "producer_id_allocated";
  NodeId client;
  ProducerId producer_id;
  ProducerEpoch producer_epoch;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("client", s.client); f("producer_id", s.producer_id); f("producer_epoch", s.producer_epoch);
  }
};

}  // namespace ksim::trace
