// A broker's heartbeats after a short cut from its controller, as Kafka 4.x's
// BrokerLifecycleManager sends them over the "heartbeat" channel (retry
// timeout broker.session.timeout.ms / 2, KAFKA-14392): an answer lost on a
// one-way cut costs at most that, never request.timeout.ms (30 s), so the
// broker is never fenced for a one-second cut.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "tests/support/replication_fixture.h"

namespace ksim::test {
namespace {

struct Heartbeats {
  std::vector<SimTime> sent;       // BrokerHeartbeat requests broker-2 sent
  std::vector<SimTime> answered;   // answers that reached it
  std::vector<SimTime> refused;    // heartbeats lost at send: the link was down
  std::vector<SimTime> fenced;     // the controller fenced broker-2
};

Heartbeats heartbeats_of_broker2(ReplicationFixture& f) {
  Heartbeats h;
  const NodeId b2 = f.node(2);
  for (const TraceEvent& e : f.sim().trace().events()) {
    if (const auto* s = std::get_if<trace::MessageSent>(&e.payload)) {
      if (e.node == b2 && s->type == "BrokerHeartbeat") h.sent.push_back(e.time);
    } else if (const auto* d = std::get_if<trace::MessageDelivered>(&e.payload)) {
      if (e.node == b2 && d->type == "BrokerHeartbeatResponse") h.answered.push_back(e.time);
    } else if (const auto* x = std::get_if<trace::MessageDropped>(&e.payload)) {
      if (e.node == b2 && x->type == "BrokerHeartbeat" && x->reason == "link_down") h.refused.push_back(e.time);
    } else if (const auto* fe = std::get_if<trace::BrokerFencing>(&e.payload)) {
      if (fe->broker == BrokerId(2) && fe->fenced) h.fenced.push_back(e.time);
    }
  }
  return h;
}

std::optional<SimTime> first_after(const std::vector<SimTime>& times, SimTime t) {
  for (SimTime x : times)
    if (x > t) return x;
  return std::nullopt;
}

FixtureOptions thirty_second_request_timeout() {
  FixtureOptions o;
  o.customize = [](ClusterSpec& spec) { spec.broker.request_timeout_ms = 30000; };
  return o;
}

// Runs until broker-2 sends its next heartbeat; returns when.
SimTime run_until_broker2_heartbeats(ReplicationFixture& f) {
  const size_t before = heartbeats_of_broker2(f).sent.size();
  REQUIRE(f.cluster().run_until([&] { return heartbeats_of_broker2(f).sent.size() > before; }, seconds(5)));
  return f.sim().now();
}

TEST_CASE("a heartbeat answer lost on a 1 s one-way cut from the controller costs the broker about 4.5 s, "
          "not request.timeout.ms, and it is never fenced",
          "[broker][lifecycle][heartbeat]") {
  ReplicationFixture f(thirty_second_request_timeout());
  // The cut comes as a heartbeat leaves: it is lost, the broker hears of the
  // broken connection and re-sends it 50 ms later; that one reaches the
  // controller, whose answer is lost (only the controller -> broker-2
  // direction is down).
  const SimTime cut = run_until_broker2_heartbeats(f);
  f.sim().network().set_link(f.cluster().controller_node(), f.node(2), false, true);
  f.run_for(seconds(1));
  f.sim().network().set_link(f.cluster().controller_node(), f.node(2), true, true);
  f.run_for(seconds(20));

  const Heartbeats h = heartbeats_of_broker2(f);
  CHECK_FALSE(first_after(h.fenced, cut));
  // The re-sent attempt times out after broker.session.timeout.ms / 2 (not
  // 30 s), the heartbeat has failed, and after a 100 ms backoff a new one is
  // answered.
  const auto answered = first_after(h.answered, cut);
  REQUIRE(answered);
  CHECK(*answered - cut > millis(4500));
  CHECK(*answered - cut < millis(4800));
  // Then every broker.heartbeat.interval.ms again.
  const auto next = first_after(h.answered, *answered);
  REQUIRE(next);
  CHECK(*next - *answered >= millis(2000));
  CHECK(*next - *answered <= millis(2010));
}

TEST_CASE("during a 1 s cut both ways the broker puts no heartbeat on the wire, keeps reconnecting, "
          "and is answered as soon as the cut heals",
          "[broker][lifecycle][heartbeat]") {
  ReplicationFixture f(thirty_second_request_timeout());
  const SimTime cut = run_until_broker2_heartbeats(f);
  f.sim().network().set_link(f.cluster().controller_node(), f.node(2), false, false);
  f.run_for(seconds(1));
  const SimTime healed = f.sim().now();
  f.sim().network().set_link(f.cluster().controller_node(), f.node(2), true, true);
  f.run_for(seconds(10));

  const Heartbeats h = heartbeats_of_broker2(f);
  CHECK_FALSE(first_after(h.fenced, cut));
  // NetworkClient sends nothing to a node it cannot connect to: each attempt
  // fails (10 ms to notice) and the heartbeat waits for the next connection.
  size_t on_the_wire = 0;
  for (SimTime t : h.sent) on_the_wire += t > cut && t < healed ? 1 : 0;
  for (SimTime t : h.refused) on_the_wire += t > cut && t < healed ? 1 : 0;
  CHECK(on_the_wire == 0);
  const auto answered = first_after(h.answered, healed);
  REQUIRE(answered);
  CHECK(*answered - healed < millis(70));
}

TEST_CASE("a broker whose heartbeats go unanswered backs off exponentially between failed heartbeats, "
          "and is not fenced while they still reach the controller",
          "[broker][lifecycle][heartbeat]") {
  ReplicationFixture f(thirty_second_request_timeout());
  const SimTime cut = run_until_broker2_heartbeats(f);
  f.sim().network().set_link(f.cluster().controller_node(), f.node(2), false, true);
  f.run_for(seconds(30));
  const Heartbeats h = heartbeats_of_broker2(f);
  CHECK_FALSE(first_after(h.fenced, cut));
  // Each heartbeat fails 4.5 s after it was first sent; the next goes after
  // 100, 200, 400, 800 ms (+-2%): BrokerLifecycleManager's resend backoff.
  std::vector<Duration> gaps;
  for (size_t i = 1; i < h.sent.size(); ++i)
    if (h.sent[i] - h.sent[i - 1] > seconds(4)) gaps.push_back(h.sent[i] - h.sent[i - 1] - millis(4500));
  REQUIRE(gaps.size() >= 4);
  CHECK(gaps[0] >= millis(98));
  CHECK(gaps[0] <= millis(102));
  CHECK(gaps[1] >= millis(196));
  CHECK(gaps[1] <= millis(204));
  CHECK(gaps[2] >= millis(392));
  CHECK(gaps[2] <= millis(408));
  CHECK(gaps[3] >= millis(784));
  CHECK(gaps[3] <= millis(816));
}

}  // namespace
}  // namespace ksim::test
