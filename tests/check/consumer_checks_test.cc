// consumer-lost, consumer-duplicate, poll-skip and nonmonotonic-poll on
// hand-written runs: each anomaly alone, and the legal look-alikes that must
// not be reported (a rebalance re-reading, a group that started at the end).
#include <catch2/catch.hpp>

#include "tests/check/clean_run.h"

namespace ksim::check {
namespace {

using test::all_zero_but;
using test::CleanRun;
using test::counts;
using test::run_one;

TEST_CASE("committing past a record nobody processed loses it for the group", "[check][consumer-lost]") {
  CleanRun run;
  auto& t = run.t;
  // c1 polls 0-4 but processes only 0-2 before auto-commit commits 5; it crashes.
  t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
  for (int i = 0; i < 3; ++i) t.processed("c1", "g1", "orders-0", i, run.records[static_cast<size_t>(i)]);
  t.commit("c1", "g1", 1, "orders-0", 5);
  t.crash("c1");
  // c2 takes over from the committed offset.
  t.consume("c2", "g1", 2, "orders-0", run.range(5, 10));
  const History h = t.history();
  const CheckResult lost = run_one(h, "consumer-lost");
  REQUIRE(lost.count == 2);
  CHECK(lost.examples[0].records == std::vector<RecordId>{run.records[3]});
  CHECK(lost.examples[1].records == std::vector<RecordId>{run.records[4]});
  CHECK(lost.examples[0].offsets == std::vector<Offset>{Offset(3), Offset(10)});
  CHECK(lost.examples[0].explanation.find("group g1 committed orders-0 up to offset 10 (c2 at ") == 0);
  CHECK(lost.examples[0].explanation.find("no member processed p1#3 at offset 3") != std::string::npos);
  CHECK(counts(h) == all_zero_but({{"consumer-lost", 2}}));
}

TEST_CASE("only successful commits count, and only for the group that made them", "[check][consumer-lost]") {
  CleanRun run;
  auto& t = run.t;
  t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
  t.commit("c1", "g1", 1, "orders-0", 5, "ILLEGAL_GENERATION");  // rejected: promises nothing
  t.consume("c2", "g2", 1, "orders-0", run.range(0, 10));        // another group's processing
  CHECK(run_one(t.history(), "consumer-lost").count == 0);
  t.commit("c1", "g1", 1, "orders-0", 5);
  CHECK(run_one(t.history(), "consumer-lost").count == 5);
}

TEST_CASE("a group that joined at the log end (auto.offset.reset=latest) has lost nothing before it",
          "[check][consumer-lost]") {
  CleanRun run;
  run.t.consume("c1", "g1", 1, "orders-0", run.range(6, 10));
  CHECK(counts(run.t.history()) == all_zero_but({}));
}

TEST_CASE("a record processed twice by one group is a consumer duplicate", "[check][consumer-duplicate]") {
  CleanRun run;
  auto& t = run.t;
  // c1 processes 0-4 and crashes before committing; c2 starts again from 0.
  t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
  for (int i = 0; i < 5; ++i) t.processed("c1", "g1", "orders-0", i, run.records[static_cast<size_t>(i)]);
  t.crash("c1");
  t.consume("c2", "g1", 2, "orders-0", run.range(0, 10));
  const History h = t.history();
  const CheckResult dup = run_one(h, "consumer-duplicate");
  CHECK(dup.count == 5);
  REQUIRE(!dup.examples.empty());
  CHECK(dup.examples[0].offsets == std::vector<Offset>{Offset(0), Offset(0)});
  CHECK(dup.examples[0].explanation.find("group g1 processed p1#0 2 times: c1 at offset 0 (") == 0);
  CHECK(counts(h) == all_zero_but({{"consumer-duplicate", 5}}));
}

TEST_CASE("two groups each processing a record once is no duplicate", "[check][consumer-duplicate]") {
  CleanRun run;
  run.t.consume("c1", "g1", 1, "orders-0", run.range(0, 10));
  run.t.consume("c2", "g2", 1, "orders-0", run.range(0, 10));
  CHECK(counts(run.t.history()) == all_zero_but({}));
}

TEST_CASE("a record nobody sent, processed twice by one group and once by another, is one consumer duplicate",
          "[check][consumer-duplicate][consumer-lost]") {
  CleanRun run(2);
  auto& t = run.t;
  // A broker bug put a record nobody sent at offset 2 of the committed log.
  const RecordId stranger = t.stranger();
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 2, {stranger});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.hw(b, "orders-0", 3);
  const std::vector<std::pair<int64_t, RecordId>> log = {{0, run.records[0]}, {1, run.records[1]}, {2, stranger}};
  t.consume("c1", "g1", 1, "orders-0", log);
  t.processed("c1", "g1", "orders-0", 2, stranger);
  t.consume("c2", "g2", 1, "orders-0", log);
  const History h = t.history();
  const CheckResult dup = run_one(h, "consumer-duplicate");
  REQUIRE(dup.count == 1);
  CHECK(dup.examples[0].records == std::vector<RecordId>{stranger});
  CHECK(dup.examples[0].explanation.find("group g1 processed p2#999999 2 times") == 0);
  CHECK(run_one(h, "consumer-lost").count == 0);  // both groups processed it before committing past it
}

TEST_CASE("polls 0-4 then 7-9 skip offsets 5 and 6 of the log", "[check][poll-skip]") {
  CleanRun run;
  run.t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
  run.t.poll("c1", "g1", 1, "orders-0", run.range(7, 10));
  const History h = run.t.history();
  const CheckResult skip = run_one(h, "poll-skip");
  REQUIRE(skip.count == 1);
  CHECK(skip.examples[0].offsets == std::vector<Offset>{Offset(4), Offset(7)});
  CHECK(skip.examples[0].records ==
        std::vector<RecordId>{run.records[4], run.records[7], run.records[5], run.records[6]});
  CHECK(skip.examples[0].explanation.find("c1 (generation 1) polled orders-0 up to offset 4 at ") == 0);
  CHECK(skip.examples[0].explanation.find("skipping 2 records of the log: 5 (p1#5), 6 (p1#6)") != std::string::npos);
  CHECK(counts(h) == all_zero_but({{"poll-skip", 1}}));
}

TEST_CASE("a skip inside one poll is a poll-skip too", "[check][poll-skip]") {
  CleanRun run;
  run.t.poll("c1", "g1", 1, "orders-0", {{0, run.records[0]}, {1, run.records[1]}, {3, run.records[3]}});
  const CheckResult skip = run_one(run.t.history(), "poll-skip");
  REQUIRE(skip.count == 1);
  CHECK(skip.examples[0].explanation.find("got offset 1 then 3 of orders-0 in one poll") != std::string::npos);
}

TEST_CASE("jumping over offsets that hold no record is no skip", "[check][poll-skip]") {
  // Offsets 2 and 3 hold transaction markers, say: the log has no entry there.
  CleanRun run(0);
  auto& t = run.t;
  std::vector<RecordId> r;
  for (int i = 0; i < 4; ++i) r.push_back(t.send("p1", "orders-0"));
  for (auto b : {"broker-1", "broker-2", "broker-3"}) {
    t.append(b, "orders-0", 0, {r[0], r[1]});
    t.append(b, "orders-0", 4, {r[2], r[3]});
    t.hw(b, "orders-0", 6);
  }
  t.poll("c1", "g1", 1, "orders-0", {{0, r[0]}, {1, r[1]}});
  t.poll("c1", "g1", 1, "orders-0", {{4, r[2]}, {5, r[3]}});
  CHECK(run_one(t.history(), "poll-skip").count == 0);
}

TEST_CASE("a skip across a rebalance is not the consumer's to report", "[check][poll-skip]") {
  CleanRun run;
  run.t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
  run.t.poll("c1", "g1", 2, "orders-0", run.range(7, 10));
  CHECK(run_one(run.t.history(), "poll-skip").count == 0);
}

TEST_CASE("polls 0-4 then 3-6 in one generation go backwards", "[check][nonmonotonic-poll]") {
  CleanRun run;
  run.t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
  run.t.poll("c1", "g1", 1, "orders-0", run.range(3, 7));
  const History h = run.t.history();
  const CheckResult nm = run_one(h, "nonmonotonic-poll");
  REQUIRE(nm.count == 1);
  CHECK(nm.examples[0].offsets == std::vector<Offset>{Offset(4), Offset(3)});
  CHECK(nm.examples[0].explanation.find("then its next poll at ") != std::string::npos);
  CHECK(nm.examples[0].explanation.find("started at offset 3: it went backwards") != std::string::npos);
  CHECK(counts(h) == all_zero_but({{"nonmonotonic-poll", 1}}));
}

TEST_CASE("re-reading after a rebalance, a reassignment or a restart is legal", "[check][nonmonotonic-poll]") {
  CleanRun run;
  auto& t = run.t;
  SECTION("a new generation") {
    t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
    t.poll("c1", "g1", 2, "orders-0", run.range(3, 7));
  }
  SECTION("the partition was revoked and assigned again (cooperative rebalancing)") {
    t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
    t.assignment("c1", "g1", 1, {}, {"orders-0"});
    t.assignment("c1", "g1", 1, {"orders-0"});
    t.poll("c1", "g1", 1, "orders-0", run.range(3, 7));
  }
  SECTION("the consumer restarted (a static member keeps its generation)") {
    t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
    t.crash("c1");
    t.restart("c1");
    t.poll("c1", "g1", 1, "orders-0", run.range(3, 7));
  }
  SECTION("another consumer read the same offsets") {
    t.poll("c1", "g1", 1, "orders-0", run.range(0, 5));
    t.poll("c2", "g1", 1, "orders-0", run.range(3, 7));
  }
  CHECK(counts(t.history()) == all_zero_but({}));
}

TEST_CASE("offsets out of order inside one poll are nonmonotonic", "[check][nonmonotonic-poll]") {
  CleanRun run;
  run.t.poll("c1", "g1", 1, "orders-0", {{0, run.records[0]}, {1, run.records[1]}, {1, run.records[1]}});
  CHECK(run_one(run.t.history(), "nonmonotonic-poll").count == 1);
}

}  // namespace
}  // namespace ksim::check
