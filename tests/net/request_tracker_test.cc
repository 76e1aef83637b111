#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/net/request_tracker.h"
#include "tests/support/fake_env.h"

namespace ksim::test {
namespace {

constexpr TimerTag kTag = 42;
constexpr NodeId A{1}, B{2};

// What each handler saw, as "<correlation id>:<outcome>".
struct Outcomes {
  std::vector<std::string> seen;
  RequestTracker::Handler handler(int32_t label) {
    return [this, label](const Message* response, Errc error) {
      seen.push_back(std::to_string(label) + ":" +
                     (response ? "response" : error == Errc::request_timed_out ? "timeout" : "network"));
    };
  }
};

MetadataResponse response_to(const FakeEnv& env, size_t sent_index) {
  MetadataResponse r;
  r.correlation_id = std::get<MetadataRequest>(env.sent[sent_index].msg).correlation_id;
  return r;
}

TEST_CASE("requests get growing correlation ids and each response reaches its own handler", "[net][request]") {
  FakeEnv env;
  RequestTracker tracker(env, kTag);
  Outcomes o;
  const int32_t first = tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(1));
  const int32_t second = tracker.send(B, MetadataRequest{}, millis(30'000), o.handler(2));
  CHECK(second > first);
  REQUIRE(env.sent.size() == 2);
  CHECK(std::get<MetadataRequest>(env.sent[0].msg).correlation_id == first);
  CHECK(tracker.outstanding() == 2);
  // Answered out of order: B first.
  CHECK(tracker.on_response(B, response_to(env, 1)));
  CHECK(tracker.on_response(A, response_to(env, 0)));
  CHECK(o.seen == std::vector<std::string>{"2:response", "1:response"});
  CHECK(tracker.outstanding() == 0);
  // The timeouts were cancelled with the responses.
  REQUIRE(env.timers.size() == 2);
  CHECK(env.timers[0].cancelled);
  CHECK(env.timers[1].cancelled);
  CHECK(env.timers[0].tag == kTag);
}

TEST_CASE("a response that matches no outstanding request is not ours", "[net][request]") {
  FakeEnv env;
  RequestTracker tracker(env, kTag);
  Outcomes o;
  tracker.send(A, MetadataRequest{}, millis(100), o.handler(1));
  const MetadataResponse r = response_to(env, 0);
  tracker.on_timer(env.timers[0].id);  // timed out first
  CHECK(o.seen == std::vector<std::string>{"1:timeout"});
  CHECK_FALSE(tracker.on_response(A, r));  // the late answer matches nothing
  MetadataResponse unknown;
  unknown.correlation_id = 999;
  CHECK_FALSE(tracker.on_response(A, unknown));
  CHECK(o.seen.size() == 1);
}

TEST_CASE("a timeout closes its connection: every request in flight on it times out, other connections live on",
          "[net][request]") {
  // NetworkClient.handleTimedOutRequests -> processTimeoutDisconnection: all of
  // the connection's in-flight requests complete as timed out, in send order.
  FakeEnv env;
  RequestTracker tracker(env, kTag);
  Outcomes o;
  tracker.send(A, MetadataRequest{}, millis(100), o.handler(1));
  tracker.send(B, MetadataRequest{}, millis(100), o.handler(2));
  tracker.send(A, MetadataRequest{}, millis(200), o.handler(3));
  tracker.send(A, MetadataRequest{}, millis(300), o.handler(4), Channel::coordinator);  // another connection to A
  tracker.send(A, MetadataRequest{}, millis(300), o.handler(5));
  tracker.on_timer(env.timers[0].id);
  CHECK(o.seen == std::vector<std::string>{"1:timeout", "3:timeout", "5:timeout"});
  CHECK(tracker.outstanding_to(A) == 1);
  CHECK(tracker.outstanding_to(B) == 1);
  CHECK(env.timers[2].cancelled);
  CHECK(env.timers[4].cancelled);
  CHECK_FALSE(env.timers[1].cancelled);
  CHECK_FALSE(env.timers[3].cancelled);
  // The closed connection's answers match nothing; the others' still arrive.
  CHECK_FALSE(tracker.on_response(A, response_to(env, 2)));
  tracker.on_timer(env.timers[0].id);  // a second firing finds nothing
  CHECK(tracker.on_response(B, response_to(env, 1)));
  CHECK(tracker.on_response(A, response_to(env, 3)));
  CHECK(o.seen == std::vector<std::string>{"1:timeout", "3:timeout", "5:timeout", "2:response", "4:response"});
}

TEST_CASE("a broken link fails that peer's requests on every connection, in send order, and leaves the others",
          "[net][request]") {
  FakeEnv env;
  RequestTracker tracker(env, kTag);
  Outcomes o;
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(1));
  tracker.send(B, MetadataRequest{}, millis(30'000), o.handler(2));
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(3), Channel::coordinator);
  CHECK(tracker.outstanding_to(A) == 2);
  tracker.on_connection_lost(A);
  CHECK(o.seen == std::vector<std::string>{"1:network", "3:network"});
  CHECK(tracker.outstanding_to(A) == 0);
  CHECK(tracker.outstanding_to(B) == 1);
  CHECK(env.timers[0].cancelled);
  CHECK_FALSE(env.timers[1].cancelled);
  CHECK(env.timers[2].cancelled);
}

TEST_CASE("a failure handler may send again: the new request is not failed with the old ones", "[net][request]") {
  FakeEnv env;
  RequestTracker tracker(env, kTag);
  Outcomes o;
  RequestTracker::Handler retry = [&](const Message*, Errc error) {
    o.seen.push_back(std::string("1:") + (error == Errc::network_exception ? "network" : "other"));
    tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(9));  // reconnect and retry
  };
  tracker.send(A, MetadataRequest{}, millis(30'000), retry);
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(2));
  tracker.on_connection_lost(A);
  CHECK(o.seen == std::vector<std::string>{"1:network", "2:network"});
  CHECK(tracker.outstanding_to(A) == 1);
  CHECK(tracker.on_response(A, response_to(env, 2)));
  CHECK(o.seen.back() == "9:response");
}

TEST_CASE("after a broken connection the peer is blacked out for reconnect.backoff.ms, doubling per failed connect",
          "[net][request][connection]") {
  // ClusterConnectionStates: disconnected() sets the backoff to
  // reconnect.backoff.ms * 2^failures (jitter 0.2, capped at the max);
  // canConnect waits it out; a request meanwhile fails unsent.
  FakeEnv env;
  RequestTracker tracker(env, kTag, ReconnectBackoff{100, 1000});
  Outcomes o;
  int disconnects = 0;
  tracker.on_disconnect = [&](NodeId) { ++disconnects; };
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(1));
  REQUIRE(env.sent.size() == 1);
  tracker.on_connection_lost(A);
  CHECK(o.seen == std::vector<std::string>{"1:network"});
  CHECK(disconnects == 1);
  // Blacked out: 80..120 ms (100 ms +-20%).
  const std::optional<Duration> delay = tracker.connection_delay(A);
  REQUIRE(delay.has_value());
  CHECK(*delay >= millis(80));
  CHECK(*delay <= millis(120));
  CHECK_FALSE(tracker.ready(A));
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(2));
  CHECK(env.sent.size() == 1);  // not sent
  tracker.on_timer(env.timers.back().id);  // its immediate failure
  CHECK(o.seen.back() == "2:network");
  // After the backoff a connect is tried; the peer is unreachable: connecting,
  // and requests wait for the outcome.
  env.advance(*delay);
  env.unreachable.push_back(A);
  CHECK_FALSE(tracker.ready(A));
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(3));
  CHECK(env.sent.size() == 1);
  CHECK_FALSE(tracker.connection_delay(A).has_value());  // connecting: an event will tell
  tracker.on_connection_lost(A);                          // the connect failed
  CHECK(o.seen.back() == "3:network");
  CHECK(disconnects == 2);
  const std::optional<Duration> second = tracker.connection_delay(A);
  REQUIRE(second.has_value());
  CHECK(*second >= millis(160));  // 200 ms +-20%
  CHECK(*second <= millis(240));
  // Reachable again: the next connect succeeds and the backoff resets.
  env.advance(*second);
  env.unreachable.clear();
  CHECK(tracker.ready(A));
  tracker.send(A, MetadataRequest{}, millis(30'000), o.handler(4));
  CHECK(env.sent.size() == 2);
  tracker.on_connection_lost(A);
  const std::optional<Duration> third = tracker.connection_delay(A);
  REQUIRE(third.has_value());
  CHECK(*third <= millis(120));
  // Another peer was never affected.
  CHECK(tracker.ready(B));
}

TEST_CASE("a request timeout disconnects its channel too: the backoff applies before the next request on it",
          "[net][request][connection]") {
  // processTimeoutDisconnection -> connectionStates.disconnected.
  FakeEnv env;
  RequestTracker tracker(env, kTag, ReconnectBackoff{50, 1000});
  Outcomes o;
  tracker.send(A, MetadataRequest{}, millis(100), o.handler(1));
  tracker.on_timer(env.timers[0].id);
  CHECK(o.seen == std::vector<std::string>{"1:timeout"});
  CHECK_FALSE(tracker.ready(A));
  CHECK(tracker.ready(A, Channel::coordinator));  // another connection to A
}

}  // namespace
}  // namespace ksim::test
