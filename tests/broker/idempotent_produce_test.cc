// The leader's side of idempotence (KIP-98) in Partition.appendRecordsToLeader:
// a retried batch is answered with its original offsets and not appended; a
// bad sequence or a stale epoch is refused; a follower that becomes leader
// knows the batches it replicated.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "core/broker/partition.h"
#include "tests/support/fake_env.h"

namespace ksim {
namespace {

const TopicPartition kOrders0{"orders", PartitionId(0)};

class NullHost final : public PartitionHost {
 public:
  void submit_alter_partition(const TopicPartition&, AlterPartitionRequest, uint64_t) override {}
  bool is_replica_isr_eligible(BrokerId, BrokerEpoch) const override { return true; }
  BrokerEpoch local_broker_epoch() const override { return BrokerEpoch(10); }
  void on_leader_progress(const TopicPartition&) override {}
};

PartitionRecord state(int32_t leader, int32_t leader_epoch, int32_t partition_epoch, std::vector<int32_t> isr) {
  PartitionRecord r;
  r.topic = kOrders0.topic;
  r.partition = kOrders0.partition;
  r.replicas = {1, 2, 3};
  r.isr = std::move(isr);
  r.leader = BrokerId(leader);
  r.leader_epoch = LeaderEpoch(leader_epoch);
  r.partition_epoch = partition_epoch;
  return r;
}

RecordBatch idempotent_batch(int64_t pid, int16_t epoch, int32_t base_seq, int records, uint64_t first_id) {
  RecordBatch b;
  b.producer_id = ProducerId(pid);
  b.producer_epoch = ProducerEpoch(epoch);
  b.base_sequence = Sequence(base_seq);
  for (int i = 0; i < records; ++i) b.records.push_back(Record{RecordId(first_id + static_cast<uint64_t>(i)), "", false, 10, 0});
  return b;
}

struct Replica {
  test::FakeEnv env;
  NullHost host;
  Partition p;
  explicit Replica(int32_t broker, int32_t min_isr = 1)
      : p(env, host, BrokerId(broker), kOrders0, LogConfig{}, PartitionSettings{min_isr, 30000, true}) {}
};

TEST_CASE("a retried idempotent batch gets its original offset and is not appended again", "[broker][idempotence]") {
  Replica r(1);
  REQUIRE(r.p.make_leader(state(1, 0, 0, {1})));
  const RecordBatch a = idempotent_batch(1000, 0, 0, 3, 1);
  const LeaderAppendResult first = r.p.append_records_to_leader(a, Acks::leader);
  REQUIRE(first.error == Errc::none);
  CHECK_FALSE(first.duplicate);
  REQUIRE(r.p.append_records_to_leader(idempotent_batch(1000, 0, 3, 2, 4), Acks::leader).error == Errc::none);
  REQUIRE(r.p.log().log_end_offset() == Offset(5));
  const size_t appends_before = r.env.traced_of<trace::LogAppended>().size();

  // The producer never saw the answer to `a` and sends it again.
  const LeaderAppendResult retry = r.p.append_records_to_leader(a, Acks::leader);
  CHECK(retry.error == Errc::none);
  CHECK(retry.duplicate);
  CHECK(retry.base_offset == Offset(0));
  CHECK(retry.last_offset == Offset(2));
  CHECK(r.p.log().log_end_offset() == Offset(5));
  CHECK(r.env.traced_of<trace::LogAppended>().size() == appends_before);
  const auto dups = r.env.traced_of<trace::ProduceDuplicate>();
  REQUIRE(dups.size() == 1);
  CHECK(dups[0].producer_id == ProducerId(1000));
  CHECK(dups[0].first_sequence == Sequence(0));
  CHECK(dups[0].last_sequence == Sequence(2));
  CHECK(dups[0].base_offset == Offset(0));
  CHECK(dups[0].last_offset == Offset(2));
}

TEST_CASE("a sequence gap is refused with OUT_OF_ORDER_SEQUENCE_NUMBER and traced", "[broker][idempotence]") {
  Replica r(1);
  REQUIRE(r.p.make_leader(state(1, 0, 0, {1})));
  REQUIRE(r.p.append_records_to_leader(idempotent_batch(7, 0, 0, 1, 1), Acks::leader).error == Errc::none);
  const LeaderAppendResult gap = r.p.append_records_to_leader(idempotent_batch(7, 0, 2, 1, 2), Acks::leader);
  CHECK(gap.error == Errc::out_of_order_sequence_number);
  CHECK(gap.base_offset == Offset(-1));
  CHECK(r.p.log().log_end_offset() == Offset(1));
  const auto rejected = r.env.traced_of<trace::ProduceRejectedSequence>();
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].error == "OUT_OF_ORDER_SEQUENCE_NUMBER");
  CHECK(rejected[0].stored_last_sequence == Sequence(0));

