// lost-write, duplicate, unexpected, nonmonotonic-send and reorder on
// hand-written runs: each anomaly alone, then the same run without it.
#include <catch2/catch.hpp>

#include "tests/check/clean_run.h"

namespace ksim::check {
namespace {

using test::all_zero_but;
using test::CleanRun;
using test::counts;
using test::run_one;

TEST_CASE("a clean run has no anomaly of any kind", "[check][clean]") {
  CleanRun run;
  run.t.consume("c1", "g1", 1, "orders-0", run.range(0, 5));
  run.t.consume("c1", "g1", 1, "orders-0", run.range(5, 10));
  const History h = run.t.history();
  CHECK(counts(h) == all_zero_but({}));
  CHECK(h.warnings.empty());
}

TEST_CASE("acks=1: an acked write the new leader never had is lost when the old leader truncates",
          "[check][lost-write]") {
  CleanRun run(3);
  auto& t = run.t;
  // broker-1 leads alone (the followers are cut off) and acks r at offset 3.
  const RecordId r = t.send("p1", "orders-0");
  t.append("broker-1", "orders-0", 3, {r});
  t.ack(r, 3);
  // broker-2 is elected, takes a new write at offset 3; broker-1 rejoins and truncates.
  t.partition_state("orders-0", 2, {2, 3}, 2);
  const RecordId s = t.send("p2", "orders-0");
  for (auto b : {"broker-2", "broker-3"}) t.append(b, "orders-0", 3, {s});
  for (auto b : {"broker-2", "broker-3"}) t.hw(b, "orders-0", 4);
  t.ack(s, 3);
  t.truncate("broker-1", "orders-0", 3, "diverging_epoch");
  t.append("broker-1", "orders-0", 3, {s});
  t.hw("broker-1", "orders-0", 4);
  const History h = t.history();

  const CheckResult lost = run_one(h, "lost-write");
  REQUIRE(lost.count == 1);
  const auto& ex = lost.examples[0];
  CHECK(ex.partition == "orders-0");
  CHECK(ex.records == std::vector<RecordId>{r});
  CHECK(ex.offsets == std::vector<Offset>{Offset(3)});
  CHECK(ex.explanation.find("p1#3 acked at offset 3") == 0);
  CHECK(ex.explanation.find("no replica's final log holds it") != std::string::npos);
  CHECK(ex.kind == "gone");  // the signature explore's shrinker keeps
  // The producer p1 saw offset 3 for r while p2 saw offset 3 for s: different
  // sessions, so no nonmonotonic-send; no committed observation disagreed.
  CHECK(counts(h) == all_zero_but({{"lost-write", 1}}));
}

TEST_CASE("acks=0: a record acked without an offset and never appended is a lost write", "[check][lost-write]") {
  CleanRun run(2);
  const RecordId r = run.t.send("p1", "orders-0");
  run.t.ack(r, -1);
  const CheckResult lost = run_one(run.t.history(), "lost-write");
  REQUIRE(lost.count == 1);
  CHECK(lost.examples[0].offsets.empty());
  CHECK(lost.examples[0].explanation.find("acked without an offset (acks=0)") != std::string::npos);
}

TEST_CASE("failed and unanswered sends are indeterminate: missing, they are not lost", "[check][lost-write]") {
  CleanRun run(2);
  const RecordId failed = run.t.send("p1", "orders-0");
  run.t.fail(failed, "REQUEST_TIMED_OUT");
  run.t.send("p1", "orders-0");  // never answered
  CHECK(counts(run.t.history()) == all_zero_but({}));
}

TEST_CASE("an acked record above the leader's HW at the end is not committed, and the explanation says so",
          "[check][lost-write]") {
  CleanRun run(2);
  const RecordId r = run.t.send("p1", "orders-0");
  run.t.append("broker-1", "orders-0", 2, {r});
  run.t.ack(r, 2);  // acks=1: the leader answered before the followers fetched
  const CheckResult lost = run_one(run.t.history(), "lost-write");
  REQUIRE(lost.count == 1);
  CHECK(lost.examples[0].explanation.find("broker-1 holds it above its HW 2") != std::string::npos);
  CHECK(lost.examples[0].kind == "uncommitted");  // another failure than a truncated write ("gone")
}

TEST_CASE("a retried batch without idempotence lands twice: one duplicate", "[check][duplicate]") {
  CleanRun run(3);
  auto& t = run.t;
  // r is appended at 3, the response is lost, s goes to 4, the retry of r to 5.
  const RecordId r = t.send("p1", "orders-0");
  const RecordId s = t.send("p1", "orders-0");
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 3, {r});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 4, {s});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 5, {r});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.hw(b, "orders-0", 6);
  t.ack(s, 4);
  t.ack(r, 5);
  const History h = t.history();
  const CheckResult dup = run_one(h, "duplicate");
  REQUIRE(dup.count == 1);
  CHECK(dup.examples[0].records == std::vector<RecordId>{r});
  CHECK(dup.examples[0].offsets == std::vector<Offset>{Offset(3), Offset(5)});
  CHECK(dup.examples[0].explanation == "p1#3 is in the committed log 2 times: orders-0 offsets 3, 5");
  // r's first copy is still before s: the order the producer sent them in holds.
  CHECK(counts(h) == all_zero_but({{"duplicate", 1}, {"nonmonotonic-send", 1}}));
}

