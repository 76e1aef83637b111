// A leader answers a parked Fetch on the connection it came in on, or not at
// all (Kafka's SocketServer; core/env/connection.h). A follower that restarts
// while its Fetch waits in the leader's purgatory opens new connections and
// must never be handed the answer meant for its previous process: its
// correlation ids start again, so that answer would match a request of its
// own it never sent that way (explore seed 13492 of the reference base).
#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

TEST_CASE("a follower restarted while its fetch is parked never receives the answer meant for its old process",
          "[replication][crash]") {
  ReplicationFixture f({.brokers = 3, .rf = 3, .acks = Acks::leader});
  f.run_for(seconds(2));  // idle: each follower's Fetch waits at the leader (long poll)
  const int32_t leader = f.leader_of(f.tp());
  const int32_t follower = leader == 1 ? 2 : 1;
  const NodeId leader_node = f.node(leader), follower_node = f.node(follower);

  const SimTime restart_at = f.sim().now();
  f.crash(follower);
  f.restart(follower);
  f.send(f.tp(), 1);  // new data completes the parked Fetch at once
  REQUIRE(f.await_sends());
  REQUIRE(f.cluster().run_until(
      [&] {
        const Partition* p = f.replica(f.tp(), follower);  // none until the new process learns the metadata
        return p && p->log().log_end_offset() == Offset(1);
      },
      seconds(30)));

  // The parked Fetch's answer is dropped: its connection closed with the crash.
  size_t dropped = 0;
  for (const TraceEvent& e : f.sim().trace().events())
    if (const auto* d = std::get_if<trace::MessageDropped>(&e.payload))
      if (e.time >= restart_at && e.node == leader_node && d->to == follower_node && d->type == "FetchResponse")
        dropped += d->reason == "connection_closed";
  CHECK(dropped == 1);

  // The new process receives no FetchResponse before it has sent a Fetch.
  bool fetched = false;
  for (const TraceEvent& e : f.sim().trace().events()) {
    if (e.time < restart_at) continue;
    if (const auto* s = std::get_if<trace::MessageSent>(&e.payload))
      fetched |= e.node == follower_node && s->to == leader_node && s->type == "Fetch";
    if (const auto* d = std::get_if<trace::MessageDelivered>(&e.payload)) {
      INFO("FetchResponse delivered at " << e.time.us << " us");
      if (e.node == follower_node && d->type == "FetchResponse") CHECK(fetched);
    }
  }
  CHECK(fetched);
}

}  // namespace
}  // namespace ksim::test