  REQUIRE(r.p.append_records_to_leader(idempotent_batch(7, 1, 0, 1, 3), Acks::leader).error == Errc::none);
  CHECK(r.p.append_records_to_leader(idempotent_batch(7, 0, 1, 1, 4), Acks::leader).error == Errc::invalid_producer_epoch);
  CHECK(r.env.traced_of<trace::ProduceRejectedSequence>().back().error == "INVALID_PRODUCER_EPOCH");
}

TEST_CASE("min.insync.replicas is checked before duplicates, as Partition.appendRecordsToLeader does",
          "[broker][idempotence]") {
  Replica r(1, /*min_isr=*/2);
  REQUIRE(r.p.make_leader(state(1, 0, 0, {1, 2})));
  const RecordBatch a = idempotent_batch(5, 0, 0, 1, 1);
  REQUIRE(r.p.append_records_to_leader(a, Acks::all).error == Errc::none);
  r.p.make_leader(state(1, 0, 1, {1}));  // the ISR shrank (same leader epoch: returns false)
  REQUIRE(r.p.isr() == std::vector<int32_t>{1});
  CHECK(r.p.append_records_to_leader(a, Acks::all).error == Errc::not_enough_replicas);
  CHECK(r.p.append_records_to_leader(a, Acks::leader).duplicate);  // acks=1 does not care about the ISR
}

TEST_CASE("a follower that becomes leader deduplicates a retry of a batch it only replicated",
          "[broker][idempotence]") {
  Replica old_leader(1);
  REQUIRE(old_leader.p.make_leader(state(1, 0, 0, {1, 2})));
  const RecordBatch a = idempotent_batch(42, 0, 0, 2, 1);
  const RecordBatch b = idempotent_batch(42, 0, 2, 2, 3);
  REQUIRE(old_leader.p.append_records_to_leader(a, Acks::all).error == Errc::none);
  REQUIRE(old_leader.p.append_records_to_leader(b, Acks::all).error == Errc::none);

  Replica follower(2);
  REQUIRE(follower.p.make_follower(state(1, 0, 0, {1, 2})));
  for (const auto& seg : old_leader.p.log().segments())
    for (const auto& batch : seg.batches()) follower.p.append_as_follower(batch);

  // Broker 1 dies before answering `b`; broker 2 is elected; the producer retries `b` there.
  REQUIRE(follower.p.make_leader(state(2, 1, 1, {2})));
  const LeaderAppendResult retry = follower.p.append_records_to_leader(b, Acks::all);
  CHECK(retry.error == Errc::none);
  CHECK(retry.duplicate);
  CHECK(retry.base_offset == Offset(2));
  CHECK(follower.p.log().log_end_offset() == Offset(4));
  // And the next batch continues the sequence.
  CHECK(follower.p.append_records_to_leader(idempotent_batch(42, 0, 4, 1, 5), Acks::all).base_offset == Offset(4));
}

