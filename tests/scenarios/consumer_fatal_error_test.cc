// A consumer that stops on a fatal error says so: a client_failed event naming
// the error and the config behind it, a line in `ksim run`'s timeline, and the
// client's summary line (before this, "polled 0 records in 0 polls" was all).
#include <catch2/catch.hpp>

#include "scenario_lib/run/run_report.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/report/event_text.h"

namespace ksim::scenarios {
namespace {

// c1's session.timeout.ms is below the brokers' group.min.session.timeout.ms
// (6000 by default), so JoinGroup answers INVALID_SESSION_TIMEOUT.
constexpr const char* kShortSession = R"J({"name": "t", "seed": 3, "run_until_ms": 15000,
    "cluster": {"brokers": 3, "broker": {"offsets.topic.num.partitions": 3}},
    "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3}],
    "clients": [
      {"id": "p1", "type": "producer", "workload": {"topic": "orders", "messages": 20, "rate_per_s": 10}},
      {"id": "c1", "type": "consumer",
       "config": {"group.id": "g1", "session.timeout.ms": 5000, "heartbeat.interval.ms": 1000},
       "workload": {"subscribe": ["orders"], "start_ms": 1000}}]})J";

TEST_CASE("a consumer whose session.timeout.ms is below the brokers' minimum stops, and the trace and report say why",
          "[scenarios][runner][client_failed]") {
  auto loaded = load_scenario(kShortSession, "t.json");
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, {});
  const RunResult result = run.run();

  const TraceEvent* failed = nullptr;
  for (const auto& e : run.trace().events())
    if (std::holds_alternative<trace::ClientFailed>(e.payload)) {
      CHECK(failed == nullptr);  // one, and the consumer does nothing after it
      failed = &e;
    }
  REQUIRE(failed != nullptr);
  const auto& f = std::get<trace::ClientFailed>(failed->payload);
  CHECK(run.trace().header().node_name(failed->node) == "c1");
  CHECK(f.client == "consumer");
  CHECK(f.group == "g1");
  CHECK(f.error == "INVALID_SESSION_TIMEOUT");
  CHECK(f.exception == "InvalidSessionTimeoutException");
  CHECK(f.config == "session.timeout.ms=5000");
  CHECK(f.partition.empty());

  CHECK(describe_event(run.trace().header(), *failed) ==
        "c1  STOPPED: fatal INVALID_SESSION_TIMEOUT (InvalidSessionTimeoutException), caused by "
        "session.timeout.ms=5000: the group coordinator accepts session.timeout.ms only between the brokers' "
        "group.min.session.timeout.ms and group.max.session.timeout.ms");
  CHECK(is_notable(*failed));

  const std::string report = describe_result(*loaded.scenario, result);
  CHECK_THAT(report, Catch::Contains("c1  consumer: STOPPED at "));
  CHECK_THAT(report, Catch::Contains(" ms by fatal INVALID_SESSION_TIMEOUT (session.timeout.ms=5000); polled 0 records"));
}

TEST_CASE("a consumer within the session timeout bounds traces no client_failed", "[scenarios][runner][client_failed]") {
  std::string ok = kShortSession;
  const std::string short_session = "\"session.timeout.ms\": 5000";
  ok.replace(ok.find(short_session), short_session.size(), "\"session.timeout.ms\": 6000");
  auto loaded = load_scenario(ok, "t.json");
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, {});
  const RunResult result = run.run();
  for (const auto& e : run.trace().events()) CHECK_FALSE(std::holds_alternative<trace::ClientFailed>(e.payload));
  CHECK_THAT(describe_result(*loaded.scenario, result), !Catch::Contains("STOPPED"));
}

}  // namespace
}  // namespace ksim::scenarios
