#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "core/log/batch_codec.h"
#include "core/log/partition_log.h"
#include "tests/support/test_disk.h"
#include "tests/support/throw_on_assert.h"

namespace ksim {
namespace {

const TopicPartition kTp{"orders", PartitionId(0)};

RecordBatch batch_of(std::initializer_list<uint64_t> ids, int32_t value_bytes = 100) {
  RecordBatch b;
  for (uint64_t id : ids) b.records.push_back(Record{RecordId(id), "", false, value_bytes, 0});
  return b;
}

std::vector<uint64_t> ids_in(const PartitionLog& log) {
  std::vector<uint64_t> ids;
  for (const auto& seg : log.segments())
    for (const auto& b : seg.batches())
      for (const auto& r : b.records) ids.push_back(r.id.value);
  return ids;
}

TEST_CASE("a leader append assigns offsets from LEO and stamps the leader epoch", "[log]") {
  test::TestDisk disk;
  PartitionLog log(disk.storage(), kTp, {});
  CHECK(log.log_end_offset() == Offset(0));
  const auto& first = log.append_as_leader(batch_of({1, 2, 3}), LeaderEpoch(0));
  CHECK(first.base_offset == Offset(0));
  CHECK(first.last_offset() == Offset(2));
  const auto& second = log.append_as_leader(batch_of({4}), LeaderEpoch(1));
  CHECK(second.base_offset == Offset(3));
  CHECK(second.partition_leader_epoch == LeaderEpoch(1));
  CHECK(log.log_end_offset() == Offset(4));
  CHECK(log.epoch_cache().entries() ==
        std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(1), Offset(3)}});
  CHECK(log.high_watermark() == Offset(0));
  log.check_invariants();
}

TEST_CASE("segments roll at segment.bytes and the sparse index finds every offset", "[log][segment]") {
  test::TestDisk disk;
  // 161-byte batches (61 header + 100 value): 6 per 1000-byte segment.
  PartitionLog log(disk.storage(), kTp, LogConfig{1000, 300});
  for (uint64_t i = 0; i < 20; ++i) log.append_as_leader(batch_of({i}, 93), LeaderEpoch(0));
  REQUIRE(log.segments().size() == 4);
  CHECK(log.segments()[1].base_offset() == Offset(6));
  CHECK(log.segments()[3].base_offset() == Offset(18));
  CHECK(disk.disk().list().size() == 5);  // 4 segments + the epoch checkpoint
  // An index entry after every >300 bytes: batches 0,1 then entry at the 3rd...
  const auto& index = log.segments()[0].index();
  REQUIRE(index.size() == 2);
  CHECK(index[0].offset == Offset(2));
  CHECK(index[0].position == 2 * 161);
  for (int64_t o = 0; o < 20; ++o) {
    auto found = log.locate(Offset(o));
    REQUIRE(found);
    REQUIRE(found->batch);
    CHECK(log.segments()[found->segment].batches()[*found->batch].base_offset == Offset(o));
    CHECK(found->batches_scanned <= 3);  // the index bounds the scan
  }
  auto path = log.locate(Offset(5));
  CHECK(path->segment == 0);
  CHECK(path->index_entry->offset == Offset(4));
  CHECK_FALSE(log.locate(Offset(20)));
}

TEST_CASE("reads stop at the high watermark and at max bytes, but return at least one batch", "[log][read]") {
  test::TestDisk disk;
  PartitionLog log(disk.storage(), kTp, {});
  for (uint64_t i = 0; i < 5; ++i) log.append_as_leader(batch_of({10 * i, 10 * i + 1}), LeaderEpoch(0));
  log.set_high_watermark(Offset(6));
  auto upto_hw = log.read(Offset(0), log.high_watermark(), 1 << 20, true);
  CHECK(upto_hw.batches.size() == 3);
  auto from_middle = log.read(Offset(3), log.log_end_offset(), 1 << 20, true);
  REQUIRE(from_middle.batches.size() == 4);
  CHECK(from_middle.batches[0].base_offset == Offset(2));  // the batch holding offset 3
  auto tiny = log.read(Offset(0), log.log_end_offset(), 10, true);
  CHECK(tiny.batches.size() == 1);
  CHECK(log.read(Offset(0), log.log_end_offset(), 10, false).batches.empty());
  CHECK(log.read(Offset(10), log.log_end_offset(), 1 << 20, true).batches.empty());
}

