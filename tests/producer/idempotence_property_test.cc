// KIP-98's promise as a property: under random schedules of lost Produce
// requests, lost acknowledgements and leader crashes, an idempotent producer
// (acks=all, 5 requests in flight) writes no record twice and keeps each
// partition in send order within its session. Without idempotence the same
// kind of schedule does produce duplicates, which the checker finds.
#include <rapidcheck/catch.h>

#include <stdexcept>

#include "core/base/assert.h"
#include "tests/producer/producer_cluster_fixture.h"

namespace ksim::producer::testing {
namespace {

struct Fault {
  enum Kind { drop_request, drop_response, crash_leader } kind;
  int64_t at_ms;    // after the previous fault
  int64_t down_ms;  // crash_leader: until the restart
};

std::ostream& operator<<(std::ostream& out, const Fault& f) {
  static const char* const kinds[] = {"drop_request", "drop_response", "crash_leader"};
  return out << "+" << f.at_ms << "ms " << kinds[f.kind] << " (" << f.down_ms << "ms)";
}

rc::Gen<Fault> gen_fault() {
  return rc::gen::build<Fault>(
      rc::gen::set(&Fault::kind, rc::gen::element(Fault::drop_request, Fault::drop_response, Fault::crash_leader)),
      rc::gen::set(&Fault::at_ms, rc::gen::inRange<int64_t>(0, 1500)),
      rc::gen::set(&Fault::down_ms, rc::gen::inRange<int64_t>(100, 4000)));
}

struct InvariantViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

ProducerConfig config(bool idempotence) {
  ProducerConfig c;
  c.enable_idempotence = idempotence;
  c.linger_ms = 0;
  c.request_timeout_ms = 1500;
  c.delivery_timeout_ms = 120000;
  c.max_in_flight_requests_per_connection = 5;
  return c;
}

// Runs the schedule: a send every 25 ms for 3 s while the faults happen, then
// waits for every send. Returns whether every send completed.
bool run_schedule(ProducerClusterFixture& f, const std::vector<Fault>& faults) {
  std::vector<DeliveryHandle> hs;
  const SimTime t0 = f.sim().now();
  for (int64_t ms = 0; ms < 3000; ms += 25) f.sim().at(t0 + millis(ms), [&] { hs.push_back(f.send()); });
  SimTime t = t0;
  SimTime busy_until = t0;  // one broker down at a time
  for (const Fault& x : faults) {
    t += millis(x.at_ms);
    f.sim().run_until(t);
    const int32_t leader = f.leader_of(0);
    if (leader < 0) continue;
    const NodeId n = f.cluster().broker_node(leader);
    MessageRule rule;
    if (x.kind == Fault::drop_request) {
      rule.match = MessageMatch{"Produce", f.producer_node(), n};
      f.sim().network().add_rule(rule);
    } else if (x.kind == Fault::drop_response) {
      rule.match = MessageMatch{"ProduceResponse", n, f.producer_node()};
      f.sim().network().add_rule(rule);
    } else if (t >= busy_until) {
      f.sim().crash(n);
      busy_until = t + millis(x.down_ms);
      f.sim().at(busy_until, [&f, n] { f.sim().restart(n); });
    }
  }
  f.sim().run_until(std::max(t, t0 + millis(3000)) + millis(5000));
  const bool done = f.await(hs, seconds(200));
  f.cluster().run_for(seconds(2));
  return done;
}

TEST_CASE("an idempotent producer writes no duplicate and keeps partition order under lost messages and leader crashes",
          "[producer][idempotence][property]") {
  const auto previous = set_assert_handler([](const AssertFailure& failure) {
    throw InvariantViolation(format_assert_failure(failure));
  });
  rc::prop("no duplicate, no reordering, no lost acknowledged write", [](uint64_t seed) {
    const auto count = *rc::gen::inRange<size_t>(0, 6);
    const auto faults = *rc::gen::container<std::vector<Fault>>(count, gen_fault());
    ClusterOptions o;
    o.seed = seed;
    o.latency_max = millis(3);
    ProducerClusterFixture f(config(true), o);
    RC_ASSERT(run_schedule(f, faults));
    for (const char* name : {"duplicate", "reorder", "lost-write"}) {
      const auto& r = f.check(name);
      if (!r.holds()) RC_LOG() << name << ": " << r.count << " " << (r.examples.empty() ? "" : r.examples[0].explanation);
      RC_ASSERT(r.holds());
    }
  });
  set_assert_handler(previous);
}

TEST_CASE("without idempotence the duplicate checker finds duplicates for some fault schedules",
          "[producer][idempotence][property]") {
  int with_duplicates = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    ClusterOptions o;
    o.seed = seed;
    o.latency_max = millis(3);
    ProducerClusterFixture f(config(false), o);
    const std::vector<Fault> faults{{Fault::drop_response, static_cast<int64_t>(seed * 200), 0},
                                    {Fault::crash_leader, 500, 1000}};
    REQUIRE(run_schedule(f, faults));
    if (!f.check("duplicate").holds()) ++with_duplicates;
    CHECK(f.check("lost-write").holds());
  }
  CHECK(with_duplicates > 0);
}

}  // namespace
}  // namespace ksim::producer::testing
