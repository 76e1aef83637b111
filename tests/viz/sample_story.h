#pragma once
// A hand-scripted Kafka story as a trace, until the brokers and clients exist
// to write real ones: "acks=1 loses an acknowledged write when the leader
// dies". It drives the viewer's Partitions, Consumer groups and Record
// inspector panels in tests and screenshots.
//
//   0-600 ms   orders (2 partitions, RF 3). p1 produces with acks=1 every
//              50 ms; followers fetch every 50 ms; c1 and c2 (group g1,
//              cooperative) consume and commit.
//   600        broker-3 is cut off; at 700 the leaders shrink their ISRs.
//   990-1000   two records reach broker-1 (leader of orders-0) and are
//              acknowledged before any follower fetched them.
//   1002       broker-1 crashes. 1010: fenced; broker-2 leads orders-0 in
//              epoch 1 and writes new records at the same offsets.
//   1100       broker-3 heals and catches up; 1200 it rejoins the ISR.
//   1300       broker-1 restarts, truncates the two acknowledged records
//              (leader_epoch) and fetches epoch 1; 1400 it rejoins the ISR.
//   1450       c2 crashes; c1 takes orders-1 in generation 3.
#include <vector>

#include "tests/viz/trace_builder.h"

namespace ksim::test {

struct SampleStory {
  TraceBuilder trace;
  std::vector<RecordId> lost;  // the two acknowledged records broker-1 truncates
};

SampleStory acks1_leader_failover_story();

}  // namespace ksim::test
