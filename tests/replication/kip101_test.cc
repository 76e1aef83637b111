// The failures that made Kafka replace high-watermark truncation with leader
// epochs (KIP-101), and the hole KIP-279 closed (KAFKA-6361). Each story runs in
// the old mode, where it goes wrong, and in Kafka's current mode, where it does
// not. kafka-facts 1.5 tells them step by step.
#include "tests/support/replication_fixture.h"
#include "tests/support/throw_on_assert.h"

namespace ksim::test {
namespace {

constexpr int32_t A = 1, B = 2;

FixtureOptions two_brokers(TruncationMode mode, std::vector<int32_t> assignment) {
  FixtureOptions o;
  o.brokers = 2;
  o.rf = 2;
  o.assignment = {std::move(assignment)};
  o.truncation = mode;
  o.retries = 200;  // keep resending through failovers
  o.customize = [](ClusterSpec& spec) { spec.broker.replica_high_watermark_checkpoint_interval_ms = 100; };
  return o;
}

RuleId hold_fetch_responses(ReplicationFixture& f, int32_t from, int32_t to) {
  return f.sim().network().add_rule(
      MessageRule{MessageMatch{"FetchResponse", f.node(from), f.node(to)}, RuleAction::hold, 1, -1});
}

// The reasons `broker` gave for each truncation that removed `record`.
std::vector<std::string> truncations_of(ReplicationFixture& f, int32_t broker, RecordId record) {
  std::vector<std::string> reasons;
  for (const auto& e : f.sim().trace().events())
    if (auto* t = std::get_if<trace::LogTruncated>(&e.payload))
      if (e.node == f.node(broker) && std::find(t->removed.begin(), t->removed.end(), record) != t->removed.end())
        reasons.push_back(t->reason);
  return reasons;
}

bool awaits_leader(ReplicationFixture& f, int32_t broker) {
  return f.cluster().run_until([&] { return f.leader_of(f.tp()) == broker; }, seconds(60));
}

// KIP-101 scenario 1: a follower truncates to its stale HW on restart, then
// becomes leader before it fetched the record again. Before 0.11 unclean
// election was on by default, which is how the restarted follower could lead.
// Returns whether the acknowledged m2 survived.
bool scenario_1(TruncationMode mode) {
  FixtureOptions o = two_brokers(mode, {B, A});  // B leads, A follows
  o.unclean = true;
  ReplicationFixture f(o);
  REQUIRE(f.leader_of(f.tp()) == B);
  f.send(f.tp(), 1);  // m1, replicated and committed everywhere
  REQUIRE(f.await_sends());
  f.run_for(seconds(1));
  const RecordId m2 = f.send(f.tp(), 1)[0];
  // A fetches m2; its next fetch moves B's HW to 2 and m2 is acknowledged. A
  // learns HW 2 only from the answer to that fetch, which B parks (nothing new).
  REQUIRE(f.await_sends());
  REQUIRE(f.outcome(m2).error == Errc::none);
  REQUIRE(f.leo(f.tp(), A) == Offset(2));
  REQUIRE(f.hw(f.tp(), A) == Offset(1));
  // 1. A restarts before it learns HW 2.
  f.crash(A);
  hold_fetch_responses(f, B, A);  // 4. ...and B will die before A re-fetches m2
  f.restart(A);
  REQUIRE(f.cluster().run_until([&] { return f.replica(f.tp(), A) && f.replica(f.tp(), A)->is_follower(); },
                                seconds(30)));
  f.run_for(seconds(1));
  f.crash(B);
  // 5. B is fenced; A, not in the ISR, is elected uncleanly.
  REQUIRE(awaits_leader(f, A));
  f.run_for(seconds(1));
  const bool kept = f.has_record(f.tp(), A, m2);
  // Why: only the high-watermark rule made A cut m2 on its restart.
  CHECK(truncations_of(f, A, m2) ==
        (mode == TruncationMode::high_watermark ? std::vector<std::string>{"high_watermark"} : std::vector<std::string>{}));
  return kept;
}

TEST_CASE("KIP-101 scenario 1: truncating to the high watermark on restart loses an acknowledged record",
          "[replication][kip101][lecture]") {
  CHECK_FALSE(scenario_1(TruncationMode::high_watermark));
}

TEST_CASE("KIP-101 scenario 1 with leader epochs: the restarted follower keeps the record", "[replication][kip101]") {
  CHECK(scenario_1(TruncationMode::leader_epoch));
}

// KIP-101 scenario 2: both brokers lose power; B had not flushed m2. B comes
// back first and leads; it takes m3 at m2's offset. Returns the two final logs.
std::pair<std::vector<RecordId>, std::vector<RecordId>> scenario_2(TruncationMode mode) {
  FixtureOptions o = two_brokers(mode, {A, B});  // A leads, B follows
  ReplicationFixture f(o);
  f.sim().disk(f.node(A)).set_options(DiskOptions{millis(100)});  // A's disk writes back quickly
  f.sim().disk(f.node(B)).set_options(DiskOptions{seconds(2)});   // B's lags behind
  f.send(f.tp(), 1);  // m1
  REQUIRE(f.await_sends());
  f.run_for(seconds(3));  // m1 durable on both
  const RecordId m2 = f.send(f.tp(), 1)[0];
  REQUIRE(f.await_sends());
  REQUIRE(f.outcome(m2).error == Errc::none);
  f.run_for(millis(500));  // m2 durable on A only
  f.crash(A, /*power_loss=*/true);
  f.run_for(seconds(1));
  f.crash(B, /*power_loss=*/true);
  f.run_for(seconds(15));  // both fenced; B is the last ISR member
  f.restart(B);
  REQUIRE(awaits_leader(f, B));
  REQUIRE(f.leo(f.tp(), B) == Offset(1));  // m2 never reached B's disk
  f.send(f.tp(), 1);                          // m3, at offset 1
  REQUIRE(f.await_sends());
  f.restart(A);
  f.run_for(seconds(5));
  f.send(f.tp(), 1);  // m4 replicates to both
  REQUIRE(f.await_sends());
  f.run_for(seconds(2));
  // With leader epochs A cuts m2 when the leader reports the diverging epoch.
  CHECK(truncations_of(f, A, m2) == (mode == TruncationMode::leader_epoch ? std::vector<std::string>{"diverging_epoch"}
                                                                          : std::vector<std::string>{}));
  return {f.records(f.tp(), A), f.records(f.tp(), B)};
}

TEST_CASE("KIP-101 scenario 2: after a double power loss, high-watermark truncation leaves the replicas diverged",
          "[replication][kip101][lecture]") {
  auto [a, b] = scenario_2(TruncationMode::high_watermark);
  REQUIRE(a.size() == 3);
  REQUIRE(b.size() == 3);
  CHECK(a[1] != b[1]);  // offset 1: m2 on A, m3 on B, and both go on as if all were well
  CHECK(a[2] == b[2]);
}

TEST_CASE("KIP-101 scenario 2 with leader epochs: the follower truncates m2 and the logs agree", "[replication][kip101]") {
  auto [a, b] = scenario_2(TruncationMode::leader_epoch);
  CHECK(a == b);
  CHECK(a.size() == 3);
}

// KIP-101 scenario 2 in high-watermark mode, where the new leader's m3 and m4
// travel in one batch (the producer had both waiting while no leader was
// up): A keeps m2 at offset 1 and fetches from offset 2, which lies inside
// B's batch 1..2. Kafka's follower cannot append a batch that starts below its
// log end (UnexpectedAppendOffsetException); the fetcher marks the partition
// failed and stops fetching it (AbstractFetcherThread.markPartitionFailed).
TEST_CASE("a follower whose log ends inside the leader's batch marks the partition failed and stops fetching it",
          "[replication][kip101]") {
  FixtureOptions o = two_brokers(TruncationMode::high_watermark, {A, B});
  ReplicationFixture f(o);
  f.sim().disk(f.node(A)).set_options(DiskOptions{millis(100)});
  f.sim().disk(f.node(B)).set_options(DiskOptions{seconds(2)});
  f.send(f.tp(), 1);  // m1
  REQUIRE(f.await_sends());
  f.run_for(seconds(3));
  f.send(f.tp(), 1);  // m2: durable on A only
  REQUIRE(f.await_sends());
  f.run_for(millis(500));
  f.crash(A, /*power_loss=*/true);
  f.run_for(seconds(1));
  f.crash(B, /*power_loss=*/true);
  f.run_for(seconds(15));
  f.restart(B);
  REQUIRE(awaits_leader(f, B));
  REQUIRE(f.leo(f.tp(), B) == Offset(1));
  // m3 and m4 in one batch, at offsets 1..2.
  f.sim().invoke(f.node(B), [&](Node& n) {
    RecordBatch batch;
    batch.records = {Record{RecordId(103), "", false, 100, 0}, Record{RecordId(104), "", false, 100, 0}};
    static_cast<BrokerNode&>(n).partition(f.tp())->append_records_to_leader(std::move(batch), Acks::leader);
  });
  REQUIRE(f.leo(f.tp(), B) == Offset(3));

  f.restart(A);  // HW 2 covers m2: A truncates nothing and fetches from offset 2
  const std::string violated = test::assertion_failed_in([&] { f.run_for(seconds(5)); });
  REQUIRE(violated.empty());
  std::vector<trace::ReplicaFetchFailed> failures;
  for (const auto& e : f.sim().trace().events())
    if (const auto* x = std::get_if<trace::ReplicaFetchFailed>(&e.payload); x && e.node == f.node(A))
      failures.push_back(*x);
  REQUIRE(failures.size() == 1);  // once: the partition is no longer fetched
  CHECK(failures[0].fetch_offset == Offset(2));
  CHECK(failures[0].first_offset == Offset(1));
  CHECK(failures[0].last_offset == Offset(2));
  CHECK(failures[0].leader == BrokerId(B));
  CHECK(failures[0].error == "UnexpectedAppendOffsetException");
  CHECK(f.leo(f.tp(), A) == Offset(2));
  CHECK(f.isr(f.tp()) == std::vector<int32_t>{B});

  // A new leader epoch adds the partition to a fetcher again (addPartitions
  // clears the failure): A fetches from offset 2 once more and fails again.
  f.crash(B);
  f.restart(B);
  REQUIRE(awaits_leader(f, B));
  f.run_for(seconds(5));
  size_t after = 0;
  for (const auto& e : f.sim().trace().events())
    after += std::holds_alternative<trace::ReplicaFetchFailed>(e.payload) && e.node == f.node(A);
  CHECK(after == 2);
}

// KAFKA-6361 (fixed by KIP-279): fast failovers leave a follower asking about
// an epoch the new leader never had. Returns the two final logs.
std::pair<std::vector<RecordId>, std::vector<RecordId>> kafka_6361(TruncationMode mode) {
  FixtureOptions o = two_brokers(mode, {A, B});
  o.acks = Acks::leader;
  o.unclean = true;
  ReplicationFixture f(o);
  f.send(f.tp(), 1);  // m1 on both
  REQUIRE(f.await_sends());
  f.run_for(seconds(1));
  const RuleId hold = hold_fetch_responses(f, A, B);
  f.send(f.tp(), 1);  // m2: on A only (acks=1)
  REQUIRE(f.await_sends());
  f.crash(A);
  f.sim().network().remove_rule(hold);
  REQUIRE(awaits_leader(f, B));  // B leads epoch 1
  const RecordId m3 = f.send(f.tp(), 1)[0];  // m3: on B only, at offset 1
  REQUIRE(f.await_sends());
  f.crash(B);
  f.restart(A);
  REQUIRE(awaits_leader(f, A));  // unclean: A, with m2, leads a newer epoch
  f.restart(B);
  f.run_for(seconds(5));
  f.send(f.tp(), 1);  // m4
  REQUIRE(f.await_sends());
  f.run_for(seconds(2));
  // KIP-279's answer makes B give up m3 (in one or more rounds); v0's does not.
  CHECK(truncations_of(f, B, m3).empty() == (mode == TruncationMode::leader_epoch_v0));
  return {f.records(f.tp(), A), f.records(f.tp(), B)};
}

TEST_CASE("KAFKA-6361: with OffsetsForLeaderEpoch v0 the follower keeps a record the leader never had",
          "[replication][kip279][lecture]") {
  auto [a, b] = kafka_6361(TruncationMode::leader_epoch_v0);
  REQUIRE(a.size() >= 2);
  REQUIRE(b.size() >= 2);
  CHECK(a[1] != b[1]);
}

TEST_CASE("KIP-279: asking for the largest epoch at or below its own, the follower converges", "[replication][kip279]") {
  auto [a, b] = kafka_6361(TruncationMode::leader_epoch);
  CHECK(a == b);
}

TEST_CASE("unclean leader election can lose records acknowledged with acks=all", "[replication][unclean][lecture]") {
  for (bool unclean : {true, false}) {
    DYNAMIC_SECTION("unclean.leader.election.enable=" << unclean) {
      FixtureOptions o = two_brokers(TruncationMode::leader_epoch, {A, B});
      o.unclean = unclean;
      ReplicationFixture f(o);
      // B stops fetching and drops out of the ISR; A alone acknowledges.
      f.sim().network().add_rule(MessageRule{MessageMatch{"Fetch", f.node(B), f.node(A)}, RuleAction::drop, 1, -1});
      f.send(f.tp(), 1);
      REQUIRE(f.await_sends());
      REQUIRE(f.cluster().run_until([&] { return f.isr(f.tp()) == std::vector<int32_t>{A}; }, seconds(60)));
      const RecordId m = f.send(f.tp(), 1)[0];
      REQUIRE(f.await_sends());
      REQUIRE(f.outcome(m).error == Errc::none);
      f.crash(A);
      f.run_for(seconds(15));
      if (unclean) {
        REQUIRE(f.leader_of(f.tp()) == B);  // out of sync, elected anyway
        CHECK_FALSE(f.has_record(f.tp(), B, m));
      } else {
        CHECK(f.leader_of(f.tp()) == -1);  // offline: no safe leader
        f.restart(A);
        REQUIRE(awaits_leader(f, A));
        CHECK(f.has_record(f.tp(), A, m));
      }
    }
  }
}

}  // namespace
}  // namespace ksim::test
