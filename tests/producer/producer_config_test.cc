// ProducerConfig validation as Java's ProducerConfig does it
// (postProcessAndValidateIdempotenceConfigs): explicit idempotence with a
// conflicting setting is an error; default idempotence is silently dropped.
#include <catch2/catch.hpp>

#include "core/producer/producer_config.h"

namespace ksim::producer {
namespace {

ProducerConfig base() {
  ProducerConfig c;
  c.bootstrap = {NodeId(1)};
  return c;
}

TEST_CASE("the default producer config is Kafka 4.x's: idempotent, acks=all, linger.ms=5", "[producer][config]") {
  const ProducerConfigResult r = validate_producer_config(base());
  REQUIRE(r.ok());
  CHECK(r.effective->idempotence);
  CHECK(r.effective->config.acks == Acks::all);
  CHECK(r.effective->config.linger_ms == 5);
  CHECK(r.effective->config.batch_size == 16384);
  CHECK(r.effective->config.max_in_flight_requests_per_connection == 5);
  CHECK(r.effective->config.retries == 2147483647);
  CHECK(r.effective->config.delivery_timeout_ms == 120000);
  CHECK_FALSE(r.effective->idempotence_disabled_by_conflict);
}

TEST_CASE("explicitly enabled idempotence with acks=1 is a config error with Java's message", "[producer][config]") {
  ProducerConfig c = base();
  c.enable_idempotence = true;
  c.acks = Acks::leader;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error == "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.");
}

TEST_CASE("explicitly enabled idempotence with 6 requests in flight is a config error", "[producer][config]") {
  ProducerConfig c = base();
  c.enable_idempotence = true;
  c.max_in_flight_requests_per_connection = 6;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error == "Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.");
}

TEST_CASE("explicitly enabled idempotence with retries=0 is a config error", "[producer][config]") {
  ProducerConfig c = base();
  c.enable_idempotence = true;
  c.retries = 0;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error == "Must set retries to non-zero when using the idempotent producer.");
}

TEST_CASE("default idempotence is silently turned off by acks=1, and the reason is kept", "[producer][config]") {
  ProducerConfig c = base();
  c.acks = Acks::leader;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE(r.ok());
  CHECK_FALSE(r.effective->idempotence);
  CHECK(r.effective->idempotence_disabled_by_conflict);
  CHECK(r.effective->idempotence_note == "Idempotence will be disabled because acks is set to 1, not set to 'all'.");
}

TEST_CASE("default idempotence is silently turned off by max.in.flight.requests.per.connection=10", "[producer][config]") {
  ProducerConfig c = base();
  c.max_in_flight_requests_per_connection = 10;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE(r.ok());
  CHECK_FALSE(r.effective->idempotence);
}

TEST_CASE("explicitly disabled idempotence allows acks=0 and any in-flight count", "[producer][config]") {
  ProducerConfig c = base();
  c.enable_idempotence = false;
  c.acks = Acks::none;
  c.max_in_flight_requests_per_connection = 50;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE(r.ok());
  CHECK_FALSE(r.effective->idempotence);
  CHECK_FALSE(r.effective->idempotence_disabled_by_conflict);
}

TEST_CASE("delivery.timeout.ms below linger.ms + request.timeout.ms is rejected", "[producer][config]") {
  ProducerConfig c = base();
  c.delivery_timeout_ms = 1000;
  c.request_timeout_ms = 30000;
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error == "delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms");
}

TEST_CASE("acks must be all, -1, 0 or 1", "[producer][config]") {
  ProducerConfig c = base();
  c.acks = static_cast<Acks>(2);  // not a valid acks
  const ProducerConfigResult r = validate_producer_config(c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error.find("acks") != std::string::npos);
}

}  // namespace
}  // namespace ksim::producer
