#pragma once
// Helpers shared by the tests that run KafkaConsumers against the REAL group
// coordinator in a full cluster (real_group_test.cc, real_group_rebalance_test.cc,
// fetch_session_replication_test.cc):
// a cluster with a small __consumer_offsets, a member of group g1 with one
// assignor and manual commits, a workload reading "orders", and "stable".
#include <string>

#include "core/group/assignor/assignor_registry.h"
#include "tests/consumer/consumer_fixture.h"

namespace ksim::test {

inline ConsumerFixtureOptions real_group_cluster(int32_t partitions) {
  ConsumerFixtureOptions o;
  o.partitions = partitions;
  o.customize = [](ClusterSpec& s) { s.broker.offsets_topic_num_partitions = 5; };
  return o;
}

// A member of g1 reading from the earliest offset, committing only as its
// workload says (no auto commit).
inline ConsumerConfig group_member(const std::string& strategy = "range") {
  ConsumerConfig c;
  c.group_id = "g1";
  c.auto_offset_reset = OffsetResetStrategy::earliest;
  c.enable_auto_commit = false;
  c.assignors = {group::find_assignor(strategy).assignor};
  return c;
}

inline ConsumerWorkload group_reader(int64_t start_ms, CommitPolicy commit = CommitPolicy::after_poll,
                                     int64_t processing_ms = 20) {
  ConsumerWorkload w;
  w.topics = {"orders"};
  w.start_ms = start_ms;
  w.commit = commit;
  w.processing.fixed = millis(processing_ms);
  return w;
}

// In the group with an assignment it does not need to rejoin for, and not failed.
inline bool stable(KafkaConsumer& c) {
  return c.app_state() != KafkaConsumer::AppState::failed && c.coordinator().state() == MemberState::stable &&
         !c.coordinator().rejoin_needed();
}

// c1 and c2 both stable, each owning `partitions` partitions: the usual
// starting point of a two-member group test.
inline bool pair_stable(ConsumerFixture& f, size_t partitions) {
  return stable(f.consumer("c1")) && stable(f.consumer("c2")) && f.consumer("c1").assignment().size() == partitions &&
         f.consumer("c2").assignment().size() == partitions;
}

}  // namespace ksim::test
