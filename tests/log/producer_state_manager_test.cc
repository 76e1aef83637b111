// The broker's memory of idempotent producers (KIP-98): Kafka's
// ProducerStateManager / ProducerAppendInfo rules, checked on a PartitionLog
// the way a leader uses it (check, then append).
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "core/log/partition_log.h"
#include "tests/support/test_disk.h"

namespace ksim {
namespace {

const TopicPartition kStateTp{"orders", PartitionId(0)};
const ProducerId kPid{4000};

RecordBatch idempotent_batch(int64_t pid, int16_t epoch, int32_t base_seq, int records, int64_t ts_ms = 0) {
  RecordBatch b;
  b.producer_id = ProducerId(pid);
  b.producer_epoch = ProducerEpoch(epoch);
  b.base_sequence = Sequence(base_seq);
  static uint64_t next_record = 1;
  for (int i = 0; i < records; ++i) b.records.push_back(Record{RecordId(next_record++), "", false, 10, ts_ms});
  return b;
}

// What a leader does with a client batch: check, then append if it passes.
struct Leader {
  test::TestDisk disk;
  PartitionLog log{disk.storage(), kStateTp, {}};

  ProducerAppendCheck produce(const RecordBatch& b) {
    ProducerAppendCheck c = log.producer_state().check_client_batch(b);
    if (!c.duplicate && c.error == Errc::none) log.append_as_leader(b, LeaderEpoch(0));
    log.check_invariants();
    return c;
  }
};

TEST_CASE("a retry of any of the producer's last five batches is a duplicate with the original offsets",
          "[log][idempotence]") {
  Leader l;
  std::vector<RecordBatch> sent;
  for (int i = 0; i < 5; ++i) {
    sent.push_back(idempotent_batch(kPid.value, 0, i * 3, 3));
    REQUIRE(l.produce(sent.back()).error == Errc::none);
  }
  REQUIRE(l.log.log_end_offset() == Offset(15));
  for (int i = 0; i < 5; ++i) {
    const ProducerAppendCheck c = l.produce(sent[static_cast<size_t>(i)]);
    CAPTURE(i);
    REQUIRE(c.duplicate);
    CHECK(c.error == Errc::none);
    CHECK(c.duplicate->first_offset == Offset(i * 3));
    CHECK(c.duplicate->last_offset == Offset(i * 3 + 2));
  }
  CHECK(l.log.log_end_offset() == Offset(15));  // nothing appended twice
}

TEST_CASE("the sixth-newest batch is forgotten: its retry is OUT_OF_ORDER_SEQUENCE_NUMBER", "[log][idempotence]") {
  Leader l;
  std::vector<RecordBatch> sent;
  for (int i = 0; i < 6; ++i) {
    sent.push_back(idempotent_batch(kPid.value, 0, i, 1));
    REQUIRE(l.produce(sent.back()).error == Errc::none);
  }
  CHECK(l.log.producer_state().entry(kPid)->batches.size() == 5);
  const ProducerAppendCheck oldest = l.produce(sent[0]);
  CHECK_FALSE(oldest.duplicate);
  CHECK(oldest.error == Errc::out_of_order_sequence_number);
  CHECK(oldest.stored_last_seq == Sequence(5));
  CHECK(l.produce(sent[1]).duplicate);  // the fifth-newest is still known
  CHECK(l.log.log_end_offset() == Offset(6));
}

TEST_CASE("a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER and appends nothing", "[log][idempotence]") {
  Leader l;
  REQUIRE(l.produce(idempotent_batch(kPid.value, 0, 0, 2)).error == Errc::none);  // seq 0..1
  CHECK(l.produce(idempotent_batch(kPid.value, 0, 3, 1)).error == Errc::out_of_order_sequence_number);
  // A batch overlapping a stored one without matching it exactly is no duplicate either.
  CHECK(l.produce(idempotent_batch(kPid.value, 0, 1, 1)).error == Errc::out_of_order_sequence_number);
  CHECK(l.log.log_end_offset() == Offset(2));
  CHECK(l.produce(idempotent_batch(kPid.value, 0, 2, 1)).error == Errc::none);
}

TEST_CASE("an older epoch is INVALID_PRODUCER_EPOCH, even for a batch the old epoch wrote", "[log][idempotence]") {
  Leader l;
  const RecordBatch old_epoch = idempotent_batch(kPid.value, 0, 0, 1);
  REQUIRE(l.produce(old_epoch).error == Errc::none);
  REQUIRE(l.produce(idempotent_batch(kPid.value, 1, 0, 1)).error == Errc::none);
  // The epoch-0 batch is no longer cached (a new epoch clears the batches).
  const ProducerAppendCheck c = l.produce(old_epoch);
  CHECK_FALSE(c.duplicate);
  CHECK(c.error == Errc::invalid_producer_epoch);
  CHECK(c.stored_epoch == ProducerEpoch(1));
  CHECK(l.produce(idempotent_batch(kPid.value, 0, 1, 1)).error == Errc::invalid_producer_epoch);
}

TEST_CASE("a new epoch must start at sequence 0, and then counts from there", "[log][idempotence]") {
  Leader l;
  REQUIRE(l.produce(idempotent_batch(kPid.value, 0, 0, 10)).error == Errc::none);
  CHECK(l.produce(idempotent_batch(kPid.value, 1, 10, 1)).error == Errc::out_of_order_sequence_number);
  REQUIRE(l.produce(idempotent_batch(kPid.value, 1, 0, 2)).error == Errc::none);
  const ProducerStateEntry* e = l.log.producer_state().entry(kPid);
  REQUIRE(e);
  CHECK(e->epoch == ProducerEpoch(1));
  CHECK(e->batches.size() == 1);
  CHECK(e->last_seq() == Sequence(1));
  CHECK(l.produce(idempotent_batch(kPid.value, 1, 2, 1)).error == Errc::none);
}

TEST_CASE("an unknown producer id is accepted at any sequence (KIP-360: no UNKNOWN_PRODUCER_ID)",
          "[log][idempotence]") {
  Leader l;
  const ProducerAppendCheck c = l.produce(idempotent_batch(7, 3, 42, 2));
  CHECK(c.error == Errc::none);
  CHECK(c.stored_epoch == ProducerEpoch(-1));
  CHECK(l.log.producer_state().entry(ProducerId(7))->last_seq() == Sequence(43));
  // From then on it is tracked like any other.
  CHECK(l.produce(idempotent_batch(7, 3, 45, 1)).error == Errc::out_of_order_sequence_number);
  CHECK(l.produce(idempotent_batch(7, 3, 44, 1)).error == Errc::none);
}

TEST_CASE("sequences wrap from Int32 max to 0, within a batch and between batches", "[log][idempotence]") {
  Leader l;
  const int32_t max = INT32_MAX;
  REQUIRE(l.produce(idempotent_batch(kPid.value, 0, max - 1, 1)).error == Errc::none);
  // Two records at max and 0: last_sequence wraps (DefaultRecordBatch.incrementSequence).
  const RecordBatch straddling = idempotent_batch(kPid.value, 0, max, 2);
  CHECK(straddling.last_sequence() == Sequence(0));
  REQUIRE(l.produce(straddling).error == Errc::none);
  CHECK(l.produce(straddling).duplicate);
  CHECK(l.produce(idempotent_batch(kPid.value, 0, 1, 1)).error == Errc::none);

  Leader l2;
  REQUIRE(l2.produce(idempotent_batch(kPid.value, 0, max, 1)).error == Errc::none);
  CHECK(l2.produce(idempotent_batch(kPid.value, 0, 0, 1)).error == Errc::none);  // max + 1 == 0
}

TEST_CASE("non-idempotent batches are never checked", "[log][idempotence]") {
  Leader l;
  RecordBatch plain;
  plain.records.push_back(Record{RecordId(1), "", false, 10, 0});
  CHECK(l.produce(plain).error == Errc::none);
  CHECK(l.produce(plain).error == Errc::none);
  CHECK(l.log.log_end_offset() == Offset(2));
  CHECK(l.log.producer_state().producers().empty());
}

TEST_CASE("producers are tracked independently", "[log][idempotence]") {
  Leader l;
  REQUIRE(l.produce(idempotent_batch(1, 0, 0, 1)).error == Errc::none);
  REQUIRE(l.produce(idempotent_batch(2, 0, 0, 1)).error == Errc::none);
  CHECK(l.produce(idempotent_batch(1, 0, 1, 1)).error == Errc::none);
  CHECK(l.produce(idempotent_batch(2, 0, 0, 1)).duplicate);
}

TEST_CASE("a follower's replicated appends teach it the producer state, without checks", "[log][idempotence]") {
  Leader leader;
  test::TestDisk follower_disk;
  PartitionLog follower(follower_disk.storage(), kStateTp, {});
  for (int i = 0; i < 3; ++i) REQUIRE(leader.produce(idempotent_batch(kPid.value, 0, i, 1)).error == Errc::none);
  for (const auto& seg : leader.log.segments())
    for (const auto& b : seg.batches()) follower.append_as_follower(b);
  CHECK(follower.producer_state().producers() == leader.log.producer_state().producers());
  const ProducerAppendCheck retry = follower.producer_state().check_client_batch(idempotent_batch(kPid.value, 0, 2, 1));
  REQUIRE(retry.duplicate);
  CHECK(retry.duplicate->first_offset == Offset(2));
}

TEST_CASE("truncation rebuilds the producer state as it was before the removed batches", "[log][idempotence]") {
  Leader l;
  std::vector<std::map<ProducerId, ProducerStateEntry>> before;  // state before batch i
  std::vector<Offset> at;
  for (int i = 0; i < 12; ++i) {
    before.push_back(l.log.producer_state().producers());
    at.push_back(l.log.log_end_offset());
    const int64_t pid = 1 + i % 2;
    const int16_t epoch = i < 8 ? 0 : 1;
    const int32_t seq = i < 8 ? i / 2 * 2 : (i - 8) / 2 * 2;
    REQUIRE(l.produce(idempotent_batch(pid, epoch, seq, 2, 100 + i)).error == Errc::none);
  }
  for (int cut = 11; cut >= 0; --cut) {
    l.log.truncate_to(at[static_cast<size_t>(cut)]);
    CAPTURE(cut);
    CHECK(l.log.producer_state().producers() == before[static_cast<size_t>(cut)]);
    CHECK(l.log.producer_state().map_end_offset() == l.log.log_end_offset());
    l.log.check_invariants();
  }
}

TEST_CASE("recovery rebuilds the producer state from the log", "[log][idempotence]") {
  test::TestDisk disk;
  std::map<ProducerId, ProducerStateEntry> expected;
  {
    PartitionLog log(disk.storage(), kStateTp, {});
    for (int i = 0; i < 7; ++i) log.append_as_leader(idempotent_batch(kPid.value, 2, i, 1), LeaderEpoch(0));
    log.flush();
    expected = log.producer_state().producers();
  }
  PartitionLog recovered(disk.storage(), kStateTp, {});
  recovered.recover();
  CHECK(recovered.producer_state().producers() == expected);
  CHECK(recovered.producer_state().check_client_batch(idempotent_batch(kPid.value, 2, 6, 1)).duplicate);
  CHECK(recovered.producer_state().check_client_batch(idempotent_batch(kPid.value, 2, 7, 1)).error == Errc::none);
}

TEST_CASE("idle producers expire after producer.id.expiration.ms", "[log][idempotence]") {
  Leader l;
  REQUIRE(l.produce(idempotent_batch(1, 0, 0, 1, 1000)).error == Errc::none);
  REQUIRE(l.produce(idempotent_batch(2, 0, 0, 1, 5000)).error == Errc::none);
  CHECK(l.log.producer_state().producers().size() == 2);
  CHECK(l.log.producer_state().remove_expired(1000 + ProducerStateManager::kDefaultProducerIdExpirationMs,
                                              ProducerStateManager::kDefaultProducerIdExpirationMs) == 1);
  CHECK(l.log.producer_state().entry(ProducerId(1)) == nullptr);
  CHECK(l.log.producer_state().entry(ProducerId(2)) != nullptr);
}

TEST_CASE("in-order batches are never rejected and every retry of a recent one is recognised",
          "[log][idempotence][property]") {
  rc::prop("retries of the last five are duplicates, older ones out of order", [](std::vector<uint8_t> sizes) {
    Leader l;
    std::vector<RecordBatch> sent;
    int32_t seq = 0;
    for (uint8_t s : sizes) {
      const int n = 1 + s % 4;
      sent.push_back(idempotent_batch(kPid.value, 0, seq, n));
      RC_ASSERT(l.produce(sent.back()).error == Errc::none);
      seq += n;
    }
    const Offset leo = l.log.log_end_offset();
    for (size_t i = 0; i < sent.size(); ++i) {
      const ProducerAppendCheck c = l.log.producer_state().check_client_batch(sent[i]);
      if (i + 5 >= sent.size()) {
        RC_ASSERT(c.duplicate.has_value());
      } else {
        RC_ASSERT(!c.duplicate.has_value());
        RC_ASSERT(c.error == Errc::out_of_order_sequence_number);
      }
    }
    RC_ASSERT(l.log.log_end_offset() == leo);
  });
}

}  // namespace
}  // namespace ksim
