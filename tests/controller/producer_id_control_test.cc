// AllocateProducerIds on the controller (KIP-730, Kafka's
// ProducerIdControlManager): consecutive blocks of 1000, recorded in the
// metadata log, never handed out twice, also across a controller restart.
#include <catch2/catch.hpp>

#include "core/controller/producer_id_control.h"
#include "tests/controller/controller_cluster.h"

namespace ksim {
namespace {

using test::ControllerCluster;
using test::FakeBroker;

AllocateProducerIdsResponse allocate(ControllerCluster& c, int32_t broker, std::optional<int64_t> epoch = {}) {
  const size_t before = c.broker(broker).allocate_responses.size();
  c.act(broker, [&](FakeBroker& b) {
    AllocateProducerIdsRequest req;
    req.correlation_id = 77;
    req.broker_id = b.id();
    req.broker_epoch = epoch ? BrokerEpoch(*epoch) : *b.epoch;
    b.send_raw(req);
  });
  REQUIRE(c.run_until([&] { return c.broker(broker).allocate_responses.size() > before; }, seconds(5)));
  return c.broker(broker).allocate_responses.back();
}

TEST_CASE("the controller hands out consecutive blocks of 1000 producer ids and logs each", "[controller][idempotence]") {
  ControllerCluster c(test::brokers(3));
  c.run_until_all_unfenced();
  const int64_t log_before = c.controller().log().end_offset();
  const auto a = allocate(c, 1);
  const auto b = allocate(c, 2);
  const auto a2 = allocate(c, 1);
  CHECK(a.error == Errc::none);
  CHECK(a.correlation_id == 77);
  CHECK(a.producer_id_start == ProducerId(0));
  CHECK(a.producer_id_len == 1000);
  CHECK(b.producer_id_start == ProducerId(1000));
  CHECK(a2.producer_id_start == ProducerId(2000));
  CHECK(c.controller().log().end_offset() == log_before + 3);
  const auto* last = std::get_if<ProducerIdsRecord>(&c.controller().log().records().back());
  REQUIRE(last);
  CHECK(last->broker == BrokerId(1));
  CHECK(last->next_producer_id == ProducerId(3000));
  CHECK(c.image().next_producer_id() == ProducerId(3000));
  const auto traced = c.events<trace::ProducerIdBlockAllocated>();
  REQUIRE(traced.size() == 3);
  CHECK(traced[1].broker == BrokerId(2));
  CHECK(traced[1].first_producer_id == ProducerId(1000));
  CHECK(traced[1].count == 1000);
  // Brokers replay the record like any other.
  c.run_for(millis(10));
  CHECK(c.broker(3).image.next_producer_id() == ProducerId(3000));
}

TEST_CASE("a wrong broker epoch gets STALE_BROKER_EPOCH and no block", "[controller][idempotence]") {
  ControllerCluster c(test::brokers(1));
  c.run_until_all_unfenced();
  const int64_t log_before = c.controller().log().end_offset();
  const auto r = allocate(c, 1, /*epoch=*/12345);
  CHECK(r.error == Errc::stale_broker_epoch);
  CHECK(r.producer_id_start == ProducerId(-1));
  CHECK(c.controller().log().end_offset() == log_before);
  CHECK(allocate(c, 1).producer_id_start == ProducerId(0));  // nothing was used up
}

TEST_CASE("blocks stay consecutive across a controller restart: the log remembers the next id",
          "[controller][idempotence][crash]") {
  ControllerCluster c(test::brokers(2));
  c.run_until_all_unfenced();
  REQUIRE(allocate(c, 1).producer_id_start == ProducerId(0));
  REQUIRE(allocate(c, 2).producer_id_start == ProducerId(1000));
  c.sim().crash(ControllerCluster::controller_node(), /*power_loss=*/true);
  c.run_for(seconds(1));
  c.sim().restart(ControllerCluster::controller_node());
  c.run_for(millis(1));
  CHECK(c.image().next_producer_id() == ProducerId(2000));
  const auto after = allocate(c, 1);
  CHECK(after.error == Errc::none);
  CHECK(after.producer_id_start == ProducerId(2000));
}

TEST_CASE("the id space ends: no block past Int64 max", "[controller][idempotence]") {
  MetadataImage image;
  image.apply(RegisterBrokerRecord{BrokerId(1), BrokerEpoch(0), NodeId(1), "", 1}, 0);
  image.apply(ProducerIdsRecord{BrokerId(1), BrokerEpoch(0), ProducerId(INT64_MAX - 999)}, 1);
  const ProducerIdBlockResult r = ProducerIdControl(image).generate_next_block(BrokerId(1), BrokerEpoch(0));
  CHECK(r.error == Errc::unknown_server_error);
  CHECK(r.records.empty());

  MetadataImage last_block;
  last_block.apply(RegisterBrokerRecord{BrokerId(1), BrokerEpoch(0), NodeId(1), "", 1}, 0);
  last_block.apply(ProducerIdsRecord{BrokerId(1), BrokerEpoch(0), ProducerId(INT64_MAX - 1000)}, 1);
  const ProducerIdBlockResult ok = ProducerIdControl(last_block).generate_next_block(BrokerId(1), BrokerEpoch(0));
  CHECK(ok.error == Errc::none);
  CHECK(ok.first_producer_id == ProducerId(INT64_MAX - 1000));
}

}  // namespace
}  // namespace ksim
