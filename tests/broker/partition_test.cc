// Focused tests of the leader's rules in Partition (Kafka's Partition.scala):
// HW from the maximal ISR, lastCaughtUpTimeMs, ISR shrink and expand, min ISR.
#include <catch2/catch.hpp>
#include <set>

#include "core/broker/partition.h"
#include "tests/support/fake_env.h"

namespace ksim {
namespace {

const TopicPartition kTp{"orders", PartitionId(0)};

class FakeHost final : public PartitionHost {
 public:
  void submit_alter_partition(const TopicPartition&, AlterPartitionRequest request, uint64_t change_id) override {
    submitted.push_back({std::move(request), change_id});
  }
  bool is_replica_isr_eligible(BrokerId b, BrokerEpoch) const override { return !ineligible.count(b.value); }
  BrokerEpoch local_broker_epoch() const override { return BrokerEpoch(10); }
  void on_leader_progress(const TopicPartition&) override { ++progress; }

  struct Submitted {
    AlterPartitionRequest request;
    uint64_t change_id;
  };
  std::vector<Submitted> submitted;
  std::set<int32_t> ineligible;
  int progress = 0;
};

// Broker 1 leads orders-0 with replicas {1,2,3}.
struct LeaderFixture {
  test::FakeEnv env;
  FakeHost host;
  Partition p;

  explicit LeaderFixture(int32_t min_isr = 1, std::vector<int32_t> isr = {1, 2, 3})
      : p(env, host, BrokerId(1), kTp, LogConfig{}, PartitionSettings{min_isr, 30000, true}) {
    PartitionRecord r;
    r.topic = kTp.topic;
    r.partition = kTp.partition;
    r.replicas = {1, 2, 3};
    r.isr = std::move(isr);
    r.leader = BrokerId(1);
    r.leader_epoch = LeaderEpoch(0);
    r.partition_epoch = 0;
    REQUIRE(p.make_leader(r));
  }

  LeaderAppendResult produce(int n, Acks acks = Acks::all) {
    RecordBatch b;
    for (int i = 0; i < n; ++i) b.records.push_back(Record{RecordId(next_id++), "", false, 10, 0});
    return p.append_records_to_leader(std::move(b), acks);
  }

  // Follower `b` fetches at `offset` now.
  FollowerReadResult fetch(int32_t b, int64_t offset) {
    FetchPartitionData d;
    d.tp = kTp;
    d.current_leader_epoch = p.leader_epoch();
    d.fetch_offset = Offset(offset);
    return p.fetch_for_follower(BrokerId(b), BrokerEpoch(-1), d, 1 << 20, true, true);
  }

