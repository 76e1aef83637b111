// The broker half of KIP-227: which partitions an incremental answer must
// carry (CachedPartition.maybeUpdateResponseData), how a session is updated
// and reordered, and the cache's admission and eviction rules
// (FetchSessionCacheShard.tryEvict).
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <set>

#include "core/broker/fetch_context.h"
#include "core/broker/fetch_session_cache.h"

namespace ksim {
namespace {

std::vector<CachedPartition> parts(int n) {
  std::vector<CachedPartition> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)].request.tp = {"t", PartitionId(i)};
  return v;
}

TEST_CASE("an incremental answer carries a partition only with records, a new HW or log start, an error or divergence",
          "[broker][fetch-session]") {
  CachedPartition cp;
  cp.high_watermark = Offset(10);
  cp.local_log_start_offset = Offset(0);
  CHECK_FALSE(cp.must_respond(0, Offset(10), Offset(0), Errc::none, false, true));
  CHECK(cp.must_respond(100, Offset(10), Offset(0), Errc::none, false, true));      // records
  CHECK(cp.must_respond(0, Offset(0), Offset(0), Errc::none, true, true));          // diverging epoch (HW -> 0)
  CHECK(cp.must_respond(0, Offset(12), Offset(0), Errc::none, false, false));       // a new HW, not remembered
  CHECK(cp.high_watermark == Offset(0));
  CHECK(cp.must_respond(0, Offset(12), Offset(0), Errc::none, false, true));        // remembered now
  CHECK_FALSE(cp.must_respond(0, Offset(12), Offset(0), Errc::none, false, true));
  CHECK(cp.must_respond(0, Offset(12), Offset(3), Errc::none, false, true));        // log start moved
  // An error is sent, and the HW forgotten so that the partition is sent again
  // once the error is gone, though its HW did not change.
  CHECK(cp.must_respond(0, Offset(12), Offset(3), Errc::not_leader_or_follower, false, true));
  CHECK(cp.high_watermark == Offset(-1));
  CHECK(cp.must_respond(0, Offset(12), Offset(3), Errc::none, false, true));
}

TEST_CASE("a session adds new partitions at its end, updates known ones, drops forgotten ones, and moves those that "
          "returned records to its end",
          "[broker][fetch-session]") {
  FetchSession s(5, false, parts(3), 0);
  s.partitions()[1].high_watermark = Offset(7);
  FetchPartitionData updated;
  updated.tp = {"t", PartitionId(1)};
  updated.fetch_offset = Offset(42);
  FetchPartitionData added;
  added.tp = {"u", PartitionId(0)};
  s.update({updated, added}, {{"t", PartitionId(0)}});
  REQUIRE(s.size() == 3);
  CHECK(s.partitions()[0].request.tp == TopicPartition{"t", PartitionId(1)});
  CHECK(s.partitions()[0].request.fetch_offset == Offset(42));
  CHECK(s.partitions()[0].high_watermark == Offset(7));  // the response state stays
  CHECK(s.partitions()[2].request.tp == TopicPartition{"u", PartitionId(0)});
  s.move_to_end({true, false, false});
  CHECK(s.partitions()[2].request.tp == TopicPartition{"t", PartitionId(1)});
  CHECK(s.epoch() == 1);
  s.advance_epoch();
  CHECK(s.epoch() == 2);
}

TEST_CASE("moving the partitions that returned records to the end keeps both groups in their order",
          "[broker][fetch-session][property]") {
  rc::prop("move_to_end is a stable partition", [](const std::vector<bool>& returned) {
    FetchSession s(5, false, parts(static_cast<int>(returned.size())), 0);
    std::vector<int32_t> expected;  // partition ids: the rest in order, then the returned in order
    for (size_t i = 0; i < returned.size(); ++i)
      if (!returned[i]) expected.push_back(static_cast<int32_t>(i));
    for (size_t i = 0; i < returned.size(); ++i)
      if (returned[i]) expected.push_back(static_cast<int32_t>(i));
    s.move_to_end(returned);
    s.move_to_end(std::vector<bool>(returned.size(), false));  // nothing returned: nothing moves
    std::vector<int32_t> got;
    for (const CachedPartition& cp : s.partitions()) got.push_back(cp.request.tp.partition.value);
    RC_ASSERT(got == expected);
  });
}