TEST_CASE("truncation removes whole batches, later segments, epochs and lowers the HW", "[log][truncate]") {
  test::TestDisk disk;
  PartitionLog log(disk.storage(), kTp, LogConfig{600, 4096});  // 275-byte batches, 2 per segment
  log.append_as_leader(batch_of({1, 2}), LeaderEpoch(0));
  log.append_as_leader(batch_of({3, 4}), LeaderEpoch(0));
  log.append_as_leader(batch_of({5, 6}), LeaderEpoch(1));
  log.append_as_leader(batch_of({7, 8}), LeaderEpoch(2));
  REQUIRE(log.segments().size() == 2);
  log.set_high_watermark(Offset(8));
  auto removed = log.truncate_to(Offset(3));  // inside the batch [2,3]
  CHECK(log.log_end_offset() == Offset(2));
  REQUIRE(removed.size() == 3);
  CHECK(removed[0].base_offset == Offset(2));
  CHECK(removed[2].base_offset == Offset(6));
  CHECK(log.high_watermark() == Offset(2));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}});
  CHECK(log.segments().size() == 1);
  CHECK(ids_in(log) == std::vector<uint64_t>{1, 2});
  log.check_invariants();
  // Appending after truncation continues from the new LEO.
  CHECK(log.append_as_leader(batch_of({9}), LeaderEpoch(3)).base_offset == Offset(2));
}

TEST_CASE("truncating at the LEO still drops an epoch that starts there (UnifiedLog.truncateTo)", "[log][truncate][epoch]") {
  // A broker elected leader in epoch 1 assigns the epoch at its LEO, is
  // demoted before it appends anything, and as a follower truncates to its
  // LEO. Epoch 1 must go: kept, it would be the follower's LastFetchedEpoch,
  // which the new leader (who never had epoch 1) answers with a diverging
  // epoch on every fetch, so the follower never rejoins the ISR.
  test::TestDisk disk;
  PartitionLog log(disk.storage(), kTp, {});
  log.append_as_leader(batch_of({1, 2}), LeaderEpoch(0));
  log.assign_epoch_start(LeaderEpoch(1));
  REQUIRE(log.epoch_cache().latest()->epoch == LeaderEpoch(1));
  CHECK(log.truncate_to(Offset(2)).empty());
  CHECK(log.log_end_offset() == Offset(2));
  CHECK(log.epoch_cache().entries() == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}});
  log.check_invariants();
}

TEST_CASE("recovery after a process crash finds the whole log in the page cache", "[log][recovery]") {
  test::TestDisk disk;
  {
    PartitionLog log(disk.storage(), kTp, {});
    log.append_as_leader(batch_of({1, 2}), LeaderEpoch(0));
    log.append_as_leader(batch_of({3}), LeaderEpoch(1));
    log.set_high_watermark(Offset(2));
    log.checkpoint_high_watermark();
    log.set_high_watermark(Offset(3));  // not checkpointed
  }
  PartitionLog again(disk.storage(), kTp, {});
  auto r = again.recover();
  CHECK(r.log_end_offset == Offset(3));
  CHECK(r.high_watermark == Offset(2));  // the checkpointed HW, not the last in memory
  CHECK(ids_in(again) == std::vector<uint64_t>{1, 2, 3});
  CHECK(again.latest_epoch() == LeaderEpoch(1));
  again.check_invariants();
}