TEST_CASE("a follower truncated below a batch forgets it, so a retry is appended again", "[broker][idempotence]") {
  Replica r(2);
  REQUIRE(r.p.make_follower(state(1, 0, 0, {1, 2})));
  RecordBatch a = idempotent_batch(9, 0, 0, 1, 1);
  a.base_offset = Offset(0);
  a.partition_leader_epoch = LeaderEpoch(0);
  RecordBatch b = idempotent_batch(9, 0, 1, 1, 2);
  b.base_offset = Offset(1);
  b.partition_leader_epoch = LeaderEpoch(0);
  r.p.append_as_follower(a);
  r.p.append_as_follower(b);
  r.p.truncate_to(Offset(1), "leader_epoch");
  REQUIRE(r.p.make_leader(state(2, 1, 1, {2})));
  const RecordBatch retry_b = idempotent_batch(9, 0, 1, 1, 2);
  const LeaderAppendResult res = r.p.append_records_to_leader(retry_b, Acks::leader);
  CHECK(res.error == Errc::none);
  CHECK_FALSE(res.duplicate);
  CHECK(res.base_offset == Offset(1));
}


TEST_CASE("any mix of retries, lost answers and reordered sends leaves each batch once, in order",
          "[broker][idempotence][property]") {
  rc::prop("the log holds the producer's batches exactly once and in sequence order", [](std::vector<uint8_t> actions) {
    Replica r(1);
    RC_ASSERT(r.p.make_leader(state(1, 0, 0, {1})));
    std::vector<RecordBatch> batches;  // every batch the producer made, in sequence order
    std::vector<Offset> offset_of;     // where each landed (-1: not yet)
    size_t acked = 0;                  // batches below this index were answered
    int32_t next_seq = 0;
    uint64_t next_id = 1;
    auto make_batch = [&](int n) {
      batches.push_back(idempotent_batch(11, 0, next_seq, n, next_id));
      offset_of.push_back(Offset(-1));
      next_seq += n;
      next_id += static_cast<uint64_t>(n);
    };
    auto send = [&](size_t i) {
      const LeaderAppendResult res = r.p.append_records_to_leader(batches[i], Acks::leader);
      const bool in_order = i == 0 || offset_of[i - 1].value >= 0;
      if (offset_of[i].value >= 0) {
        RC_ASSERT(res.duplicate);  // a retry within the window of five
        RC_ASSERT(res.base_offset == offset_of[i]);
      } else if (in_order) {
        RC_ASSERT(res.error == Errc::none);
        RC_ASSERT(!res.duplicate);
        offset_of[i] = res.base_offset;
      } else {
        RC_ASSERT(res.error == Errc::out_of_order_sequence_number);
      }
    };
    for (uint8_t a : actions) {
      const size_t in_flight = batches.size() - acked;
      switch (a % 4) {
        case 0:  // a new batch, if max.in.flight (5) allows
          if (in_flight < 5) {
            make_batch(1 + a / 4 % 3);
            send(batches.size() - 1);
          }
          break;
        case 1:  // a lost answer: retry one of the unanswered batches
          if (in_flight > 0) send(acked + (a / 4) % in_flight);
          break;
        case 2:  // the oldest answer arrives (only once it is in the log)
          if (in_flight > 0 && offset_of[acked].value >= 0) ++acked;
          break;
        case 3:  // two new batches overtake each other on the way
          // Not as the producer's very first batches: a leader that knows
          // nothing of a producer accepts any sequence (KIP-360), so the
          // overtaking one would land and the other be refused for good.
          if (in_flight < 4 && !batches.empty()) {
            make_batch(1);
            make_batch(1);
            send(batches.size() - 1);
            send(batches.size() - 2);
            send(batches.size() - 1);
          }
          break;
      }
      r.p.check_invariants();
    }
    // The log: each batch that landed, once, in sequence order.
    std::vector<RecordId> expected, actual;
    for (size_t i = 0; i < batches.size(); ++i)
      if (offset_of[i].value >= 0)
        for (const Record& rec : batches[i].records) expected.push_back(rec.id);
    for (const auto& seg : r.p.log().segments())
      for (const auto& b : seg.batches())
        for (const Record& rec : b.records) actual.push_back(rec.id);
    RC_ASSERT(actual == expected);
  });
}

}  // namespace
}  // namespace ksim