TEST_CASE("a record copied into a second partition is a duplicate too", "[check][duplicate]") {
  CleanRun run(2);
  auto& t = run.t;
  for (auto b : {"broker-1", "broker-2"}) t.append(b, "orders-1", 0, {run.records[1]});
  for (auto b : {"broker-1", "broker-2"}) t.hw(b, "orders-1", 1);
  t.partition_state("orders-1", 1, {1, 2});
  const CheckResult dup = run_one(t.history(), "duplicate");
  REQUIRE(dup.count == 1);
  CHECK(dup.examples[0].explanation == "p1#1 is in the committed log 2 times: orders-0 offsets 1, orders-1 0");
}

TEST_CASE("a record that nobody sent is unexpected, wherever it was first seen", "[check][unexpected]") {
  SECTION("appended by a broker, even if later truncated") {
    CleanRun run(2);
    run.t.append("broker-2", "orders-0", 2, {run.t.stranger()});
    run.t.truncate("broker-2", "orders-0", 2);
    const CheckResult u = run_one(run.t.history(), "unexpected");
    REQUIRE(u.count == 1);
    CHECK(u.examples[0].explanation.find("was never sent, yet broker-2 appended it at orders-0 offset 2") !=
          std::string::npos);
  }
  SECTION("polled by a consumer, counted once however often it is seen") {
    CleanRun run(2);
    for (int i = 0; i < 3; ++i) run.t.poll("c1", "g1", i, "orders-0", {{0, run.t.stranger()}});
    const History h = run.t.history();
    CHECK(run_one(h, "unexpected").count == 1);
    CHECK(run_one(h, "inconsistent-offsets").count == 1);  // the replicas committed another record at 0
  }
}

TEST_CASE("the group coordinator's own records in __consumer_offsets are not judged as client records",
          "[check][unexpected]") {
  CleanRun run(2);
  // A coordinator's offset-commit record: written by the broker, sent by no client.
  run.t.append("broker-1", "__consumer_offsets-7", 0, {run.t.stranger()});
  run.t.hw("broker-1", "__consumer_offsets-7", 1);
  const History h = run.t.history();
  CHECK(run_one(h, "unexpected").count == 0);
  CHECK_FALSE(h.find_partition("__consumer_offsets", PartitionId(7)).has_value());
  // The same record in a user topic is unexpected, so the check is not blind;
  // a user topic that merely starts with "__" is not internal (Topic.isInternal).
  run.t.append("broker-1", "__orders-0", 0, {make_record_id(run.t.node("p2"), 999998)});
  CHECK(run_one(run.t.history(), "unexpected").count == 1);
  run.t.append("broker-1", "orders-0", 2, {run.t.stranger()});
  CHECK(run_one(run.t.history(), "unexpected").count == 2);
}

