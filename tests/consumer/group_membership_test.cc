// The consumer's side of the classic group protocol, against FakeKafka's
// minimal coordinator: joins, graceful leaves, crashes (noticed only after
// session.timeout.ms), max.poll.interval.ms expiry, eager versus cooperative
// rebalancing, and a zombie after a stop-the-world pause.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "core/group/assignor/assignor_registry.h"
#include "tests/consumer/group_fixture.h"

namespace ksim::test {
namespace {

ConsumerConfig with_strategy(const std::string& name) {
  ConsumerConfig c = group_config();
  c.assignors = {group::find_assignor(name).assignor};
  return c;
}

}  // namespace

TEST_CASE("a second consumer joining triggers a rebalance: range gives it half of each topic", "[consumer][group]") {
  GroupFixture f({{"t0", 3}, {"t1", 3}});
  f.add("c1", with_strategy("range"), subscribe({"t0", "t1"}));
  f.add("c2", with_strategy("range"), subscribe({"t0", "t1"}, 20000));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 1; }));
  CHECK(f.consumer("c1")->assignment().size() == 6);
  const GenerationId first = f.kafka().generation();
  f.run_for(seconds(20));
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  CHECK(f.kafka().generation() == GenerationId(first.value + 1));
  // The seed notes' example: two topics of three partitions, two consumers:
  // Range gives the first member (by member id) 4 partitions and the second 2.
  const auto a = f.stable_assignment();
  std::vector<size_t> sizes{a.at("c1").size(), a.at("c2").size()};
  std::sort(sizes.begin(), sizes.end());
  CHECK(sizes == std::vector<size_t>{2, 4});
  // EAGER: c1 revoked everything before rejoining, then got its share back.
  const auto changes = f.events_of<trace::AssignmentChanged>("c1");
  REQUIRE(changes.size() >= 3);
  CHECK(changes[changes.size() - 2].second.revoked.size() == 6);
}

