// What each acks setting promises when the leader dies (kafka-facts 1.3).
#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

// Holds every FetchResponse the leader sends: followers keep asking (so the
// leader learns their LEO) but never receive new records.
RuleId starve_followers(ReplicationFixture& f, int32_t leader) {
  return f.sim().network().add_rule(
      MessageRule{MessageMatch{"FetchResponse", f.node(leader), kNoNode}, RuleAction::hold, 1, -1});
}

TEST_CASE("acks=1 loses an acknowledged write when the leader dies before the followers fetch it",
          "[replication][acks][lecture]") {
  ReplicationFixture f({.acks = Acks::leader});
  const int32_t leader = f.leader_of(f.tp());
  auto before = f.send(f.tp(), 3);
  REQUIRE(f.await_sends());
  f.run_for(millis(600));
  const RuleId hold = starve_followers(f, leader);
  auto lost = f.send(f.tp(), 1)[0];
  REQUIRE(f.await_sends());
  REQUIRE(f.outcome(lost).error == Errc::none);  // acknowledged by the leader alone
  CHECK(f.outcome(lost).offset == Offset(3));
  f.crash(leader);
  f.sim().network().remove_rule(hold);
  // The controller fences the dead leader after broker.session.timeout.ms and
  // elects a follower that never saw the record.
  REQUIRE(f.await_leader(f.tp(), leader));
  f.restart(leader);
  f.run_for(seconds(5));  // the old leader rejoins and truncates to the new leader's log
  // The trace shows where it went: the old leader cut it off its log when it
  // learnt (DivergingEpoch) that the new leader's epoch started before it.
  bool truncated = false;
  for (const auto& e : f.sim().trace().events())
    if (auto* t = std::get_if<trace::LogTruncated>(&e.payload))
      truncated |= e.node == f.node(leader) && t->reason == "diverging_epoch" &&
                   std::find(t->removed.begin(), t->removed.end(), lost) != t->removed.end();
  CHECK(truncated);
  for (int32_t b = 1; b <= 3; ++b) {
    INFO("broker " << b);
    CHECK_FALSE(f.has_record(f.tp(), b, lost));
    for (RecordId id : before) CHECK(f.has_record(f.tp(), b, id));
  }
}

TEST_CASE("acks=all with min.insync.replicas=2 acknowledges nothing the followers lack, so the failover loses nothing",
          "[replication][acks][lecture]") {
  ReplicationFixture f({.topic_configs = {{"min.insync.replicas", "2"}}, .acks = Acks::all});
  const int32_t leader = f.leader_of(f.tp());
  auto before = f.send(f.tp(), 3);
  REQUIRE(f.await_sends());
  const RuleId hold = starve_followers(f, leader);
  auto pending = f.send(f.tp(), 1)[0];
  f.run_for(seconds(2));
  CHECK_FALSE(f.outcome(pending).completed);  // the HW cannot cover it: no ack
  f.crash(leader);
  f.sim().network().remove_rule(hold);
  REQUIRE(f.await_sends());
  CHECK(f.outcome(pending).error != Errc::none);  // the producer hears of a failure, never an ack
  REQUIRE(f.await_leader(f.tp(), leader));
  f.restart(leader);
  f.run_for(seconds(5));
  for (int32_t b = 1; b <= 3; ++b)
    for (RecordId id : before) CHECK(f.has_record(f.tp(), b, id));
}

TEST_CASE("acks=0 gets no answer and no offset", "[replication][acks]") {
  ReplicationFixture f({.acks = Acks::none});
  auto ids = f.send(f.tp(), 5);
  REQUIRE(f.await_sends());
  for (RecordId id : ids) CHECK(f.outcome(id).offset == Offset(-1));
  f.run_for(seconds(1));
  CHECK(f.hw(f.tp()) == Offset(5));
  size_t responses = 0;
  for (const auto& e : f.sim().trace().events())
    if (auto* s = std::get_if<trace::MessageSent>(&e.payload)) responses += s->type == "ProduceResponse";
  CHECK(responses == 0);
}

TEST_CASE("an ISR below min.insync.replicas rejects acks=all writes with NOT_ENOUGH_REPLICAS",
          "[replication][min-isr]") {
  ReplicationFixture f({.topic_configs = {{"min.insync.replicas", "2"}}});
  const int32_t leader = f.leader_of(f.tp());
  for (int32_t b = 1; b <= 3; ++b)
    if (b != leader) f.crash(b);
  // Fenced after the session timeout, both leave the ISR.
  REQUIRE(f.cluster().run_until([&] { return f.isr(f.tp()) == std::vector<int32_t>{leader}; }, seconds(20)));
  auto id = f.send(f.tp(), 1)[0];
  REQUIRE(f.await_sends());
  CHECK(f.outcome(id).error == Errc::not_enough_replicas);
  CHECK(f.leo(f.tp(), leader) == Offset(0));  // rejected before the append
}

}  // namespace
}  // namespace ksim::test
