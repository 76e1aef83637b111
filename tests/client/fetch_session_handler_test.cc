// The client half of KIP-227 (FetchSessionHandler): what a full and an
// incremental fetch list, how the answers move the session on, and how every
// kind of failure falls back to a full fetch.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>
#include <limits>
#include <map>

#include "core/client/fetch_session_handler.h"

namespace ksim {
namespace {

FetchPartitionData part(const std::string& topic, int32_t p, int64_t offset) {
  FetchPartitionData d;
  d.tp = {topic, PartitionId(p)};
  d.fetch_offset = Offset(offset);
  d.current_leader_epoch = LeaderEpoch(0);
  return d;
}

FetchRequest build(FetchSessionHandler& h, const std::vector<FetchPartitionData>& parts) {
  FetchSessionHandler::Builder b = h.new_builder();
  for (const auto& d : parts) b.add(d);
  FetchRequest r;
  b.build(r);
  return r;
}

FetchResponse answer(int32_t session_id, const std::vector<TopicPartition>& tps) {
  FetchResponse r;
  r.session_id = session_id;
  for (const auto& tp : tps) r.partitions.emplace_back().tp = tp;
  return r;
}

std::vector<TopicPartition> tps_of(const std::vector<FetchPartitionData>& v) {
  std::vector<TopicPartition> out;
  for (const auto& d : v) out.push_back(d.tp);
  return out;
}

TEST_CASE("fetch epochs: 0 and -1 are full, the epoch after INT32_MAX is 1, FINAL stays FINAL", "[client][fetch-session]") {
  CHECK(FetchMetadata::initial().is_full());
  CHECK(FetchMetadata::legacy().is_full());
  CHECK_FALSE(FetchMetadata::new_incremental(7).is_full());
  CHECK(FetchMetadata::new_incremental(7).epoch == 1);
  CHECK(FetchMetadata::next_epoch(41) == 42);
  CHECK(FetchMetadata::next_epoch(std::numeric_limits<int32_t>::max()) == 1);
  CHECK(FetchMetadata::next_epoch(kFinalFetchEpoch) == kFinalFetchEpoch);
  CHECK(FetchMetadata{7, 9}.next_close_existing() == FetchMetadata{7, kFinalFetchEpoch});
  CHECK(FetchMetadata{7, 9}.next_close_existing_attempt_new() == FetchMetadata{7, kInitialFetchEpoch});
}

TEST_CASE("the first fetch is full, once the broker makes a session, fetches list only what changed",
          "[client][fetch-session]") {
  FetchSessionHandler h;
  const std::vector<FetchPartitionData> three = {part("a", 0, 10), part("a", 1, 20), part("b", 0, 30)};
  FetchRequest first = build(h, three);
  CHECK(first.session_id == kInvalidFetchSessionId);
  CHECK(first.session_epoch == kInitialFetchEpoch);
  CHECK(first.partitions.size() == 3);
  REQUIRE(h.handle_response(answer(55, tps_of(three))));
  CHECK(h.next_metadata() == FetchMetadata{55, 1});

  // Nothing moved: an incremental fetch with no partitions at all.
  FetchRequest idle = build(h, three);
  CHECK(idle.session_id == 55);
  CHECK(idle.session_epoch == 1);
  CHECK(idle.partitions.empty());
  CHECK(idle.forgotten.empty());
  REQUIRE(h.handle_response(answer(55, {})));
  CHECK(h.next_metadata().epoch == 2);

  // a-1 moved on, c-0 is new, b-0 is no longer wanted.
  FetchRequest next = build(h, {part("a", 0, 10), part("c", 0, 0), part("a", 1, 25)});
  CHECK(next.session_epoch == 2);
  REQUIRE(next.partitions.size() == 2);
  CHECK(next.partitions[0].tp == TopicPartition{"c", PartitionId(0)});  // added first, then altered
  CHECK(next.partitions[1].tp == TopicPartition{"a", PartitionId(1)});
  CHECK(next.partitions[1].fetch_offset == Offset(25));
  CHECK(next.forgotten == std::vector<TopicPartition>{{"b", PartitionId(0)}});
  CHECK(h.session_size() == 3);
  REQUIRE(h.session_partition({"a", PartitionId(0)}));
  CHECK(h.session_partition({"a", PartitionId(0)})->fetch_offset == Offset(10));  // implied
  CHECK(h.session_partition({"b", PartitionId(0)}) == nullptr);
}

TEST_CASE("a changed leader epoch or last fetched epoch makes a partition be sent again", "[client][fetch-session]") {
  FetchSessionHandler h;
  build(h, {part("a", 0, 10)});
  REQUIRE(h.handle_response(answer(9, {{"a", PartitionId(0)}})));
  FetchPartitionData d = part("a", 0, 10);
  d.current_leader_epoch = LeaderEpoch(1);
  CHECK(build(h, {d}).partitions.size() == 1);
  REQUIRE(h.handle_response(answer(9, {})));
  d.last_fetched_epoch = LeaderEpoch(1);
  CHECK(build(h, {d}).partitions.size() == 1);
  REQUIRE(h.handle_response(answer(9, {})));
  CHECK(build(h, {d}).partitions.empty());
}

TEST_CASE("FETCH_SESSION_ID_NOT_FOUND (a restarted broker) makes the next fetch full and sessionless",
          "[client][fetch-session]") {
  FetchSessionHandler h;
  const std::vector<FetchPartitionData> two = {part("a", 0, 10), part("a", 1, 20)};
  build(h, two);
  REQUIRE(h.handle_response(answer(55, tps_of(two))));
  build(h, two);
  FetchResponse error;
  error.error = Errc::fetch_session_id_not_found;
  CHECK_FALSE(h.handle_response(error));
  const FetchRequest again = build(h, two);
  CHECK(again.session_id == kInvalidFetchSessionId);
  CHECK(again.session_epoch == kInitialFetchEpoch);
  CHECK(again.partitions.size() == 2);
}

TEST_CASE("INVALID_FETCH_SESSION_EPOCH or a failed request closes the session with a full fetch asking for a new one",
          "[client][fetch-session]") {
  for (const bool transport : {false, true}) {
    FetchSessionHandler h;
    const std::vector<FetchPartitionData> two = {part("a", 0, 10), part("a", 1, 20)};
    build(h, two);
    REQUIRE(h.handle_response(answer(55, tps_of(two))));
    build(h, two);
    if (transport) {
      h.handle_error();
    } else {
      FetchResponse error;
      error.error = Errc::invalid_fetch_session_epoch;
      CHECK_FALSE(h.handle_response(error));
    }
    const FetchRequest again = build(h, two);
    CHECK(again.session_id == 55);  // the broker drops it ...
    CHECK(again.session_epoch == kInitialFetchEpoch);  // ... and makes a new one
    CHECK(again.partitions.size() == 2);
  }
}

TEST_CASE("a full answer that omits a partition, or an incremental one naming a stranger, is refused",
          "[client][fetch-session]") {
  FetchSessionHandler h;
  const std::vector<FetchPartitionData> two = {part("a", 0, 10), part("a", 1, 20)};
  build(h, two);
  CHECK_FALSE(h.handle_response(answer(55, {{"a", PartitionId(0)}})));
  CHECK(h.next_metadata() == FetchMetadata::initial());
  build(h, two);
  REQUIRE(h.handle_response(answer(56, tps_of(two))));
  build(h, two);
  CHECK_FALSE(h.handle_response(answer(56, {{"z", PartitionId(0)}})));
  CHECK(h.next_metadata() == (FetchMetadata{56, kInitialFetchEpoch}));
}

TEST_CASE("a full answer with session id 0 (the broker's cache is full) keeps the client on full fetches",
          "[client][fetch-session]") {
  FetchSessionHandler h;
  const std::vector<FetchPartitionData> two = {part("a", 0, 10), part("a", 1, 20)};
  build(h, two);
  REQUIRE(h.handle_response(answer(kInvalidFetchSessionId, tps_of(two))));
  const FetchRequest again = build(h, two);
  CHECK(again.session_epoch == kInitialFetchEpoch);
  CHECK(again.partitions.size() == 2);
}

TEST_CASE("forgetting every partition sends a request with only forgotten ones, nothing at all sends nothing",
          "[client][fetch-session]") {
  FetchSessionHandler h;
  {
    FetchSessionHandler::Builder b = h.new_builder();
    FetchRequest r;
    CHECK_FALSE(b.build(r));  // no session, nothing wanted
  }
  build(h, {part("a", 0, 10)});
  REQUIRE(h.handle_response(answer(5, {{"a", PartitionId(0)}})));
  FetchSessionHandler::Builder b = h.new_builder();
  FetchRequest r;
  CHECK(b.build(r));
  CHECK(r.partitions.empty());
  CHECK(r.forgotten.size() == 1);
  // The broker closes the emptied session: session id 0 on an incremental answer.
  CHECK(h.handle_response(answer(kInvalidFetchSessionId, {})));
  CHECK(h.next_metadata() == FetchMetadata::initial());
}

TEST_CASE("notify_close asks the broker to drop the session and make none (FINAL_EPOCH)", "[client][fetch-session]") {
  FetchSessionHandler h;
  build(h, {part("a", 0, 10)});
  REQUIRE(h.handle_response(answer(5, {{"a", PartitionId(0)}})));
  h.notify_close();
  FetchRequest r;
  h.new_builder().build(r);
  CHECK(r.session_id == 5);
  CHECK(r.session_epoch == kFinalFetchEpoch);
  CHECK(r.partitions.empty());
}

TEST_CASE("the session always holds exactly the partitions of the last build", "[client][fetch-session][property]") {
  rc::prop("random sequences of wanted partitions and answers", [](const std::vector<std::vector<uint8_t>> rounds) {
    FetchSessionHandler h;
    for (const auto& round : rounds) {
      std::map<int32_t, int64_t> wanted;
      for (uint8_t x : round) wanted[x % 6] = x / 6;
      std::vector<FetchPartitionData> parts;
      for (const auto& [p, off] : wanted) parts.push_back(part("t", p, off));
      const FetchMetadata before = h.next_metadata();
      FetchRequest r = build(h, parts);
      RC_ASSERT(h.session_size() == wanted.size());
      for (const auto& [p, off] : wanted) {
        const FetchPartitionData* d = h.session_partition({"t", PartitionId(p)});
        RC_ASSERT(d != nullptr);
        RC_ASSERT(d->fetch_offset == Offset(off));
      }
      if (before.is_full()) RC_ASSERT(r.partitions.size() == wanted.size());
      for (const TopicPartition& tp : r.forgotten) RC_ASSERT(wanted.count(tp.partition.value) == 0);
      // The broker answers a full fetch fully, an incremental one with no news.
      h.handle_response(answer(77, before.is_full() ? tps_of(parts) : std::vector<TopicPartition>{}));
    }
  });
}

}  // namespace
}  // namespace ksim