TEST_CASE("a later send acked at a lower offset is a nonmonotonic send, within one session only",
          "[check][nonmonotonic-send]") {
  CleanRun run(0);
  auto& t = run.t;
  const RecordId a = t.send("p1", "orders-0");
  const RecordId b = t.send("p1", "orders-0");
  for (auto br : {"broker-1", "broker-2", "broker-3"}) t.append(br, "orders-0", 0, {b, a});
  for (auto br : {"broker-1", "broker-2", "broker-3"}) t.hw(br, "orders-0", 2);
  t.ack(a, 1);
  t.ack(b, 0);
  const History h = t.history();
  const CheckResult nm = run_one(h, "nonmonotonic-send");
  REQUIRE(nm.count == 1);
  CHECK(nm.examples[0].offsets == std::vector<Offset>{Offset(1), Offset(0)});
  CHECK(nm.examples[0].explanation.find("p1 (session 1) sent p1#0 before p1#1, but orders-0 acked them at offsets 1 and 0") == 0);
  CHECK(counts(h) == all_zero_but({{"nonmonotonic-send", 1}, {"reorder", 1}}));

  SECTION("a restarted producer is a new session: no order is promised across it") {
    CleanRun other(0);
    auto& u = other.t;
    const RecordId x = u.send("p1", "orders-0", /*session=*/1);
    const RecordId y = u.send("p1", "orders-0", /*session=*/2);
    for (auto br : {"broker-1", "broker-2", "broker-3"}) u.append(br, "orders-0", 0, {y, x});
    for (auto br : {"broker-1", "broker-2", "broker-3"}) u.hw(br, "orders-0", 2);
    u.ack(x, 1);
    u.ack(y, 0);
    CHECK(counts(u.history()) == all_zero_but({}));
  }
}

TEST_CASE("max.in.flight > 1 without idempotence: a retried batch landing after a later one is a reorder",
          "[check][reorder]") {
  CleanRun run(2);
  auto& t = run.t;
  // Batches r1 (offsets 2-3 intended) and r2 are in flight; r1 fails with a
  // retriable error, r2 lands at 2, the retry of r1 lands at 3.
  const RecordId r1 = t.send("p1", "orders-0");
  const RecordId r2 = t.send("p1", "orders-0");
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 2, {r2});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 3, {r1});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.hw(b, "orders-0", 4);
  t.ack(r2, 2);
  t.ack(r1, 3);
  const History h = t.history();
  const CheckResult re = run_one(h, "reorder");
  REQUIRE(re.count == 1);
  CHECK(re.examples[0].records == std::vector<RecordId>{r1, r2});
  CHECK(re.examples[0].offsets == std::vector<Offset>{Offset(3), Offset(2)});
  CHECK(re.examples[0].explanation ==
        "p1 (session 1) sent p1#2 before p1#3, but the log of orders-0 holds p1#3 at offset 2, before p1#2 at offset 3");
  // The acks went backwards too, as the producer saw them.
  CHECK(counts(h) == all_zero_but({{"reorder", 1}, {"nonmonotonic-send", 1}}));
}

TEST_CASE("sends to different partitions are ordered independently", "[check][reorder]") {
  CleanRun run(0);
  auto& t = run.t;
  const RecordId a = t.send("p1", "orders-1");
  const RecordId b = t.send("p1", "orders-0");
  t.partition_state("orders-1", 1, {1});
  t.append("broker-1", "orders-0", 0, {b});
  t.append("broker-1", "orders-1", 5, {a});
  for (auto tp : {"orders-0", "orders-1"}) t.partition_state(tp, 1, {1});
  t.hw("broker-1", "orders-0", 1);
  t.hw("broker-1", "orders-1", 6);
  t.ack(a, 5, "orders-1");
  t.ack(b, 0, "orders-0");
  CHECK(counts(t.history()) == all_zero_but({}));
}

}  // namespace
}  // namespace ksim::check
