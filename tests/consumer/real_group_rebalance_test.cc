// The rebalance stories of issue #5 against the REAL coordinator in a full
// cluster (controller, three brokers, __consumer_offsets replicated), where
// tests/consumer/group_membership_test.cc tells them against FakeKafka:
//   - KIP-62: a member whose processing outlasts max.poll.interval.ms leaves
//     the group from its heartbeat thread (LeaveGroup, reason "consumer poll
//     timeout has expired."), its partitions move, its late commit fails with
//     CommitFailedException (COMMIT_FAILED: the consumer has no generation
//     any more and does not even send it), and its next poll rejoins;
//   - KIP-429: cooperative-sticky takes two rebalances for a joining member
//     and the others keep consuming what they keep; eager revokes everything;
//   - KIP-345: a static member restarting within session.timeout.ms gets its
//     partitions back with no rebalance; a second process with the same
//     group.instance.id fences the first (FENCED_INSTANCE_ID, fatal).
// Assertions read the trace: the coordinator's group events and the
// consumers' assignment_changed / record_processed / offset_committed.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "core/trace/group_events.h"
#include "tests/consumer/real_group.h"

namespace ksim::test {
namespace {

std::set<std::string> as_set(const std::vector<TopicPartition>& tps) {
  std::set<std::string> out;
  for (const auto& tp : tps) out.insert(tp.str());
  return out;
}

// Generations the coordinator completed (group_stable) after trace position `from`.
std::vector<int32_t> stable_generations_after(ConsumerFixture& f, uint64_t from) {
  std::vector<int32_t> out;
  for (const auto& [e, x] : f.all_events<trace::GroupStable>())
    if (e.seq >= from && x.group == "g1") out.push_back(x.generation.value);
  return out;
}

uint64_t trace_position(ConsumerFixture& f) {
  const auto& events = f.sim().trace().events();
  return events.empty() ? 0 : events.back().seq + 1;
}

// c1 and c2 (config `c`) share six partitions; the records to keep them busy
// arrive; at 40 s c3 joins. Runs until all three are stable and c3 owns two
// partitions. What the members owned before, the generation before c3 came,
// and the trace position at 39 s (just before it came) tell the rebalance.
struct ThirdMemberJoined {
  std::map<std::string, std::set<std::string>> owned_before;
  GenerationId generation_before;
  uint64_t mark = 0;
};
ThirdMemberJoined third_member_joins(ConsumerFixture& f, const ConsumerConfig& c) {
  f.add_consumer("c1", c, group_reader(3000, CommitPolicy::after_poll, 50));
  f.add_consumer("c2", c, group_reader(3000, CommitPolicy::after_poll, 50));
  f.add_consumer("c3", c, group_reader(40000, CommitPolicy::after_poll, 50));
  f.start();
  REQUIRE(f.await([&] { return pair_stable(f, 3); }));
  // Enough records that c1 and c2 are busy through the whole rebalance.
  for (int p = 0; p < 6; ++p) f.produce(f.tp(p), 300);
  ThirdMemberJoined out;
  out.owned_before = {{"c1", as_set(f.consumer("c1").assignment())}, {"c2", as_set(f.consumer("c2").assignment())}};
  out.generation_before = f.group("g1")->generation();
  REQUIRE(f.await([&] { return f.sim().now() >= SimTime::from_ms(39000); }, seconds(60)));
  out.mark = trace_position(f);
  REQUIRE(f.await([&] {
    return stable(f.consumer("c1")) && stable(f.consumer("c2")) && stable(f.consumer("c3")) &&
           f.consumer("c3").assignment().size() == 2;
  }, seconds(60)));
  return out;
}

}  // namespace

TEST_CASE("real coordinator: processing slower than max.poll.interval.ms makes the member leave, its commit fail, and "
          "its next poll rejoin",
          "[consumer][group][real][poll-timeout]") {
  ConsumerFixture f(real_group_cluster(2));
  ConsumerConfig slow = group_member("range");
  slow.max_poll_interval_ms = 10000;
  slow.max_poll_records = 5;
  ConsumerConfig fast = slow;
  f.add_consumer("slow", slow, group_reader(3000, CommitPolicy::after_poll, 4000));  // 5 records x 4 s = 20 s > 10 s
  f.add_consumer("fast", fast, group_reader(3000, CommitPolicy::after_poll, 20));
  f.start();
  // The records are there before the group forms: the slow member's first
  // poll returns five of them at once (20 s of work).
  f.produce(f.tp(0), 5);
  f.produce(f.tp(1), 5);
  const uint64_t mark = trace_position(f);
  REQUIRE(f.await([&] {
    return stable(f.consumer("slow")) && stable(f.consumer("fast")) && f.consumer("slow").assignment().size() == 1 &&
           f.consumer("fast").assignment().size() == 1;
  }));
  const GenerationId before = f.group("g1")->generation();
  const std::string slow_member = f.consumer("slow").coordinator().member_id();
  const TopicPartition slow_tp = f.consumer("slow").assignment().front();

  // The slow member's heartbeat thread notices the poll timeout and leaves
  // with Kafka's reason; the coordinator rebalances and the fast member takes
  // both partitions while the slow one is still processing.
  REQUIRE(f.await([&] { return f.consumer("fast").assignment().size() == 2 && stable(f.consumer("fast")); },
                  seconds(40)));
  bool left = false;
  for (const auto& [e, x] : f.all_events<trace::MemberRemoved>())
    if (e.seq >= mark && x.member == slow_member) {
      CHECK(x.reason == "leave");
      left = true;
    }
  CHECK(left);
  bool poll_timeout_reason = false;
  for (const auto& [e, x] : f.all_events<trace::GroupStateChanged>())
    poll_timeout_reason |= e.seq >= mark && x.to == "PreparingRebalance" &&
                           x.reason == "member left; client reason: consumer poll timeout has expired.";
  CHECK(poll_timeout_reason);
  CHECK(f.group("g1")->generation() == GenerationId(before.value + 1));
  CHECK(f.consumer("slow").coordinator().generation() == GenerationId(-1));

  // The slow member finishes its batch and commits: CommitFailedException.
  REQUIRE(f.await([&] { return !f.commit_errors("slow").empty(); }, seconds(30)));
  CHECK(f.commit_errors("slow").front() == "COMMIT_FAILED");
  CHECK(f.commits("slow", slow_tp).empty());
  // Its records were handed to the fast member too: processed twice.
  CHECK(f.processed("slow", slow_tp).size() == 5);
  REQUIRE(f.await([&] { return f.processed("fast", slow_tp).size() == 5; }, seconds(30)));

  // Its next poll() rejoins (a new member id): the group splits again.
  REQUIRE(f.await([&] {
    return stable(f.consumer("slow")) && stable(f.consumer("fast")) && f.consumer("slow").assignment().size() == 1 &&
           f.consumer("fast").assignment().size() == 1;
  }, seconds(60)));
  CHECK(f.consumer("slow").coordinator().member_id() != slow_member);
  CHECK(f.group("g1")->generation() == GenerationId(before.value + 2));
}

TEST_CASE("real coordinator: cooperative-sticky hands a joining member its partitions in two rebalances while the others "
          "keep consuming what they keep",
          "[consumer][group][real][cooperative]") {
  ConsumerFixture f(real_group_cluster(6));
  ConsumerConfig config = group_member("cooperative-sticky");
  config.max_poll_records = 10;
  const ThirdMemberJoined joined = third_member_joins(f, config);
  const auto& owned_before = joined.owned_before;
  const GenerationId before = joined.generation_before;
  const uint64_t mark = joined.mark;

  // Two rebalances: the first only revokes, the second assigns.
  CHECK(stable_generations_after(f, mark) == std::vector<int32_t>{before.value + 1, before.value + 2});
  uint64_t second_stable = 0;
  for (const auto& [e, x] : f.all_events<trace::GroupStable>())
    if (e.seq >= mark && x.generation.value == before.value + 2) second_stable = e.seq;
  for (const auto& [e, x] : f.events_of<trace::AssignmentChanged>("c3"))
    if (!x.assigned.empty()) CHECK(x.generation.value == before.value + 2);

  for (const std::string c : {"c1", "c2"}) {
    const std::set<std::string> now = as_set(f.consumer(c).assignment());
    CHECK(now.size() == 2);
    // It kept two of its three partitions and gave up exactly the third.
    std::vector<std::string> revoked;
    for (const auto& [e, x] : f.events_of<trace::AssignmentChanged>(c))
      if (e.seq >= mark) revoked.insert(revoked.end(), x.revoked.begin(), x.revoked.end());
    REQUIRE(revoked.size() == 1);
    CHECK(owned_before.at(c).count(revoked.front()) == 1);
    CHECK(now.count(revoked.front()) == 0);
    for (const auto& tp : now) CHECK(owned_before.at(c).count(tp) == 1);
    // It went on processing the partitions it kept during the rebalances.
    int kept_processed = 0;
    for (const auto& [e, x] : f.events_of<trace::RecordProcessed>(c))
      if (e.seq >= mark && e.seq < second_stable && now.count(TopicPartition{x.topic, x.partition}.str()))
        ++kept_processed;
    CHECK(kept_processed > 0);
  }
}

TEST_CASE("real coordinator: eager rebalancing revokes every partition of every member when one joins",
          "[consumer][group][real][eager]") {
  ConsumerFixture f(real_group_cluster(6));
  ConsumerConfig config = group_member("sticky");  // eager, and as sticky as cooperative-sticky
  config.max_poll_records = 10;
  const ThirdMemberJoined joined = third_member_joins(f, config);
  const GenerationId before = joined.generation_before;
  const uint64_t mark = joined.mark;
  // One rebalance, in which everyone gave up everything first.
  CHECK(stable_generations_after(f, mark) == std::vector<int32_t>{before.value + 1});
  for (const std::string c : {"c1", "c2"}) {
    uint64_t revoked_at = 0, assigned_at = 0;
    for (const auto& [e, x] : f.events_of<trace::AssignmentChanged>(c)) {
      if (e.seq < mark) continue;
      if (x.revoked.size() == 3 && !revoked_at) revoked_at = e.seq;
      if (!x.assigned.empty() && revoked_at && !assigned_at) assigned_at = e.seq;
    }
    REQUIRE(revoked_at > 0);
    REQUIRE(assigned_at > revoked_at);
    // Between giving everything up and getting the new assignment: nothing processed.
    int processed_between = 0;
    for (const auto& [e, x] : f.events_of<trace::RecordProcessed>(c))
      processed_between += e.seq > revoked_at && e.seq < assigned_at;
    CHECK(processed_between == 0);
    CHECK(f.consumer(c).assignment().size() == 2);
  }
}

TEST_CASE("real coordinator: a static member restarting within session.timeout.ms gets its partitions back with no "
          "rebalance",
          "[consumer][group][real][static]") {
  ConsumerFixture f(real_group_cluster(4));
  ConsumerConfig c1 = group_member("range");
  c1.group_instance_id = "i1";
  ConsumerConfig c2 = group_member("range");
  c2.group_instance_id = "i2";
  f.add_consumer("c1", c1, group_reader(3000));
  f.add_consumer("c2", c2, group_reader(3000));
  f.start();
  REQUIRE(f.await([&] {
    return stable(f.consumer("c1")) && stable(f.consumer("c2")) && f.consumer("c1").assignment().size() == 2 &&
           f.group("g1") && f.group("g1")->state() == GroupState::stable;
  }));
  const GenerationId generation = f.group("g1")->generation();
  const auto c1_owned = f.consumer("c1").assignment();
  const auto c2_owned = f.consumer("c2").assignment();
  const std::string old_member = f.consumer("c1").coordinator().member_id();
  const uint64_t mark = trace_position(f);

  f.sim().crash(f.node("c1"));
  f.run_for(seconds(10));  // well within session.timeout.ms (45000)
  f.sim().restart(f.node("c1"));
  REQUIRE(f.await([&] { return f.running("c1") && stable(f.consumer("c1")) && !f.consumer("c1").assignment().empty(); },
                  seconds(30)));
  CHECK(f.consumer("c1").assignment() == c1_owned);
  CHECK(f.consumer("c1").coordinator().member_id() != old_member);  // a new process, a new member id
  CHECK(f.consumer("c1").coordinator().generation() == generation);
  CHECK(f.group("g1")->generation() == generation);
  // No rebalance at all: the group never left Stable, and c2 kept everything.
  for (const auto& [e, x] : f.all_events<trace::GroupStateChanged>()) CHECK_FALSE((e.seq >= mark && x.group == "g1"));
  for (const auto& [e, x] : f.events_of<trace::AssignmentChanged>("c2")) CHECK(e.seq < mark);
  CHECK(f.consumer("c2").assignment() == c2_owned);
  // The coordinator replaced the old member id by the new one.
  bool replaced = false;
  for (const auto& [e, x] : f.all_events<trace::MemberRemoved>())
    replaced |= e.seq >= mark && x.member == old_member && x.reason == "fenced_static_instance";
  CHECK(replaced);
  f.run_for(seconds(60));  // and the old id's session expiring later changes nothing
  CHECK(f.group("g1")->generation() == generation);
}

TEST_CASE("real coordinator: a second process with the same group.instance.id fences the first, which stops with "
          "FENCED_INSTANCE_ID",
          "[consumer][group][real][static]") {
  ConsumerFixture f(real_group_cluster(2));
  ConsumerConfig c = group_member("range");
  c.group_instance_id = "i1";
  f.add_consumer("c1", c, group_reader(3000));
  f.add_consumer("c1-twin", c, group_reader(20000));
  f.start();
  REQUIRE(f.await([&] { return stable(f.consumer("c1")) && f.consumer("c1").assignment().size() == 2; }));
  const GenerationId generation = f.group("g1")->generation();
  REQUIRE(f.await([&] { return f.consumer("c1").fatal_error().has_value(); }, seconds(40)));
  CHECK(*f.consumer("c1").fatal_error() == Errc::fenced_instance_id);
  CHECK(f.consumer("c1").app_state() == KafkaConsumer::AppState::failed);
  REQUIRE(f.await([&] { return stable(f.consumer("c1-twin")) && f.consumer("c1-twin").assignment().size() == 2; },
                  seconds(30)));
  // The twin took over the instance's place in the same generation.
  CHECK(f.group("g1")->generation() == generation);
  // The fenced process does nothing more: it processes no record produced now.
  const int64_t fenced_processed = f.consumer("c1").processed();
  f.produce(f.tp(0), 5);
  REQUIRE(f.await([&] { return f.processed("c1-twin", f.tp(0)).size() >= 5; }, seconds(30)));
  CHECK(f.consumer("c1").processed() == fenced_processed);
}

}  // namespace ksim::test