TEST_CASE("roundrobin deals the same group 3 and 3", "[consumer][group]") {
  GroupFixture f({{"t0", 3}, {"t1", 3}});
  f.add("c1", with_strategy("roundrobin"), subscribe({"t0", "t1"}));
  f.add("c2", with_strategy("roundrobin"), subscribe({"t0", "t1"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  const auto a = f.stable_assignment();
  CHECK(a.at("c1").size() == 3);
  CHECK(a.at("c2").size() == 3);
}

TEST_CASE("a consumer that closes leaves at once: the others take over its partitions without waiting for the session timeout",
          "[consumer][group]") {
  GroupFixture f({{"orders", 4}});
  f.add("c1", group_config(), subscribe({"orders"}));
  f.add("c2", group_config(), subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  const SimTime closed_at = f.sim().now();
  f.close("c2");
  REQUIRE(f.await([&] { return f.settled() && f.consumer("c1")->assignment().size() == 4; }));
  CHECK(f.sim().now() - closed_at < seconds(5));
}

TEST_CASE("a crashed consumer keeps its partitions until session.timeout.ms expires, not before", "[consumer][group]") {
  GroupFixture f({{"orders", 4}});
  f.add("c1", group_config(), subscribe({"orders"}));
  f.add("c2", group_config(), subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  const auto before = f.consumer("c1")->assignment();
  REQUIRE(before.size() == 2);
  f.sim().crash(f.node("c2"));
  f.run_for(seconds(40));  // < session.timeout.ms = 45000
  CHECK(f.consumer("c1")->assignment() == before);
  CHECK(f.kafka().members() == 2);
  REQUIRE(f.await([&] { return f.settled() && f.consumer("c1")->assignment().size() == 4; }, seconds(20)));
}

TEST_CASE("a consumer that does not poll within max.poll.interval.ms leaves the group, and its late commit fails",
          "[consumer][group]") {
  GroupFixture f({{"orders", 2}});
  ConsumerConfig slow = group_config();
  slow.max_poll_interval_ms = 10000;
  ConsumerWorkload w = subscribe({"orders"});
  w.processing.fixed = millis(4000);  // 5 records x 4 s > 10 s
  w.commit = CommitPolicy::after_poll;
  f.add("slow", slow, w);
  ConsumerConfig other = group_config();
  other.max_poll_interval_ms = 10000;
  f.add("fast", other, subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  f.append(f.tp("orders", 0), 5);
  f.append(f.tp("orders", 1), 5);
  // The slow member leaves when its poll timer expires; the fast one takes all.
  REQUIRE(f.await([&] { return f.kafka().members() == 1 && f.consumer("fast")->assignment().size() == 2; }, seconds(30)));
  CHECK(f.kafka().state() == "Stable");
  // When the slow member finally commits, it is no longer in the group.
  REQUIRE(f.await([&] { return !f.commit_errors("slow").empty(); }, seconds(30)));
  CHECK(f.commit_errors("slow").front() == "COMMIT_FAILED");
  // Its next poll rejoins.
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }, seconds(60)));
}

TEST_CASE("cooperative-sticky: a joining member costs two rebalances and the others never give up a partition they keep",
          "[consumer][group][cooperative]") {
  GroupFixture f({{"orders", 6}});
  const ConsumerConfig coop = with_strategy("cooperative-sticky");
  REQUIRE(coop.rebalance_protocol() == group::RebalanceProtocol::kCooperative);
  f.add("c1", coop, subscribe({"orders"}));
  f.add("c2", coop, subscribe({"orders"}));
  f.add("c3", coop, subscribe({"orders"}, 30000));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  const auto before = f.stable_assignment();
  const GenerationId gen_before = f.kafka().generation();
  const size_t events_before = f.sim().trace().events().size();
  f.run_for(seconds(30));
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 3; }));
  // Two rounds: the first revokes what moves, the second hands it over.
  CHECK(f.kafka().generation() == GenerationId(gen_before.value + 2));
  const auto after = f.stable_assignment();
  for (const auto& c : {"c1", "c2"}) {
    CHECK(after.at(c).size() == 2);
    // Every partition c keeps was never revoked from it during the rebalance.
    std::set<TopicPartition> revoked;
    for (const auto& [e, x] : f.events_of<trace::AssignmentChanged>(c)) {
      if (f.sim().trace().events().size() && e.seq < events_before) continue;
      for (const auto& s : x.revoked) revoked.insert(TopicPartition{"orders", PartitionId(std::stoi(s.substr(7)))});
    }
    for (const auto& tp : after.at(c)) CHECK(revoked.count(tp) == 0);
    for (const auto& tp : after.at(c))
      CHECK(std::find(before.at(c).begin(), before.at(c).end(), tp) != before.at(c).end());
  }
  CHECK(after.at("c3").size() == 2);
}

TEST_CASE("eager rebalancing revokes every partition of every member", "[consumer][group]") {
  GroupFixture f({{"orders", 6}});
  f.add("c1", with_strategy("sticky"), subscribe({"orders"}));
  f.add("c2", with_strategy("sticky"), subscribe({"orders"}, 30000));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 1; }));
  f.run_for(seconds(30));
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  bool revoked_all = false;
  for (const auto& [e, x] : f.events_of<trace::AssignmentChanged>("c1")) revoked_all |= x.revoked.size() == 6;
  CHECK(revoked_all);
  // Sticky still keeps c1's three partitions among its old six.
  CHECK(f.consumer("c1")->assignment().size() == 3);
}

