#include <catch2/catch.hpp>

#include "core/trace/group_events.h"
#include "tests/group/coordinator/coordinator_harness.h"

namespace ksim::test {

TEST_CASE("a commit from an old generation is rejected with ILLEGAL_GENERATION", "[group][coordinator][offsets]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(2);
  CHECK(h.commit_now(n(1), ids[0], GenerationId(1), 10) == Errc::none);
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{10}});
  // A rebalance starts: during PreparingRebalance the generation is still 1,
  // so commits of generation 1 are still accepted (KIP-62's grace).
  h.join(n(1), ids[0]);
  REQUIRE(h.state() == GroupState::preparing_rebalance);
  CHECK(h.commit_now(n(2), ids[1], GenerationId(1), 11) == Errc::none);
  h.join(n(2), ids[1]);
  REQUIRE(h.state() == GroupState::completing_rebalance);
  REQUIRE(h.generation() == GenerationId(2));
  // In CompletingRebalance a current member is told to finish the rebalance first.
  CHECK(h.commit_now(n(1), ids[0], GenerationId(2), 12) == Errc::rebalance_in_progress);
  // A zombie still on generation 1 is refused.
  CHECK(h.commit_now(n(2), ids[1], GenerationId(1), 13) == Errc::illegal_generation);
  // An unknown member is refused, whatever its generation.
  CHECK(h.commit_now(n(9), "consumer-zombie", GenerationId(2), 14) == Errc::unknown_member_id);
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{11}});
  const auto committed = h.traced<trace::OffsetsCommitted>();
  REQUIRE(committed.size() == 2);
  CHECK(committed[1].generation == GenerationId(1));
  CHECK(committed[1].partitions == std::vector<std::string>{"orders-0"});
  CHECK(committed[1].offsets == std::vector<Offset>{Offset(11)});
}

TEST_CASE("a standalone commit (generation -1, no member id) is allowed only while the group is empty",
          "[group][coordinator][offsets]") {
  CoordinatorHarness h;
  // The group does not exist yet: a simple group is created.
  CHECK(h.commit_now(n(1), "", GenerationId(-1), 3) == Errc::none);
  CHECK(h.state() == GroupState::empty);
  // A group commit to a group that does not exist: GROUP_ID_NOT_FOUND (OffsetCommit v9).
  auto c = h.commit(n(1), "consumer-x", GenerationId(1), 4, "no-such-group");
  CHECK(h.commit_result(n(1), c) == Errc::group_id_not_found);
  h.form_group(1);
  CHECK(h.commit_now(n(5), "", GenerationId(-1), 5) == Errc::unknown_member_id);
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{3}});
}

TEST_CASE("a commit is visible to OffsetFetch only once the offsets partition's HW covers it",
          "[group][coordinator][offsets]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(1);
  h.log.auto_ack = false;
  const int32_t c = h.commit(n(1), ids[0], GenerationId(1), 42);
  CHECK_FALSE(h.commit_result(n(1), c));  // parked like an acks=all produce
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{-1}});
  h.log.complete();
  CHECK(h.commit_result(n(1), c) == Errc::none);
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{42}});

  // The append fails: the client gets the error GroupCoordinatorService maps it to.
  const int32_t c2 = h.commit(n(1), ids[0], GenerationId(1), 50);
  h.log.complete(Errc::request_timed_out);
  CHECK(h.commit_result(n(1), c2) == Errc::coordinator_not_available);
  const int32_t c3 = h.commit(n(1), ids[0], GenerationId(1), 51);
  h.log.complete(Errc::not_leader_or_follower);
  CHECK(h.commit_result(n(1), c3) == Errc::not_coordinator);
  const int32_t c4 = h.commit(n(1), ids[0], GenerationId(1), 52);
  h.log.complete(Errc::not_enough_replicas);
  CHECK(h.commit_result(n(1), c4) == Errc::coordinator_not_available);
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{42}});
}

TEST_CASE("a failed write of the assignment sends the members back to rejoin", "[group][coordinator][offsets]") {
  CoordinatorHarness h;
  auto a = h.take<JoinGroupResponse>(n(1), h.join(n(1), ""))->member_id;
  const int32_t j = h.join(n(1), a);
  h.advance(millis(3000));
  REQUIRE(h.take<JoinGroupResponse>(n(1), j));
  h.log.auto_ack = false;
  const int32_t s = h.sync(n(1), a, GenerationId(1), {{a, {}}});
  h.log.complete(Errc::not_enough_replicas);
  auto r = h.take<SyncGroupResponse>(n(1), s);
  REQUIRE(r);
  CHECK(r->error == Errc::coordinator_not_available);
  CHECK(h.state() == GroupState::preparing_rebalance);
}