TEST_CASE("the cache makes sessions while it has room, with distinct non-zero ids", "[broker][fetch-session]") {
  FetchSessionCache cache(16, 7);  // 8 shards of 2
  std::set<int32_t> ids;
  for (int i = 0; i < 16; ++i) {
    const int32_t id = cache.maybe_create_session(0, false, parts(2));
    CHECK(id != kInvalidFetchSessionId);
    ids.insert(id);
  }
  CHECK(ids.size() == 16);
  CHECK(cache.size() == 16);
  CHECK(cache.total_partitions() == 32);
  // Full, none of them unused for 120 s, none older than 120 s: no room for
  // another consumer's session.
  CHECK(cache.maybe_create_session(1000, false, parts(2)) == kInvalidFetchSessionId);
  for (int32_t id : ids) CHECK(cache.get(id) != nullptr);
  CHECK(cache.remove(*ids.begin()));
  CHECK_FALSE(cache.remove(*ids.begin()));
  CHECK(cache.get(*ids.begin()) == nullptr);
}

TEST_CASE("max.incremental.fetch.session.cache.slots=0 makes no sessions", "[broker][fetch-session]") {
  FetchSessionCache cache(0, 1);
  CHECK(cache.maybe_create_session(0, true, parts(3)) == kInvalidFetchSessionId);
}

TEST_CASE("eviction: a session unused for 120 s goes first, a follower's evicts a consumer's at once",
          "[broker][fetch-session]") {
  FetchSessionCache cache(2, 3, /*num_shards=*/1);
  const int32_t consumer = cache.maybe_create_session(0, false, parts(5));
  const int32_t follower = cache.maybe_create_session(1000, true, parts(5));
  REQUIRE(consumer != kInvalidFetchSessionId);
  REQUIRE(follower != kInvalidFetchSessionId);
  // Another consumer cannot push out a young session.
  CHECK(cache.maybe_create_session(2000, false, parts(1)) == kInvalidFetchSessionId);
  // A follower can push out the consumer's (privileged beats unprivileged).
  const int32_t follower2 = cache.maybe_create_session(3000, true, parts(1));
  CHECK(follower2 != kInvalidFetchSessionId);
  CHECK(cache.get(consumer) == nullptr);
  CHECK(cache.evictions() == 1);
  // Two young followers' sessions: nobody gets in...
  CHECK(cache.maybe_create_session(4000, true, parts(9)) == kInvalidFetchSessionId);
  // ...until one has been unused for more than 120 s.
  cache.touch(*cache.get(follower2), 100000);
  CHECK(cache.maybe_create_session(121001, false, parts(1)) != kInvalidFetchSessionId);
  CHECK(cache.get(follower) == nullptr);
  CHECK(cache.get(follower2) != nullptr);
}

TEST_CASE("eviction: among sessions older than 120 s, a bigger or more privileged one replaces the least valuable",
          "[broker][fetch-session]") {
  FetchSessionCache cache(2, 3, /*num_shards=*/1);
  const int32_t small = cache.maybe_create_session(0, false, parts(2));
  const int32_t big = cache.maybe_create_session(0, false, parts(8));
  // Both are used often (not stale) but are older than 120 s.
  cache.touch(*cache.get(small), 130000);
  cache.touch(*cache.get(big), 130000);
  CHECK(cache.maybe_create_session(130500, false, parts(1)) == kInvalidFetchSessionId);  // smaller than both
  const int32_t mid = cache.maybe_create_session(131000, false, parts(4));
  CHECK(mid != kInvalidFetchSessionId);
  CHECK(cache.get(small) == nullptr);
  CHECK(cache.get(big) != nullptr);
}

FetchRequest fetch(int32_t session_id, int32_t epoch, std::vector<int> partitions, std::vector<int> forgotten = {}) {
  FetchRequest r;
  r.session_id = session_id;
  r.session_epoch = epoch;
  for (int p : partitions) {
    FetchPartitionData d;
    d.tp = {"t", PartitionId(p)};
    r.partitions.push_back(d);
  }
  for (int p : forgotten) r.forgotten.push_back({"t", PartitionId(p)});
  return r;
}

std::vector<FollowerReadResult> reads(size_t n, Offset hw) {
  std::vector<FollowerReadResult> v(n);
  for (auto& r : v) {
    r.high_watermark = hw;
    r.log_start_offset = Offset(0);
  }
  return v;
}

