// A consumer whose partition's leader it cannot reach (a one-way cut) waits
// out its reconnect backoff instead of spinning: Kafka skips a fetch to a node
// in reconnect backoff (AbstractFetch.prepareFetchRequests, isUnavailable) and
// asks a failed ListOffsets or OffsetsForLeaderEpoch again only after
// retry.backoff.ms (SubscriptionState.requestFailed). Before, the request
// failed at once and went out again at the same instant, for ever: the
// explorer's group base found it (seed 4, shrunk to this one fault).
#include <catch2/catch.hpp>

#include "explore/explorer.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"

namespace ksim {
namespace {

const char* kCutLeader = R"J({"name": "a consumer whose partition leader is cut off one way", "seed": 4, "cluster": {"brokers": 3, "network": {"latency_ms": [1, 5]}, "broker": {"request.timeout.ms": 5000, "offsets.topic.num.partitions": 3, "offsets.topic.replication.factor": 3}}, "topics": [{"name": "orders", "partitions": 2, "replication_factor": 3, "config": {"min.insync.replicas": 2, "flush.messages": 1}}], "clients": [{"id": "p1", "type": "producer", "config": {"acks": "all"}, "workload": {"topic": "orders", "messages": 1, "rate_per_s": 20, "start_ms": 3000, "key": "k{i % 8}"}}, {"id": "c1", "type": "consumer", "config": {"group.id": "g1", "auto.offset.reset": "earliest", "max.poll.records": 10}, "workload": {"subscribe": ["orders"], "processing_ms": 5, "commit": "after_poll", "start_ms": 2500}}, {"id": "c2", "type": "consumer", "config": {"group.id": "g1", "auto.offset.reset": "earliest", "max.poll.records": 10}, "workload": {"subscribe": ["orders"], "processing_ms": 5, "commit": "after_poll", "start_ms": 2500}}], "faults": [{"at_ms": 6000, "cut": ["c2", "broker-3"], "one_way": true}], "run_until_ms": 21000, "expect": [{"check": "consumer-lost", "holds": true}]})J";

TEST_CASE("a consumer cut off from its partition's leader backs off instead of looping at one instant",
          "[consumer][fetcher][backoff]") {
  explore::ThrowOnInvariantFailure throwing;  // the zero-time livelock detector's assertion becomes a failure here
  auto loaded = scenarios::load_scenario(kCutLeader, "cut_leader.json");
  REQUIRE(loaded.ok());
  scenarios::RunResult result;
  REQUIRE_NOTHROW(result = scenarios::run_scenario(*loaded.scenario));
  CHECK(result.passed());
  CHECK(result.events < 100000);  // 1,000,000 events at one instant was the livelock
}

}  // namespace
}  // namespace ksim
