// KIP-227 end to end: followers and consumers fetch through sessions, so an
// idle fetch lists no partitions; replication converges after a broker
// crashes and restarts (having lost every session, its peers fall back to
// full fetches), and a consumer group reads every record once.
#include <catch2/catch.hpp>
#include <set>

#include "core/broker/broker_node.h"
#include "sim/check/consumer_delivery.h"
#include "sim/check/history.h"
#include "tests/consumer/real_group.h"
#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

// Fetch requests between brokers since `from`: how many, and how many listed
// no partition at all (an idle incremental fetch: the 48-byte header only).
std::pair<int, int> follower_fetches(ReplicationFixture& f, SimTime from) {
  std::set<NodeId> brokers;
  for (int32_t b = 1; b <= 3; ++b) brokers.insert(f.node(b));
  int all = 0, empty = 0;
  for (const TraceEvent& e : f.sim().trace().events()) {
    if (e.time < from || !brokers.count(e.node)) continue;
    if (const auto* s = std::get_if<trace::MessageSent>(&e.payload); s && s->type == "Fetch" && brokers.count(s->to)) {
      ++all;
      empty += s->bytes == FetchRequest{}.size_bytes();
    }
  }
  return {all, empty};
}

TEST_CASE("followers fetch in sessions: once caught up, their fetches list nothing and replication goes on",
          "[replication][fetch-session]") {
  ReplicationFixture f({.partitions = 6});
  // Every fetcher that has partitions holds a session (the first full fetch made it).
  REQUIRE(f.cluster().run_until(
      [&] {
        for (int32_t b = 1; b <= 3; ++b)
          for (int32_t leader = 1; leader <= 3; ++leader)
            if (const ReplicaFetcher* fetcher = f.cluster().broker(b)->fetcher(BrokerId(leader));
                fetcher && !fetcher->empty() && fetcher->session().session_id() == kInvalidFetchSessionId)
              return false;
        return true;
      },
      seconds(10)));
  f.run_for(seconds(1));
  const SimTime quiet = f.sim().now();
  f.run_for(seconds(5));
  const auto [all, empty] = follower_fetches(f, quiet);
  CHECK(all > 20);
  CHECK(empty == all);  // nothing moved: every fetch was an idle incremental one
  for (int p = 0; p < 6; ++p) f.send(f.tp(p), 3);
  REQUIRE(f.await_sends());
  f.run_for(seconds(1));
  for (int p = 0; p < 6; ++p)
    for (int32_t b = 1; b <= 3; ++b) {
      INFO("orders-" << p << " on broker " << b);
      CHECK(f.leo(f.tp(p), b) == Offset(3));
      CHECK(f.hw(f.tp(p), b) == Offset(3));
    }
}

TEST_CASE("after a broker crashes and restarts (losing its sessions), every replica converges on the same log and HW "
          "and the ISR is full again",
          "[replication][fetch-session]") {
  ReplicationFixture f({.partitions = 6, .acks = Acks::all, .retries = 5});
  for (int p = 0; p < 6; ++p) f.send(f.tp(p), 5);
  REQUIRE(f.await_sends());
  f.crash(2);
  f.run_for(seconds(12));  // fenced; its partitions move
  for (int p = 0; p < 6; ++p) f.send(f.tp(p), 5);
  REQUIRE(f.await_sends());
  f.restart(2);
  REQUIRE(f.cluster().run_until([&] { return f.all_partitions_ready(); }, seconds(60)));
  CHECK(f.cluster().broker(2)->fetch_sessions().size() <= 2);  // what the others' fetchers made anew
  // One more record each: the leaders' HW moves, so every follower hears of it.
  for (int p = 0; p < 6; ++p) f.send(f.tp(p), 1);
  REQUIRE(f.await_sends());
  f.run_for(seconds(2));
  for (int p = 0; p < 6; ++p) {
    const int32_t leader = f.leader_of(f.tp(p));
    CHECK(f.isr(f.tp(p)).size() == 3);
    for (int32_t b = 1; b <= 3; ++b) {
      INFO("orders-" << p << " on broker " << b << ", leader " << leader);
      CHECK(f.records(f.tp(p), b) == f.records(f.tp(p), leader));
      CHECK(f.hw(f.tp(p), b) == f.hw(f.tp(p), leader));
    }
    CHECK(f.hw(f.tp(p)) == Offset(11));
  }
}