TEST_CASE("fetch contexts: a full fetch makes a session, incremental ones answer only news, wrong epochs and unknown "
          "sessions are errors",
          "[broker][fetch-session]") {
  FetchSessionCache cache(1000, 11);
  FetchContext full = FetchContext::create(cache, fetch(0, 0, {0, 1, 2}), 0);
  CHECK(full.kind() == FetchContext::Kind::full);
  REQUIRE(full.partitions().size() == 3);
  auto r3 = reads(3, Offset(5));
  const FetchResponse first = full.respond(1, r3, cache, 0);
  CHECK(first.partitions.size() == 3);
  const int32_t id = first.session_id;
  REQUIRE(id != kInvalidFetchSessionId);

  // Incremental, epoch 1, lists nothing: every partition of the session is read ...
  FetchContext inc = FetchContext::create(cache, fetch(id, 1, {}), 10);
  REQUIRE(inc.kind() == FetchContext::Kind::incremental);
  REQUIRE(inc.partitions().size() == 3);
  auto r = reads(3, Offset(5));
  r[2].high_watermark = Offset(6);  // ... but only partition 2 has news
  const FetchResponse second = inc.respond(2, r, cache, 10);
  REQUIRE(second.partitions.size() == 1);
  CHECK(second.partitions[0].tp == TopicPartition{"t", PartitionId(2)});
  CHECK(second.session_id == id);

  // Replaying epoch 1: INVALID_FETCH_SESSION_EPOCH.
  FetchContext dup = FetchContext::create(cache, fetch(id, 1, {}), 20);
  CHECK(dup.kind() == FetchContext::Kind::session_error);
  CHECK(dup.error() == Errc::invalid_fetch_session_epoch);
  std::vector<FollowerReadResult> none;
  CHECK(dup.respond(3, none, cache, 20).error == Errc::invalid_fetch_session_epoch);
  // An unknown session: FETCH_SESSION_ID_NOT_FOUND.
  FetchContext unknown = FetchContext::create(cache, fetch(id + 1, 1, {}), 20);
  CHECK(unknown.error() == Errc::fetch_session_id_not_found);

  // Forgetting every partition closes the session: a sessionless answer.
  FetchContext last = FetchContext::create(cache, fetch(id, 2, {}, {0, 1, 2}), 30);
  CHECK(last.kind() == FetchContext::Kind::sessionless);
  CHECK(last.partitions().empty());
  std::vector<FollowerReadResult> empty;
  CHECK(last.respond(4, empty, cache, 30).session_id == kInvalidFetchSessionId);
  CHECK(cache.get(id) == nullptr);
}

TEST_CASE("a full fetch naming a session closes it, with FINAL_EPOCH it makes none", "[broker][fetch-session]") {
  FetchSessionCache cache(1000, 11);
  FetchContext full = FetchContext::create(cache, fetch(0, 0, {0}), 0);
  auto r1 = reads(1, Offset(0));
  const int32_t id = full.respond(1, r1, cache, 0).session_id;
  REQUIRE(cache.get(id));
  FetchContext again = FetchContext::create(cache, fetch(id, 0, {0}), 5);
  CHECK(cache.get(id) == nullptr);
  auto r2 = reads(1, Offset(0));
  const int32_t id2 = again.respond(2, r2, cache, 5).session_id;
  CHECK(id2 != kInvalidFetchSessionId);
  CHECK(id2 != id);
  FetchContext close = FetchContext::create(cache, fetch(id2, kFinalFetchEpoch, {}), 6);
  CHECK(close.kind() == FetchContext::Kind::sessionless);
  CHECK(cache.get(id2) == nullptr);
  CHECK(cache.size() == 0);
}

TEST_CASE("an incremental answer made after the session moved on is INVALID_FETCH_SESSION_EPOCH",
          "[broker][fetch-session]") {
  FetchSessionCache cache(1000, 11);
  FetchContext full = FetchContext::create(cache, fetch(0, 0, {0}), 0);
  auto r1 = reads(1, Offset(0));
  const int32_t id = full.respond(1, r1, cache, 0).session_id;
  FetchContext a = FetchContext::create(cache, fetch(id, 1, {}), 1);  // parked, say
  FetchContext b = FetchContext::create(cache, fetch(id, 2, {}), 2);  // a duplicate's successor
  auto rb = reads(1, Offset(1));
  CHECK(b.respond(3, rb, cache, 3).error == Errc::none);
  auto ra = reads(1, Offset(1));
  CHECK(a.respond(2, ra, cache, 4).error == Errc::invalid_fetch_session_epoch);
}

}  // namespace
}  // namespace ksim