TEST_CASE("a coordinator answers COORDINATOR_LOAD_IN_PROGRESS while loading and NOT_COORDINATOR once it stops leading",
          "[group][coordinator][loading]") {
  CoordinatorHarness h;
  const auto ids = h.form_group(2);
  CHECK(h.commit_now(n(1), ids[0], GenerationId(1), 7) == Errc::none);
  // A member's JoinGroup is parked when leadership moves away.
  const int32_t parked = h.join(n(1), ids[0]);
  h.resign();
  auto pr = h.take<JoinGroupResponse>(n(1), parked);
  REQUIRE(pr);
  CHECK(pr->error == Errc::not_coordinator);
  CHECK(h.traced<trace::GroupStateChanged>().back().to == "Dead");
  CHECK(h.traced<trace::CoordinatorUnloaded>().size() == 1);
  CHECK(h.fetch_offset(n(1)).first == Errc::not_coordinator);
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::not_coordinator);

  // Leader again: the log is read back, at 1 ms + bytes / group.coordinator.load.bytes.per.ms.
  h.gc.on_offsets_partition_changed(PartitionId(0), true, LeaderEpoch(3));
  const int64_t bytes = h.log.log_.size_bytes();
  REQUIRE(bytes > 0);
  const Duration load = millis(1) + micros(bytes * 1000 / h.config.group_coordinator_load_bytes_per_ms);
  h.advance(load - micros(1));
  CHECK(h.fetch_offset(n(1)).first == Errc::coordinator_load_in_progress);
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::coordinator_load_in_progress);
  h.advance(micros(1));
  CHECK(h.gc.is_loaded(PartitionId(0)));
  CHECK(h.fetch_offset(n(1)) == std::pair{Errc::none, int64_t{7}});
  // The group comes back Stable in generation 1 with both members and their assignments.
  CHECK(h.state() == GroupState::stable);
  CHECK(h.generation() == GenerationId(1));
  CHECK(h.member_ids() == ids);
  CHECK(h.heartbeat(n(2), ids[1], GenerationId(1)) == Errc::none);
  auto s = h.take<SyncGroupResponse>(n(2), h.sync(n(2), ids[1], GenerationId(1)));
  REQUIRE(s);
  CHECK(s->assignment.partitions == std::vector<TopicPartition>{{"orders", PartitionId(1)}});
  const auto loaded = h.traced<trace::CoordinatorLoaded>();
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[1].groups == 1);
  CHECK(loaded[1].offsets == 1);
  CHECK(loaded[1].load_time_us == load.us);
  // Members that went away while the coordinator moved expire on the new one.
  h.advance(millis(10000));
  CHECK(h.member_ids() == std::vector<std::string>{});
}

TEST_CASE("a group of another offsets partition gets NOT_COORDINATOR", "[group][coordinator][loading]") {
  CoordinatorHarness h;
  h.config.offsets_topic_num_partitions = 50;  // g1 now lives in another partition than 0
  REQUIRE(offsets_partition_for("g1", 50) != PartitionId(0));
  auto r = h.take<JoinGroupResponse>(n(1), h.join(n(1), ""));
  REQUIRE(r);
  CHECK(r->error == Errc::not_coordinator);
}

TEST_CASE("coordinator records round-trip through their log bytes", "[group][coordinator][records]") {
  GroupRecord o;
  o.kind = GroupRecord::Kind::offset_commit;
  o.group_id = "g1";
  o.tp = {"orders", PartitionId(3)};
  o.offset = OffsetCommitValue{Offset(17), LeaderEpoch(2), "meta", 1234};
  const Record r = encode_group_record(o, RecordId(5), 99);
  CHECK(r.has_key);
  CHECK(r.value_bytes == static_cast<int32_t>(r.value.size()));
  CHECK(decode_group_record(r) == o);

  GroupRecord g;
  g.kind = GroupRecord::Kind::group_metadata;
  g.group_id = "g1";
  GroupMetadataValue v;
  v.protocol_type = "consumer";
  v.generation = GenerationId(4);
  v.protocol_name = "range";
  v.leader = "c-1";
  GroupMetadataMember m;
  m.member_id = "c-1";
  m.group_instance_id = "i1";
  m.session_timeout_ms = 45000;
  m.rebalance_timeout_ms = 300000;
  m.subscription.topics = {"orders"};
  m.assignment.partitions = {{"orders", PartitionId(0)}};
  v.members.push_back(m);
  g.group = v;
  CHECK(decode_group_record(encode_group_record(g, RecordId(6), 99)) == g);
  GroupRecord tomb = g;
  tomb.group.reset();
  CHECK(decode_group_record(encode_group_record(tomb, RecordId(7), 99)) == tomb);
  // A user record is not a coordinator record.
  Record user;
  user.value_bytes = 100;
  CHECK_FALSE(decode_group_record(user));
}

}  // namespace ksim::test