// Records c1 and c2 processed between them.
int64_t pair_processed(ConsumerFixture& f) { return f.consumer("c1").processed() + f.consumer("c2").processed(); }

// c1 and c2 in g1 over a 4-partition topic, stable, having read 5 records of each partition.
void start_pair_reading(ConsumerFixture& f) {
  f.add_consumer("c1", group_member(), group_reader(3000));
  f.add_consumer("c2", group_member(), group_reader(3000));
  f.start();
  REQUIRE(f.await([&] { return pair_stable(f, 2); }));
  for (int p = 0; p < 4; ++p) f.produce(f.tp(p), 5);
  REQUIRE(f.await([&] { return pair_processed(f) == 20; }));
}

TEST_CASE("consumers fetch in sessions, and a group still reads every record once", "[consumer][fetch-session]") {
  ConsumerFixture f(real_group_cluster(4));
  start_pair_reading(f);
  int sessions = 0;
  for (const std::string c : {"c1", "c2"})
    for (NodeId b : f.cluster().broker_nodes())
      if (const FetchSessionHandler* h = f.consumer(c).fetcher().session(b)) sessions += h->session_id() != 0;
  CHECK(sessions >= 2);
  for (int p = 0; p < 4; ++p) f.produce(f.tp(p), 5);
  REQUIRE(f.await([&] { return pair_processed(f) == 40; }));
  f.run_for(seconds(2));
  const check::History h = check::build_history(f.sim().trace().header(), f.sim().trace().events());
  CHECK(check::check_consumer_lost(h).holds());
  CHECK(check::check_consumer_duplicate(h).holds());
}

TEST_CASE("consumers' sessions on a broker that crashes and restarts are lost, and the group still reads every acked "
          "record",
          "[consumer][fetch-session]") {
  ConsumerFixtureOptions o = real_group_cluster(4);
  o.producer_retries = 10;  // a send to a broker that is down or not yet unfenced is retried
  ConsumerFixture f(o);
  start_pair_reading(f);
  // A broker that is not the group's coordinator: the group itself stays put.
  const std::string offsets_topic(kConsumerOffsetsTopic);
  const int32_t coordinator =
      f.leader_of({offsets_topic, offsets_partition_for("g1", f.cluster().spec().broker.offsets_topic_num_partitions)});
  REQUIRE(coordinator > 0);
  const int32_t victim = coordinator == 3 ? 2 : 3;
  const NodeId victim_node = f.cluster().broker_nodes()[static_cast<size_t>(victim - 1)];
  // It leads some of the topic, so a consumer holds a session there.
  int sessions_there = 0;
  for (const std::string c : {"c1", "c2"})
    if (const FetchSessionHandler* s = f.consumer(c).fetcher().session(victim_node)) sessions_there += s->session_id() != 0;
  REQUIRE(sessions_there >= 1);
  f.sim().crash(victim_node);
  f.run_for(seconds(12));  // fenced; its partitions move to the others
  for (int p = 0; p < 4; ++p) f.produce(f.tp(p), 5);
  f.sim().restart(victim_node);
  REQUIRE(f.await([&] { return f.all_partitions_ready(); }));
  for (int p = 0; p < 4; ++p) f.produce(f.tp(p), 5);
  REQUIRE(f.acked() == 60);  // every send made it, retried past the crash
  REQUIRE(f.await([&] { return pair_processed(f) >= 60; }));
  f.run_for(seconds(2));
  const check::History h = check::build_history(f.sim().trace().header(), f.sim().trace().events());
  CHECK(check::check_consumer_lost(h).holds());
  CHECK(check::check_consumer_duplicate(h).holds());
  CHECK(pair_processed(f) == 60);
}

}  // namespace
}  // namespace ksim::test
