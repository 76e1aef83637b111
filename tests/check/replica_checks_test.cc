// inconsistent-offsets and divergent-replicas on hand-written runs, including
// KIP-101's second scenario, and the uncommitted tails that must not count.
#include <catch2/catch.hpp>

#include "tests/check/clean_run.h"

namespace ksim::check {
namespace {

using test::all_zero_but;
using test::CleanRun;
using test::counts;
using test::run_one;
using test::TraceBuilder;

TEST_CASE("replicas disagreeing at offset 2 below their HW are inconsistent and divergent",
          "[check][inconsistent-offsets][divergent-replicas]") {
  CleanRun run(2);
  auto& t = run.t;
  const RecordId x = t.send("p1", "orders-0");
  const RecordId y = t.send("p2", "orders-0");
  t.at_ms(100);
  for (auto b : {"broker-1", "broker-2"}) t.append(b, "orders-0", 2, {x});
  for (auto b : {"broker-1", "broker-2"}) t.hw(b, "orders-0", 3);
  t.ack(x, 2);
  t.at_ms(200);
  t.append("broker-3", "orders-0", 2, {y});  // a bug: broker-3 took y at offset 2
  t.hw("broker-3", "orders-0", 3);
  const History h = t.history();

  const CheckResult inc = run_one(h, "inconsistent-offsets");
  REQUIRE(inc.count == 1);
  CHECK(inc.examples[0].offsets == std::vector<Offset>{Offset(2)});
  CHECK(inc.examples[0].records == std::vector<RecordId>{x, y});
  CHECK(inc.examples[0].times == std::vector<SimTime>{SimTime::from_ms(100), SimTime::from_ms(200)});
  CHECK(inc.examples[0].explanation ==
        "2 different records at orders-0 offset 2: broker-1 committed p1#2 at 100.000 ms; "
        "broker-3 committed p2#0 at 200.000 ms");

  const CheckResult div = run_one(h, "divergent-replicas");
  REQUIRE(div.count == 1);
  CHECK(div.examples[0].explanation ==
        "broker-3 (HW 3) holds p2#0 at orders-0 offset 2 below its HW, where broker-1 (leader) holds p1#2");
  CHECK(counts(h) == all_zero_but({{"inconsistent-offsets", 1}, {"divergent-replicas", 1}}));
}

TEST_CASE("KIP-101 scenario 2: divergence healed later is still inconsistent, no longer divergent",
          "[check][inconsistent-offsets][divergent-replicas]") {
  // A (broker-1) leads and commits m2 at offset 1; both brokers lose power; B
  // (broker-2) never flushed m2, comes back first, leads and takes m3 at 1; A
  // returns still holding m2 at 1 with HW 2, so the same offset holds
  // different committed records. Later A truncates (KIP-101's fix) and copies m3.
  TraceBuilder t;
  const RecordId m1 = t.send("p1", "orders-0"), m2 = t.send("p1", "orders-0");
  t.partition_state("orders-0", 1, {1, 2});
  for (auto b : {"broker-1", "broker-2"}) t.append(b, "orders-0", 0, {m1, m2});
  for (auto b : {"broker-1", "broker-2"}) t.hw(b, "orders-0", 2);
  t.ack(m1, 0);
  t.ack(m2, 1);
  for (auto b : {"broker-1", "broker-2"}) t.crash(b, /*power_loss=*/true);
  t.restart("broker-2");
  t.truncate("broker-2", "orders-0", 1, "recovery");
  t.partition_state("orders-0", 2, {2}, 2);
  const RecordId m3 = t.send("p1", "orders-0");
  t.append("broker-2", "orders-0", 1, {m3});
  t.hw("broker-2", "orders-0", 2);
  t.ack(m3, 1);
  t.restart("broker-1");

  const History diverged = t.history();
  CHECK(run_one(diverged, "divergent-replicas").count == 1);
  CHECK(run_one(diverged, "inconsistent-offsets").count == 1);
  CHECK(run_one(diverged, "lost-write").count == 1);  // m2 was acked

  t.truncate("broker-1", "orders-0", 1, "leader_epoch");
  t.append("broker-1", "orders-0", 1, {m3});
  const History healed = t.history();
  // The new leader reused offset 1, which p1 had seen acked for m2: the acks
  // went backwards as well.
  CHECK(counts(healed) == all_zero_but({{"inconsistent-offsets", 1}, {"lost-write", 1}, {"nonmonotonic-send", 1}}));
}

TEST_CASE("a follower's uncommitted tail may differ from the leader's", "[check][divergent-replicas]") {
  CleanRun run(2);
  run.t.append("broker-3", "orders-0", 2, {run.t.stranger()});  // above its HW 2: it will be truncated
  const History h = run.t.history();
  CHECK(run_one(h, "divergent-replicas").count == 0);
  CHECK(run_one(h, "inconsistent-offsets").count == 0);
  CHECK(run_one(h, "unexpected").count == 1);
}

TEST_CASE("a lagging follower is a prefix of the leader, not a divergence", "[check][divergent-replicas]") {
  CleanRun run(3);
  run.t.truncate("broker-3", "orders-0", 1, "recovery");
  CHECK(counts(run.t.history()) == all_zero_but({}));
}

TEST_CASE("two consumers reading different records at one offset are inconsistent", "[check][inconsistent-offsets]") {
  CleanRun run(3);
  run.t.poll("c1", "g1", 1, "orders-0", run.range(0, 3));
  run.t.poll("c2", "g2", 1, "orders-0", {{0, run.records[0]}, {1, run.records[2]}});
  const CheckResult inc = run_one(run.t.history(), "inconsistent-offsets");
  REQUIRE(inc.count == 1);
  CHECK(inc.examples[0].offsets == std::vector<Offset>{Offset(1)});
  CHECK(inc.examples[0].explanation.find("broker-1 committed p1#1 at") != std::string::npos);
  CHECK(inc.examples[0].explanation.find("c2 polled p1#2 at") != std::string::npos);
}

TEST_CASE("an acknowledgement naming the wrong offset is inconsistent", "[check][inconsistent-offsets]") {
  CleanRun run(2);
  auto& t = run.t;
  const RecordId r = t.send("p1", "orders-0");
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 2, {r});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.hw(b, "orders-0", 3);
  t.ack(r, 7);
  const CheckResult inc = run_one(t.history(), "inconsistent-offsets");
  REQUIRE(inc.count == 1);
  CHECK(inc.examples[0].offsets == std::vector<Offset>{Offset(7), Offset(2)});
  CHECK(inc.examples[0].explanation.find("p1#2 was acked at offset 7 of orders-0 (") == 0);
  CHECK(inc.examples[0].explanation.find("but the committed log holds it at offset 2") != std::string::npos);
}

TEST_CASE("a conflict at an offset far from the rest is still found", "[check][inconsistent-offsets]") {
  // The far offset makes the partition too sparse for a per-offset table: the
  // checker sorts all of its observations instead, and must agree.
  CleanRun run(3);
  run.t.poll("c1", "g1", 1, "orders-0", {{1'000'000'000, run.records[0]}});
  run.t.poll("c2", "g2", 1, "orders-0", {{1'000'000'000, run.records[1]}});
  run.t.poll("c2", "g2", 1, "orders-0", {{1, run.records[2]}});
  const CheckResult inc = run_one(run.t.history(), "inconsistent-offsets");
  REQUIRE(inc.count == 2);
  CHECK(inc.examples[0].offsets == std::vector<Offset>{Offset(1)});
  CHECK(inc.examples[1].offsets == std::vector<Offset>{Offset(1'000'000'000)});
  CHECK(inc.examples[1].explanation.find("2 different records at orders-0 offset 1000000000: c1 polled p1#0") == 0);
}

TEST_CASE("an acknowledgement naming the offset of a record's second copy is consistent",
          "[check][inconsistent-offsets][duplicate]") {
  CleanRun run(2);
  auto& t = run.t;
  const RecordId r = t.send("p1", "orders-0");
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 2, {r, r});
  for (auto b : {"broker-1", "broker-2", "broker-3"}) t.hw(b, "orders-0", 4);
  t.ack(r, 3);
  CHECK(counts(t.history()) == all_zero_but({{"duplicate", 1}}));
  t.ack(r, 5);  // a second completion is ignored (and warned about)
  CHECK(counts(t.history()) == all_zero_but({{"duplicate", 1}}));
}

}  // namespace
}  // namespace ksim::check
