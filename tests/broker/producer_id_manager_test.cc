// The broker's producer id blocks (Kafka's RPCProducerIdManager): lazy first
// block, prefetch at 90%, COORDINATOR_LOAD_IN_PROGRESS while dry, 50 ms
// backoff after a failed allocation.
#include <catch2/catch.hpp>

#include "core/broker/producer_id_manager.h"
#include "tests/support/fake_env.h"

namespace ksim {
namespace {

const NodeId kController{0};

struct Manager {
  test::FakeEnv env{NodeId(1)};
  RequestTracker tracker{env, 1};
  ProducerIdManager m{env, tracker, kController, BrokerId(1), [] { return BrokerEpoch(8); }, 30000};

  std::vector<AllocateProducerIdsRequest> allocations() const {
    std::vector<AllocateProducerIdsRequest> out;
    for (const auto& s : env.sent)
      if (const auto* r = std::get_if<AllocateProducerIdsRequest>(&s.msg)) out.push_back(*r);
    return out;
  }
  void answer(const AllocateProducerIdsRequest& req, Errc error, int64_t start, int32_t len) {
    AllocateProducerIdsResponse r;
    r.correlation_id = req.correlation_id;
    r.error = error;
    r.producer_id_start = ProducerId(start);
    r.producer_id_len = len;
    REQUIRE(tracker.on_response(kController, r));
  }
};

TEST_CASE("a broker without a block answers COORDINATOR_LOAD_IN_PROGRESS and asks the controller once",
          "[broker][idempotence]") {
  Manager t;
  CHECK(t.m.generate_producer_id().first == Errc::coordinator_load_in_progress);
  CHECK(t.m.generate_producer_id().first == Errc::coordinator_load_in_progress);
  const auto sent = t.allocations();
  REQUIRE(sent.size() == 1);  // one request in flight at a time
  CHECK(sent[0].broker_id == BrokerId(1));
  CHECK(sent[0].broker_epoch == BrokerEpoch(8));
  t.answer(sent[0], Errc::none, 0, 1000);
  CHECK(t.m.generate_producer_id() == std::pair{Errc::none, ProducerId(0)});
  CHECK(t.m.generate_producer_id() == std::pair{Errc::none, ProducerId(1)});
  t.m.check_invariants();
}

TEST_CASE("the next block is fetched when 90% of the current one is claimed, so ids never run dry",
          "[broker][idempotence]") {
  Manager t;
  t.m.generate_producer_id();
  t.answer(t.allocations()[0], Errc::none, 3000, 1000);
  for (int64_t i = 0; i < 900; ++i) REQUIRE(t.m.generate_producer_id().second == ProducerId(3000 + i));
  CHECK(t.allocations().size() == 1);
  CHECK(t.m.generate_producer_id().second == ProducerId(3900));  // the 90% mark
  REQUIRE(t.allocations().size() == 2);
  t.answer(t.allocations()[1], Errc::none, 7000, 1000);
  CHECK(t.m.has_prefetched_block());
  for (int64_t i = 3901; i < 4000; ++i) REQUIRE(t.m.generate_producer_id().second == ProducerId(i));
  CHECK(t.m.generate_producer_id().second == ProducerId(7000));  // straight into the next block
  CHECK_FALSE(t.m.has_prefetched_block());
  CHECK(t.allocations().size() == 2);
  t.m.check_invariants();
}

TEST_CASE("after a failed allocation the broker waits 50 ms before asking again", "[broker][idempotence]") {
  Manager t;
  t.m.generate_producer_id();
  t.answer(t.allocations()[0], Errc::stale_broker_epoch, -1, 0);
  CHECK(t.m.generate_producer_id().first == Errc::coordinator_load_in_progress);
  t.env.advance(millis(49));
  CHECK(t.m.generate_producer_id().first == Errc::coordinator_load_in_progress);
  CHECK(t.allocations().size() == 1);
  t.env.advance(millis(1));
  CHECK(t.m.generate_producer_id().first == Errc::coordinator_load_in_progress);
  CHECK(t.allocations().size() == 2);
}

TEST_CASE("a block that is not after the current one is refused", "[broker][idempotence]") {
  Manager t;
  t.m.generate_producer_id();
  t.answer(t.allocations()[0], Errc::none, 5000, 1000);
  for (int i = 0; i <= 900; ++i) t.m.generate_producer_id();
  REQUIRE(t.allocations().size() == 2);
  t.answer(t.allocations()[1], Errc::none, 1000, 1000);  // goes back: ignored, with backoff
  CHECK_FALSE(t.m.has_prefetched_block());
  CHECK_FALSE(t.m.request_in_flight());
}

TEST_CASE("a lost AllocateProducerIds may be retried at once", "[broker][idempotence]") {
  Manager t;
  t.m.generate_producer_id();
  t.tracker.on_connection_lost(kController);
  CHECK_FALSE(t.m.request_in_flight());
  t.m.generate_producer_id();
  CHECK(t.allocations().size() == 2);
}

TEST_CASE("InitProducerId answers a new id with epoch 0, or INVALID_REQUEST for half an id", "[broker][idempotence]") {
  Manager t;
  t.m.generate_producer_id();
  t.answer(t.allocations()[0], Errc::none, 0, 1000);
  InitProducerIdRequest req;
  req.correlation_id = 5;
  t.m.handle_init_producer_id(NodeId(9), req);
  // KIP-360 epoch bump without a transactional id: a fresh id all the same.
  req.producer_id = ProducerId(0);
  req.producer_epoch = ProducerEpoch(0);
  t.m.handle_init_producer_id(NodeId(9), req);
  req.producer_epoch = ProducerEpoch(-1);
  t.m.handle_init_producer_id(NodeId(9), req);
  std::vector<InitProducerIdResponse> answers;
  for (const auto& s : t.env.sent)
    if (const auto* r = std::get_if<InitProducerIdResponse>(&s.msg)) answers.push_back(*r);
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].correlation_id == 5);
  CHECK(answers[0].producer_id == ProducerId(0));  // the first call above only fetched the block
  CHECK(answers[0].producer_epoch == ProducerEpoch(0));
  CHECK(answers[1].producer_id == ProducerId(1));
  CHECK(answers[2].error == Errc::invalid_request);
  CHECK(answers[2].producer_id == ProducerId(-1));
  CHECK(t.env.traced_of<trace::ProducerIdAllocated>().size() == 2);
}

}  // namespace
}  // namespace ksim
