// The partition log tells its owner about every change of the leader-epoch
// cache, with the whole cache and why: that is what the broker traces as
// epoch_cache_changed, and what the viewer shows.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/log/partition_log.h"
#include "tests/support/test_disk.h"

namespace ksim {
namespace {

const TopicPartition kObservedTp{"orders", PartitionId(0)};

RecordBatch one_record(uint64_t id) {
  RecordBatch b;
  b.records.push_back(Record{RecordId(id), "", false, 100, 0});
  return b;
}

struct Seen {
  std::vector<EpochEntry> entries;
  std::string reason;
};

TEST_CASE("the epoch cache observer hears a new epoch, a truncation that drops it, and a recovery, nothing else",
          "[log][epoch-cache]") {
  test::TestDisk disk;
  PartitionLog log(disk.storage(), kObservedTp, {});
  std::vector<Seen> seen;
  log.set_epoch_cache_observer([&](const LeaderEpochCache& c, std::string_view reason) {
    seen.push_back({c.entries(), std::string(reason)});
  });

  log.append_as_leader(one_record(1), LeaderEpoch(0));
  log.append_as_leader(one_record(2), LeaderEpoch(0));  // same epoch: no change
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].reason == "assigned");
  CHECK(seen[0].entries == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}});

  // A new leader marks its epoch's start at its LEO before any record of it.
  log.assign_epoch_start(LeaderEpoch(3));
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].entries == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(3), Offset(2)}});
  log.append_as_leader(one_record(3), LeaderEpoch(3));
  CHECK(seen.size() == 2);

  log.truncate_to(Offset(1));  // drops 3@2
  REQUIRE(seen.size() == 3);
  CHECK(seen[2].reason == "truncated");
  CHECK(seen[2].entries == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}});

  disk.write_back_all();
  PartitionLog restarted(disk.storage(), kObservedTp, {});
  std::vector<Seen> after;
  restarted.set_epoch_cache_observer([&](const LeaderEpochCache& c, std::string_view reason) {
    after.push_back({c.entries(), std::string(reason)});
  });
  restarted.recover();
  REQUIRE(after.size() == 1);
  CHECK(after[0].reason == "recovered");
  CHECK(after[0].entries == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}});
}

}  // namespace
}  // namespace ksim