TEST_CASE("recovery after a power loss keeps only the flushed prefix", "[log][recovery]") {
  test::TestDisk disk;
  {
    PartitionLog log(disk.storage(), kTp, {});
    log.append_as_leader(batch_of({1, 2}), LeaderEpoch(0));
    disk.write_back_all();
    CHECK(log.flushed_offset() == Offset(2));
    log.append_as_leader(batch_of({3}), LeaderEpoch(1));  // epoch checkpoint is fsynced, the batch is not
    CHECK(log.flushed_offset() == Offset(2));
  }
  disk.power_loss();
  PartitionLog again(disk.storage(), kTp, {});
  auto r = again.recover();
  CHECK(r.log_end_offset == Offset(2));
  CHECK(ids_in(again) == std::vector<uint64_t>{1, 2});
  // The epoch cache had epoch 1 from offset 2 on disk: cut back to the log.
  CHECK(again.epoch_cache().entries() == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}});
  again.check_invariants();
}

// Explore seed 10008 (high-watermark truncation): a follower truncates to its
// HW, then leads a new epoch (the cache checkpoint is fsynced), then loses
// power before the truncation of its log reached the disk. The truncated batch
// comes back under the newer epoch, as it would in Kafka: LogLoader keeps the
// checkpointed epoch and LogSegment.recover adds only newer ones.
TEST_CASE("after a power loss a truncated batch can come back under a newer epoch, as in Kafka", "[log][recovery][epoch]") {
  test::TestDisk disk;
  {
    PartitionLog log(disk.storage(), kTp, {});
    RecordBatch b = batch_of({1});
    b.base_offset = Offset(0);
    b.partition_leader_epoch = LeaderEpoch(0);
    log.append_as_follower(b);
    disk.write_back_all();
    log.truncate_to(Offset(0));               // to the HW: not durable yet
    log.assign_epoch_start(LeaderEpoch(2));   // leads epoch 2: fsynced
  }
  disk.power_loss();
  PartitionLog again(disk.storage(), kTp, {});
  const RecoveryResult r = again.recover();
  CHECK(r.log_end_offset == Offset(1));
  CHECK(ids_in(again) == std::vector<uint64_t>{1});
  CHECK(again.epoch_cache().entries() == std::vector<EpochEntry>{{LeaderEpoch(2), Offset(0)}});
  CHECK(test::assertion_failed_in([&] { again.check_invariants(); }).empty());
  // What this process appends is covered by its own epoch again.
  again.append_as_leader(batch_of({2}), LeaderEpoch(3));
  CHECK(again.epoch_cache().epoch_for_offset(Offset(1)) == LeaderEpoch(3));
  again.check_invariants();
}

TEST_CASE("recovery adds the epoch of a recovered batch newer than the checkpoint (LogSegment.recover)",
          "[log][recovery][epoch]") {
  test::TestDisk disk;
  {
    PartitionLog log(disk.storage(), kTp, {});
    log.append_as_leader(batch_of({1}), LeaderEpoch(0));
    log.append_as_leader(batch_of({2}), LeaderEpoch(1));
    disk.write_back_all();
    // The cache loses epoch 1 and that reaches the disk; the log's truncation does not.
    log.truncate_to(Offset(1));
    disk.storage().fsync("orders-0/leader-epoch-checkpoint");
  }
  disk.power_loss();
  PartitionLog again(disk.storage(), kTp, {});
  again.recover();
  CHECK(ids_in(again) == std::vector<uint64_t>{1, 2});
  CHECK(again.epoch_cache().entries() ==
        std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(1), Offset(1)}});
  // Made durable at once, as Kafka's assign writes its checkpoint.
  CHECK(disk.storage().durable_entries("orders-0/leader-epoch-checkpoint") == 2);
  again.check_invariants();
}