TEST_CASE("the committed offset is the last processed offset + 1", "[consumer][group][commit]") {
  GroupFixture f({{"orders", 1}});
  ConsumerWorkload w = subscribe({"orders"});
  w.commit = CommitPolicy::per_record;
  f.add("c1", group_config(), w);
  f.start();
  REQUIRE(f.await([&] { return f.settled(); }));
  f.append(f.tp("orders", 0), 5);
  REQUIRE(f.await([&] { return f.events_of<trace::OffsetCommitted>("c1").size() == 5; }));
  CHECK(f.kafka().committed(f.tp("orders", 0)) == Offset(5));
  std::vector<int64_t> committed;
  for (const auto& [e, x] : f.events_of<trace::OffsetCommitted>("c1")) committed.push_back(x.offset.value);
  CHECK(committed == std::vector<int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("commit before processing, then a crash: the records in flight are never processed (at most once)",
          "[consumer][group][commit]") {
  GroupFixture f({{"orders", 1}});
  ConsumerWorkload w = subscribe({"orders"});
  w.commit = CommitPolicy::before_processing;
  w.processing.fixed = millis(100);
  f.add("c1", group_config(), w);
  f.add("c2", group_config(), subscribe({"orders"}, 1000000));  // a standby, started later
  f.start();
  REQUIRE(f.await([&] { return f.settled(); }));
  f.append(f.tp("orders", 0), 10);
  REQUIRE(f.await([&] { return f.kafka().committed(f.tp("orders", 0)) == Offset(10); }));
  f.run_for(millis(350));  // ~3 records processed
  f.sim().crash(f.node("c1"));
  const size_t done_by_c1 = f.processed_records("c1").size();
  CHECK(done_by_c1 < 10);
  f.sim().restart(f.node("c1"));
  f.append(f.tp("orders", 0), 1);
  REQUIRE(f.await([&] { return f.processed_records("c1").size() == done_by_c1 + 1; }));
  // The restarted consumer starts at the committed offset 10: 10 - done_by_c1 records are lost.
  const auto all = f.events_of<trace::RecordProcessed>("c1");
  CHECK(all.back().second.offset == Offset(10));
}

TEST_CASE("commit after processing, then a crash: the uncommitted records are processed again (at least once)",
          "[consumer][group][commit]") {
  GroupFixture f({{"orders", 1}});
  ConsumerWorkload w = subscribe({"orders"});
  w.commit = CommitPolicy::after_poll;
  w.processing.fixed = millis(100);
  ConsumerConfig c = group_config();
  c.max_poll_records = 5;
  f.add("c1", c, w);
  f.start();
  REQUIRE(f.await([&] { return f.settled(); }));
  f.append(f.tp("orders", 0), 10);
  REQUIRE(f.await([&] { return f.kafka().committed(f.tp("orders", 0)) == Offset(5); }));
  f.run_for(millis(250));  // two or three of the second five processed, not committed
  f.sim().crash(f.node("c1"));
  const auto first_life = f.processed_records("c1");
  REQUIRE(first_life.size() > 5);
  REQUIRE(first_life.size() < 10);
  f.sim().restart(f.node("c1"));
  REQUIRE(f.await([&] { return f.kafka().committed(f.tp("orders", 0)) == Offset(10); }, seconds(120)));
  const auto all = f.processed_records("c1");
  std::map<RecordId, int> times;
  for (RecordId r : all) ++times[r];
  size_t twice = 0;
  for (const auto& [r, n] : times) twice += n == 2;
  CHECK(twice == first_life.size() - 5);
  CHECK(times.size() == 10);
}

TEST_CASE("a consumer paused longer than session.timeout.ms becomes a zombie: its commit after the pause is rejected",
          "[consumer][group][zombie]") {
  GroupFixture f({{"orders", 2}});
  ConsumerWorkload w = subscribe({"orders"});
  w.commit = CommitPolicy::after_poll;
  w.processing.fixed = millis(100);
  f.add("c1", group_config(), w);
  f.add("c2", group_config(), subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  const auto c1_parts = f.consumer("c1")->assignment();
  REQUIRE(!c1_parts.empty());
  f.append(c1_parts.front(), 3);
  REQUIRE(f.await([&] { return !f.processed_records("c1").empty(); }));
  f.sim().pause(f.node("c1"), seconds(60));
  // Meanwhile the coordinator expires c1 and c2 takes everything.
  REQUIRE(f.await([&] { return f.kafka().members() == 1 && f.kafka().state() == "Stable"; }, seconds(58)));
  REQUIRE(f.await([&] { return !f.sim().is_paused(f.node("c1")); }, seconds(30)));
  REQUIRE(f.await([&] { return !f.commit_errors("c1").empty(); }, seconds(30)));
  const std::string e = f.commit_errors("c1").front();
  CHECK((e == "UNKNOWN_MEMBER_ID" || e == "ILLEGAL_GENERATION" || e == "COMMIT_FAILED"));
  // The zombie rejoins and the group settles with both members again.
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }, seconds(60)));
}

