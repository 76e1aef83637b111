// The timeline lines of the broker-side idempotence events: what a lecture
// prints when a leader recognises a retry or refuses a batch.
#include <catch2/catch.hpp>

#include "sim/report/event_text.h"

namespace ksim {
namespace {

TraceHeader header() {
  TraceHeader h;
  h.nodes = {{"controller", "controller"}, {"broker-1", "broker"}, {"p1", "producer"}};
  return h;
}

TEST_CASE("the timeline says a duplicate was answered from the log, not appended", "[kernel][trace][idempotence]") {
  const TraceEvent e{SimTime{1000}, 1, NodeId(1),
                     trace::ProduceDuplicate{"orders", PartitionId(0), ProducerId(1000), ProducerEpoch(0), Sequence(5),
                                             Sequence(7), Offset(12), Offset(14)}};
  CHECK(describe_event(header(), e) ==
        "broker-1  orders-0: DUPLICATE from producer 1000 (epoch 0, seq 5..7): already at offsets 12..14, not "
        "appended again");
  CHECK(is_notable(e));
}

TEST_CASE("the timeline names the error of a refused batch and what the leader had", "[kernel][trace][idempotence]") {
  const TraceEvent e{SimTime{1000}, 1, NodeId(1),
                     trace::ProduceRejectedSequence{"orders", PartitionId(0), ProducerId(7), ProducerEpoch(0),
                                                    Sequence(9), Sequence(9), ProducerEpoch(0), Sequence(3),
                                                    "OUT_OF_ORDER_SEQUENCE_NUMBER"}};
  CHECK(describe_event(header(), e) ==
        "broker-1  orders-0: REJECTED batch of producer 7 (epoch 0, seq 9..9): OUT_OF_ORDER_SEQUENCE_NUMBER (stored "
        "epoch 0, last seq 3)");
}

TEST_CASE("the timeline shows producer id blocks and ids handed out", "[kernel][trace][idempotence]") {
  const TraceEvent block{SimTime{1000}, 1, NodeId(0),
                         trace::ProducerIdBlockAllocated{BrokerId(1), ProducerId(2000), 1000}};
  CHECK(describe_event(header(), block) == "controller  producer ids 2000..2999 allocated to broker-1");
  const TraceEvent id{SimTime{1000}, 2, NodeId(1),
                      trace::ProducerIdAllocated{NodeId(2), ProducerId(2000), ProducerEpoch(0)}};
  CHECK(describe_event(header(), id) == "broker-1  p1 is producer 2000 (epoch 0)");
}

}  // namespace
}  // namespace ksim