  Offset hw() const { return p.log().high_watermark(); }
  uint64_t next_id = 1;
};

TEST_CASE("the leader's HW is the smallest LEO in the ISR, learnt from follower fetch offsets", "[broker][hw]") {
  LeaderFixture f;
  CHECK(f.produce(5).base_offset == Offset(0));
  CHECK(f.hw() == Offset(0));  // followers have not fetched: their LEO is unknown
  f.fetch(2, 5);
  CHECK(f.hw() == Offset(0));  // broker 3 still unknown
  f.fetch(3, 3);
  CHECK(f.hw() == Offset(3));
  f.fetch(3, 5);
  CHECK(f.hw() == Offset(5));
}

TEST_CASE("the HW only grows, even if a follower's fetch offset goes back", "[broker][hw]") {
  LeaderFixture f;
  f.produce(4);
  f.fetch(2, 4);
  f.fetch(3, 4);
  REQUIRE(f.hw() == Offset(4));
  f.fetch(3, 2);  // a follower that truncated
  CHECK(f.hw() == Offset(4));
}

TEST_CASE("acks=all is rejected with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas",
          "[broker][min-isr]") {
  LeaderFixture f(/*min_isr=*/2, /*isr=*/{1});
  CHECK(f.produce(1, Acks::all).error == Errc::not_enough_replicas);
  CHECK(f.p.log().log_end_offset() == Offset(0));  // nothing appended
  CHECK(f.produce(1, Acks::leader).error == Errc::none);       // acks=1 ignores min ISR
}

TEST_CASE("strict min ISR: the HW does not move while the ISR is below min.insync.replicas", "[broker][min-isr]") {
  LeaderFixture f(/*min_isr=*/2, /*isr=*/{1});
  f.produce(3, Acks::leader);
  CHECK(f.hw() == Offset(0));  // KAFKA-15583: an ISR of 1 < 2 commits nothing
}

TEST_CASE("without strict min ISR a lone leader commits its own writes", "[broker][min-isr]") {
  LeaderFixture f(/*min_isr=*/2, /*isr=*/{1});
  f.p.update_settings(PartitionSettings{2, 30000, false});
  f.produce(3, Acks::leader);
  CHECK(f.hw() == Offset(3));
}

TEST_CASE("an appended record whose ISR shrank below min ISR completes with NOT_ENOUGH_REPLICAS_AFTER_APPEND",
          "[broker][min-isr]") {
  LeaderFixture f(/*min_isr=*/2, /*isr=*/{1, 2});
  f.p.update_settings(PartitionSettings{2, 30000, false});  // let the HW move with ISR {1}
  auto r = f.produce(1);
  REQUIRE(r.error == Errc::none);
  CHECK_FALSE(f.p.check_enough_replicas_reach_offset(Offset(1)).first);
  // Broker 2 stops fetching; 30 s later the controller commits ISR {1}, and the
  // HW reaches 1 without it.
  f.env.advance(millis(30001));
  PartitionRecord shrunk;
  shrunk.topic = kTp.topic;
  shrunk.partition = kTp.partition;
  shrunk.replicas = {1, 2, 3};
  shrunk.isr = {1};
  shrunk.leader = BrokerId(1);
  shrunk.leader_epoch = LeaderEpoch(0);
  shrunk.partition_epoch = 1;
  f.p.make_leader(shrunk);
  REQUIRE(f.hw() == Offset(1));
  CHECK(f.p.check_enough_replicas_reach_offset(Offset(1)) == std::pair{true, Errc::not_enough_replicas_after_append});
}

TEST_CASE("lastCaughtUpTimeMs follows Kafka's rule, so a follower chasing small produces stays in sync",
          "[broker][isr]") {
  LeaderFixture f;
  f.produce(1);
  f.fetch(2, 1);  // at the leader's LEO: caught up now (t=0)
  CHECK(f.p.remote(BrokerId(2))->last_caught_up_time_ms == 0);
  f.env.advance(millis(1000));
  f.produce(1);   // leader LEO 2
  f.fetch(2, 1);  // behind the current LEO (2), but at the LEO of its previous fetch (1)
  CHECK(f.p.remote(BrokerId(2))->last_caught_up_time_ms == 0);  // the previous fetch time
  f.env.advance(millis(1000));
  f.produce(1);   // LEO 3
  f.fetch(2, 2);  // >= LEO at previous fetch (2): caught up as of that fetch (t=1000)
  CHECK(f.p.remote(BrokerId(2))->last_caught_up_time_ms == 1000);
  f.env.advance(millis(1000));
  f.fetch(2, 2);  // < LEO at previous fetch (3): unchanged
  CHECK(f.p.remote(BrokerId(2))->last_caught_up_time_ms == 1000);
}

TEST_CASE("a follower that has not caught up for replica.lag.time.max.ms is proposed out of the ISR",
          "[broker][isr]") {
  LeaderFixture f;
  f.produce(2);
  f.fetch(2, 2);
  f.fetch(3, 2);
  f.env.advance(millis(1));
  f.produce(1);  // LEO 3; broker 3 stops fetching, broker 2 keeps up
  f.env.advance(millis(29999));
  f.fetch(2, 3);
  f.p.maybe_shrink_isr();
  CHECK(f.host.submitted.empty());  // 30000 ms is still within the limit
  f.env.advance(millis(1));
  f.p.maybe_shrink_isr();
  REQUIRE(f.host.submitted.size() == 1);
  CHECK(f.host.submitted[0].request.new_isr == std::vector<int32_t>{1, 2});
  // Until the controller commits it, the ISR is unchanged and another change waits.
  CHECK(f.p.isr() == std::vector<int32_t>{1, 2, 3});
  CHECK(f.p.isr_change_in_flight());
  f.p.maybe_shrink_isr();
  CHECK(f.host.submitted.size() == 1);
  AlterPartitionResponse ok;
  ok.leader = BrokerId(1);
  ok.leader_epoch = LeaderEpoch(0);
  ok.isr = {1, 2};
  ok.partition_epoch = 1;
  f.p.on_alter_partition_result(f.host.submitted[0].change_id, &ok, Errc::none);
  CHECK(f.p.isr() == std::vector<int32_t>{1, 2});
  CHECK(f.p.partition_epoch() == 1);
  // With broker 3 out of the ISR and not caught up, the HW moves on without it.
  CHECK(f.hw() == Offset(3));
}

TEST_CASE("a follower rejoins the ISR once its LEO reaches the HW and the epoch start", "[broker][isr]") {
  LeaderFixture f(1, {1, 2});
  f.produce(5);
  f.fetch(2, 5);
  REQUIRE(f.hw() == Offset(5));
  f.fetch(3, 2);
  CHECK(f.host.submitted.empty());  // LEO 2 < HW 5
  f.fetch(3, 5);
  REQUIRE(f.host.submitted.size() == 1);
  CHECK(f.host.submitted[0].request.new_isr == std::vector<int32_t>{1, 2, 3});
  // The pending expansion already counts for the HW (the maximal ISR, KIP-497).
  CHECK(f.p.maximal_isr() == std::vector<int32_t>{1, 2, 3});
}

TEST_CASE("a fenced or shutting-down broker cannot rejoin the ISR", "[broker][isr]") {
  LeaderFixture f(1, {1, 2});
  f.host.ineligible.insert(3);
  f.produce(2);
  f.fetch(2, 2);
  f.fetch(3, 2);
  CHECK(f.host.submitted.empty());
}

TEST_CASE("a rejected ISR change reverts to the committed state and a lost request is resent", "[broker][isr]") {
  LeaderFixture f(1, {1, 2});
  f.produce(1);
  f.fetch(2, 1);
  f.fetch(3, 1);
  REQUIRE(f.host.submitted.size() == 1);
  f.p.on_alter_partition_result(f.host.submitted[0].change_id, nullptr, Errc::request_timed_out);
  REQUIRE(f.host.submitted.size() == 2);  // the same proposal again
  CHECK(f.host.submitted[1].request.new_isr == std::vector<int32_t>{1, 2, 3});
  AlterPartitionResponse rejected;
  rejected.error = Errc::ineligible_replica;
  f.p.on_alter_partition_result(f.host.submitted[1].change_id, &rejected, Errc::none);
  CHECK_FALSE(f.p.isr_change_in_flight());
  CHECK(f.p.isr() == std::vector<int32_t>{1, 2});
}

TEST_CASE("fetches with a stale or future leader epoch are fenced (KIP-320)", "[broker][fencing]") {
  LeaderFixture f;
  FetchPartitionData d;
  d.tp = kTp;
  d.fetch_offset = Offset(0);
  d.current_leader_epoch = LeaderEpoch(5);
  CHECK(f.p.fetch_for_follower(BrokerId(2), BrokerEpoch(-1), d, 1000, true, true).error == Errc::unknown_leader_epoch);
  PartitionRecord next;
  next.topic = kTp.topic;
  next.partition = kTp.partition;
  next.replicas = {1, 2, 3};
  next.isr = {1, 2, 3};
  next.leader = BrokerId(1);
  next.leader_epoch = LeaderEpoch(7);
  next.partition_epoch = 3;
  f.p.make_leader(next);
  d.current_leader_epoch = LeaderEpoch(5);
  CHECK(f.p.fetch_for_follower(BrokerId(2), BrokerEpoch(-1), d, 1000, true, true).error == Errc::fenced_leader_epoch);
}

TEST_CASE("the leader reports a diverging epoch instead of data (Fetch v12)", "[broker][truncation]") {
  LeaderFixture f;
  f.produce(3);  // epoch 0: offsets 0-2
  PartitionRecord next;
  next.topic = kTp.topic;
  next.partition = kTp.partition;
  next.replicas = {1, 2, 3};
  next.isr = {1, 2, 3};
  next.leader = BrokerId(1);
  next.leader_epoch = LeaderEpoch(2);
  next.partition_epoch = 1;
  f.p.make_leader(next);
  f.produce(2);  // epoch 2: offsets 3-4
  // A follower that has epoch-1 records up to offset 5 (which this leader never had).
  FetchPartitionData d;
  d.tp = kTp;
  d.current_leader_epoch = LeaderEpoch(2);
  d.fetch_offset = Offset(5);
  d.last_fetched_epoch = LeaderEpoch(1);
  auto r = f.p.fetch_for_follower(BrokerId(2), BrokerEpoch(-1), d, 1000, true, true);
  REQUIRE(r.error == Errc::none);
  REQUIRE(r.diverging);
  CHECK(r.diverging->epoch == LeaderEpoch(0));
  CHECK(r.diverging->end_offset == Offset(3));
  CHECK(r.read.batches.empty());
}

}  // namespace
}  // namespace ksim

namespace ksim {
namespace {

TEST_CASE("a consumer reads only below the high watermark, a follower up to the LEO", "[broker][fetch]") {
  LeaderFixture f;
  for (int i = 0; i < 4; ++i) f.produce(1);  // four one-record batches
  f.fetch(2, 4);
  f.fetch(3, 2);
  REQUIRE(f.hw() == Offset(2));
  FetchPartitionData d;
  d.tp = kTp;
  d.fetch_offset = Offset(0);
  auto consumer = f.p.fetch_for_consumer(d, 1 << 20);
  REQUIRE(consumer.error == Errc::none);
  CHECK(consumer.read.batches.size() == 2);  // offsets 0 and 1
  CHECK(f.fetch(3, 2).read.batches.size() == 2);  // the follower gets 2 and 3
  d.fetch_offset = Offset(3);
  CHECK(f.p.fetch_for_consumer(d, 1 << 20).read.batches.empty());  // above the HW: nothing yet, no error
  d.fetch_offset = Offset(9);
  CHECK(f.p.fetch_for_consumer(d, 1 << 20).error == Errc::offset_out_of_range);
}

}  // namespace
}  // namespace ksim
