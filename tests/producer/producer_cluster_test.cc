// The producer end to end on a simulated cluster, without idempotence (the
// broker side of KIP-98 arrives separately): what a lost acknowledgement and
// max.in.flight.requests.per.connection > 1 do to the log, judged by the same
// checkers as any run.
#include <catch2/catch.hpp>

#include "core/trace/client_events.h"
#include "tests/producer/producer_cluster_fixture.h"

namespace ksim::producer::testing {
namespace {

ProducerConfig plain(int32_t in_flight) {
  ProducerConfig c;
  c.enable_idempotence = false;
  c.acks = Acks::all;
  c.linger_ms = 0;
  c.request_timeout_ms = 2000;
  c.delivery_timeout_ms = 60000;
  c.max_in_flight_requests_per_connection = in_flight;
  return c;
}

TEST_CASE("acks=all without idempotence delivers every record once when nothing goes wrong", "[producer][cluster]") {
  ProducerClusterFixture f(plain(5));
  std::vector<DeliveryHandle> hs;
  for (int i = 0; i < 20; ++i) {
    hs.push_back(f.send());
    f.cluster().run_for(millis(3));
  }
  REQUIRE(f.await(hs));
  for (size_t i = 0; i < hs.size(); ++i) {
    CHECK(hs[i].ok());
    if (i > 0) CHECK(hs[i].metadata().offset > hs[i - 1].metadata().offset);
  }
  f.cluster().run_for(seconds(1));
  CHECK(f.check("duplicate").holds());
  CHECK(f.check("lost-write").holds());
  CHECK(f.check("reorder").holds());
}

TEST_CASE("without idempotence a lost ProduceResponse makes the retry write the record twice",
          "[producer][cluster]") {
  ProducerClusterFixture f(plain(1));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  f.lose_next("ProduceResponse");
  hs.push_back(f.send());
  REQUIRE(f.await(hs));
  CHECK(hs[1].ok());
  f.cluster().run_for(seconds(1));
  const auto& dup = f.check("duplicate");
  CHECK_FALSE(dup.holds());
  CHECK(dup.count == 1);
  // The lost answer broke the connection: the producer saw it at once (not a
  // timeout), then the retry's acknowledgement.
  CHECK(f.responses() == std::vector<std::string>{"NONE/acked", "NETWORK_EXCEPTION/retry", "NONE/acked"});
}

TEST_CASE("without idempotence and with 5 requests in flight, a retried batch lands after a later one",
          "[producer][cluster]") {
  ProducerClusterFixture f(plain(5));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  // The next Produce request is lost on its way to the leader; the ones behind
  // it arrive and are appended first.
  f.lose_next("Produce");
  f.send_spaced(hs, 4);
  REQUIRE(f.await(hs));
  for (const auto& h : hs) CHECK(h.ok());
  CHECK(hs[1].metadata().offset > hs[4].metadata().offset);
  f.cluster().run_for(seconds(1));
  CHECK_FALSE(f.check("reorder").holds());
  CHECK(f.check("duplicate").holds());
}

TEST_CASE("with max.in.flight.requests.per.connection=1 the same lost request delays but does not reorder",
          "[producer][cluster]") {
  ProducerClusterFixture f(plain(1));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  f.lose_next("Produce");
  f.send_spaced(hs, 4);
  REQUIRE(f.await(hs));
  for (size_t i = 1; i < hs.size(); ++i) CHECK(hs[i].metadata().offset > hs[i - 1].metadata().offset);
  f.cluster().run_for(seconds(1));
  CHECK(f.check("reorder").holds());
}

TEST_CASE("a request timeout closes the connection: every Produce in flight on it times out at that moment",
          "[producer][cluster]") {
  // NetworkClient.handleTimedOutRequests: the first request to time out takes
  // the connection, and the requests behind it, down with it.
  ProducerClusterFixture f(plain(5));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  const NodeId leader = f.cluster().broker_node(f.leader_of(0));
  f.sim().pause(leader, seconds(3));  // a long GC pause: nothing is answered
  const SimTime first_sent = f.sim().now();
  f.send_spaced(hs, 3);  // three requests in flight, 2 ms apart
  REQUIRE(f.await(hs));
  for (const auto& h : hs) CHECK(h.ok());
  std::vector<SimTime> timed_out;
  for (const auto& e : f.sim().trace().events())
    if (const auto* r = std::get_if<trace::ProducerResponse>(&e.payload); r && r->error == "REQUEST_TIMED_OUT")
      timed_out.push_back(e.time);
  REQUIRE(timed_out.size() == 3);
  // All at the first request's deadline (request.timeout.ms = 2 s), not 2 ms apart.
  CHECK(timed_out[0] == first_sent + millis(2000));
  CHECK(timed_out[1] == timed_out[0]);
  CHECK(timed_out[2] == timed_out[0]);
}

TEST_CASE("after the leader crashes the producer sends it nothing more: its batches wait for the new leader",
          "[producer][cluster][connection]") {
  // Sender.sendProducerData skips a node that is not ready
  // (NetworkClient.ready, ClusterConnectionStates' reconnect backoff); the
  // disconnect requests a metadata update (handleServerDisconnect), which
  // names the new leader once the controller has fenced the old one.
  ProducerConfig c = plain(1);
  c.acks = Acks::leader;
  c.retries = 0;  // a Produce lost to the dead leader would fail its records
  ProducerClusterFixture f(c);
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  const NodeId old_leader = f.cluster().broker_node(f.leader_of(0));
  f.sim().crash(old_leader);
  f.cluster().run_for(millis(50));  // the producer has noticed (disconnect_detection: 10 ms)
  const SimTime noticed = f.sim().now();
  std::vector<DeliveryHandle> after;
  for (int i = 0; i < 5; ++i) {
    after.push_back(f.send());
    f.cluster().run_for(millis(300));
  }
  REQUIRE(f.await(after));
  for (const auto& h : after) CHECK(h.ok());
  int produce_to_old_leader = 0;
  for (const auto& e : f.sim().trace().events()) {
    if (e.time < noticed || e.node != f.producer_node()) continue;
    if (const auto* a = std::get_if<trace::ProducerAttempt>(&e.payload); a && a->broker == old_leader)
      ++produce_to_old_leader;
  }
  CHECK(produce_to_old_leader == 0);
  CHECK(f.leader_of(0) > 0);
  CHECK(f.cluster().broker_node(f.leader_of(0)) != old_leader);
}

}  // namespace
}  // namespace ksim::producer::testing