TEST_CASE("a batch this process appended under an epoch the cache does not give it is caught", "[log][epoch][invariants]") {
  test::TestDisk disk;
  PartitionLog log(disk.storage(), kTp, {});
  log.append_as_leader(batch_of({1}), LeaderEpoch(0));
  log.append_as_leader(batch_of({2}), LeaderEpoch(1));
  test::ThrowOnAssert guard;
  auto& cache = const_cast<LeaderEpochCache&>(log.epoch_cache());  // planted: no handler can do this
  cache.clear();
  cache.assign(LeaderEpoch(4), Offset(0));
  std::string caught;
  try {
    log.check_invariants();
  } catch (const test::PlantedViolation& e) {
    caught = e.what();
  }
  CHECK_THAT(caught, Catch::Contains("orders-0: batch at 1 has epoch 1 but the epoch cache disagrees"));
}

TEST_CASE("recovery stops at an unreadable entry and discards what follows", "[log][recovery]") {
  test::TestDisk disk;
  {
    PartitionLog log(disk.storage(), kTp, {});
    for (uint64_t i = 1; i <= 4; ++i) log.append_as_leader(batch_of({i}), LeaderEpoch(0));
  }
  // Garble the third batch on disk (a torn write).
  auto entries = disk.storage().read("orders-0/00000000000000000000.log");
  entries[2] = "garbage";
  disk.storage().replace("orders-0/00000000000000000000.log", entries);
  PartitionLog again(disk.storage(), kTp, {});
  auto r = again.recover();
  CHECK(r.batches_recovered == 2);
  CHECK(r.entries_discarded == 2);
  CHECK(again.log_end_offset() == Offset(2));
  CHECK(disk.storage().read("orders-0/00000000000000000000.log").size() == 2);
}

TEST_CASE("the batch codec round-trips every field", "[log]") {
  RecordBatch b;
  b.base_offset = Offset(42);
  b.partition_leader_epoch = LeaderEpoch(7);
  b.producer_id = ProducerId(1000);
  b.producer_epoch = ProducerEpoch(2);
  b.base_sequence = Sequence(17);
  b.records = {Record{RecordId(5), "key-a", true, 12, 1700}, Record{RecordId(6), "", false, 0, 1701}};
  auto back = decode_batch(encode_batch(b));
  REQUIRE(back);
  CHECK(*back == b);
  CHECK_FALSE(decode_batch("short"));
  auto bytes = encode_batch(b);
  CHECK_FALSE(decode_batch(bytes.substr(0, bytes.size() - 1)));
}

TEST_CASE("the log behaves like a list of records under appends, truncations and restarts", "[log][property]") {
  rc::prop("log content matches a simple model", [] {
    test::TestDisk disk;
    auto log = std::make_unique<PartitionLog>(disk.storage(), kTp, LogConfig{600, 200});
    std::vector<uint64_t> model;
    uint64_t next_id = 1;
    int32_t epoch = 0;
    const int steps = *rc::gen::inRange(1, 60);
    for (int s = 0; s < steps; ++s) {
      const int op = *rc::gen::inRange(0, 10);
      if (op < 6) {
        const int n = *rc::gen::inRange(1, 4);
        RecordBatch b;
        for (int i = 0; i < n; ++i) {
          b.records.push_back(Record{RecordId(next_id), "", false, 50, 0});
          model.push_back(next_id++);
        }
        if (*rc::gen::inRange(0, 4) == 0) ++epoch;
        log->append_as_leader(std::move(b), LeaderEpoch(epoch));
      } else if (op < 8 && !model.empty()) {
        const auto to = *rc::gen::inRange<int64_t>(0, static_cast<int64_t>(model.size()));
        log->truncate_to(Offset(to));
        // Whole batches go: the log may end before `to`.
        RC_ASSERT(log->log_end_offset().value <= to);
        model.resize(static_cast<size_t>(log->log_end_offset().value));
      } else {
        log = std::make_unique<PartitionLog>(disk.storage(), kTp, LogConfig{600, 200});
        log->recover();
      }
      log->check_invariants();
      RC_ASSERT(ids_in(*log) == model);
      RC_ASSERT(log->log_end_offset().value == static_cast<int64_t>(model.size()));
    }
  });
}

}  // namespace
}  // namespace ksim
