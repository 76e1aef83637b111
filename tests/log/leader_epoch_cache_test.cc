#include <catch2/catch.hpp>

#include "core/log/leader_epoch_cache.h"

namespace ksim {
namespace {

LeaderEpochCache cache_of(std::initializer_list<std::pair<int32_t, int64_t>> entries) {
  LeaderEpochCache c;
  for (auto [e, o] : entries) c.assign(LeaderEpoch(e), Offset(o));
  return c;
}

TEST_CASE("the epoch cache keeps the first offset of each epoch", "[log][epoch]") {
  LeaderEpochCache c;
  CHECK(c.assign(LeaderEpoch(0), Offset(0)));
  CHECK_FALSE(c.assign(LeaderEpoch(0), Offset(5)));  // same epoch, later offset: nothing new
  CHECK(c.assign(LeaderEpoch(2), Offset(7)));
  CHECK(c.entries() == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(2), Offset(7)}});
  CHECK(c.epoch_for_offset(Offset(6)) == LeaderEpoch(0));
  CHECK(c.epoch_for_offset(Offset(7)) == LeaderEpoch(2));
}

TEST_CASE("assigning an older or overlapping epoch drops the conflicting entries", "[log][epoch]") {
  // Kafka's maybeTruncateNonMonotonicEntries: keep the cache monotonic.
  auto c = cache_of({{0, 0}, {2, 5}, {3, 9}});
  CHECK(c.assign(LeaderEpoch(2), Offset(4)));
  CHECK(c.entries() == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(2), Offset(4)}});
  c.check_invariants();
}

TEST_CASE("end offset for an epoch follows KIP-279", "[log][epoch][kip279]") {
  // Leader saw epochs 0 (from 0), 2 (from 5), 4 (from 9); LEO 12.
  auto c = cache_of({{0, 0}, {2, 5}, {4, 9}});
  const Offset leo(12);
  CHECK(c.end_offset_for(LeaderEpoch(4), leo) == EpochEndOffset{LeaderEpoch(4), Offset(12)});  // latest: LEO
  CHECK(c.end_offset_for(LeaderEpoch(2), leo) == EpochEndOffset{LeaderEpoch(2), Offset(9)});
  // An epoch the leader never had: the largest epoch below it, with its end.
  CHECK(c.end_offset_for(LeaderEpoch(3), leo) == EpochEndOffset{LeaderEpoch(2), Offset(9)});
  CHECK(c.end_offset_for(LeaderEpoch(1), leo) == EpochEndOffset{LeaderEpoch(0), Offset(5)});
  CHECK(c.end_offset_for(LeaderEpoch(7), leo).undefined());
  CHECK(c.end_offset_for(LeaderEpoch(-1), leo).undefined());
  auto later = cache_of({{3, 4}});
  CHECK(later.end_offset_for(LeaderEpoch(1), Offset(8)) == EpochEndOffset{LeaderEpoch(1), Offset(4)});
}

TEST_CASE("the original KIP-101 answer cannot say the leader never had the epoch", "[log][epoch][kip101]") {
  auto c = cache_of({{0, 0}, {2, 5}, {4, 9}});
  // Asked for epoch 3, which this leader never had, v0 answers with the start of
  // epoch 4 and claims it is epoch 3's end: a follower holding epoch-3 records
  // up to 9 keeps them even though they diverge (KAFKA-6361).
  CHECK(c.end_offset_for_v0(LeaderEpoch(3), Offset(12)) == EpochEndOffset{LeaderEpoch(3), Offset(9)});
  CHECK(c.end_offset_for(LeaderEpoch(3), Offset(12)) == EpochEndOffset{LeaderEpoch(2), Offset(9)});
  CHECK(c.end_offset_for_v0(LeaderEpoch(4), Offset(12)) == EpochEndOffset{LeaderEpoch(4), Offset(12)});
  CHECK(c.end_offset_for_v0(LeaderEpoch(-1), Offset(12)).undefined());
}

TEST_CASE("truncating the epoch cache from either end", "[log][epoch]") {
  auto c = cache_of({{0, 0}, {2, 5}, {4, 9}});
  c.truncate_from_end(Offset(9));
  CHECK(c.entries() == std::vector<EpochEntry>{{LeaderEpoch(0), Offset(0)}, {LeaderEpoch(2), Offset(5)}});
  c.truncate_from_start(Offset(6));
  CHECK(c.entries() == std::vector<EpochEntry>{{LeaderEpoch(2), Offset(6)}});
}

}  // namespace
}  // namespace ksim