TEST_CASE("auto-commit commits, at the start of a later poll, the positions earlier polls returned", "[consumer][group][commit]") {
  GroupFixture f({{"orders", 1}});
  ConsumerConfig c = group_config();
  c.enable_auto_commit = true;
  c.auto_commit_interval_ms = 5000;
  f.add("c1", c, subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled(); }));
  f.append(f.tp("orders", 0), 7);
  REQUIRE(f.await([&] { return f.processed_records("c1").size() == 7; }));
  const SimTime processed_at = f.sim().now();
  REQUIRE(f.await([&] { return f.kafka().committed(f.tp("orders", 0)) == Offset(7); }, seconds(10)));
  CHECK(f.sim().now() - processed_at <= millis(5200));
  // Commits come auto.commit.interval.ms apart.
  std::vector<SimTime> at;
  for (const auto& [e, x] : f.events_of<trace::OffsetCommitted>("c1")) at.push_back(e.time);
  for (size_t i = 1; i < at.size(); ++i) CHECK(at[i] - at[i - 1] >= millis(4900));
}

TEST_CASE("the group leader sees added partitions at its next metadata.max.age.ms refresh and rejoins so they get an "
          "owner",
          "[consumer][group][metadata]") {
  GroupFixture f({{"orders", 2}});
  ConsumerConfig c = group_config();
  c.metadata_max_age_ms = 5000;
  f.add("c1", c, subscribe({"orders"}));
  f.add("c2", c, subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.stable_assignment().size() == 2; }));
  const GenerationId before = f.kafka().generation();
  REQUIRE(f.kafka().assignment().size() == 2);
  f.run_for(seconds(1));
  f.sim().invoke(f.kafka_node(), [](Node& k) { static_cast<FakeKafka&>(k).add_partitions("orders", 4); });
  // Nothing changes before a refresh; within one metadata.max.age.ms the
  // leader's snapshot differs and the group rebalances once.
  REQUIRE(f.await([&] {
    return f.settled() && f.consumer("c1")->assignment().size() == 2 && f.consumer("c2")->assignment().size() == 2;
  }, seconds(20)));
  CHECK(f.kafka().generation() == GenerationId(before.value + 1));
  f.append(f.tp("orders", 3), 4);
  REQUIRE(f.await([&] {
    return f.consumer("c1")->processed() + f.consumer("c2")->processed() == 4;
  }, seconds(20)));
}

TEST_CASE("with the default metadata.max.age.ms (5 minutes) added partitions stay unread for minutes",
          "[consumer][group][metadata]") {
  GroupFixture f({{"orders", 2}});
  f.add("c1", group_config(), subscribe({"orders"}));
  f.start();
  REQUIRE(f.await([&] { return f.settled() && f.consumer("c1")->assignment().size() == 2; }));
  const GenerationId before = f.kafka().generation();
  f.sim().invoke(f.kafka_node(), [](Node& k) { static_cast<FakeKafka&>(k).add_partitions("orders", 3); });
  f.run_for(seconds(200));
  CHECK(f.consumer("c1")->assignment().size() == 2);
  CHECK(f.kafka().generation() == before);
  REQUIRE(f.await([&] { return f.settled() && f.consumer("c1")->assignment().size() == 3; }, seconds(200)));
  CHECK(f.kafka().generation() == GenerationId(before.value + 1));
}

}  // namespace ksim::test
