// The producer client against a hand-played broker: batching by batch.size and
// linger.ms, buffer.memory with max.block.ms, delivery.timeout.ms, metadata
// refresh when the leader moves, retries with backoff, and the idempotent
// producer's InitProducerId and per-partition sequences.
#include <catch2/catch.hpp>

#include <map>

#include "core/trace/client_events.h"
#include "tests/producer/producer_harness.h"

namespace ksim::producer::testing {
namespace {

TEST_CASE("records wait linger.ms in their batch, then go in one Produce request", "[producer][accumulator]") {
  ProducerConfig c = harness_config();
  c.linger_ms = 20;
  ProducerHarness h(c);
  auto a = h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  auto b = h.producer->send("orders", std::string("k"));
  h.advance(millis(10));
  CHECK(h.take<ProduceRequest>().empty());  // still lingering
  h.advance(millis(15));
  auto produce = h.take<ProduceRequest>();
  REQUIRE(produce.size() == 1);
  REQUIRE(produce[0].second.partitions.size() == 1);
  CHECK(produce[0].second.partitions[0].batch.records.size() == 2);
  h.answer_produce(produce[0], Errc::none, 40);
  REQUIRE(a.done());
  REQUIRE(b.done());
  CHECK(a.metadata().offset == Offset(40));
  CHECK(b.metadata().offset == Offset(41));
}

TEST_CASE("a batch that reaches batch.size is sent at once, without waiting for linger.ms", "[producer][accumulator]") {
  ProducerConfig c = harness_config();
  c.linger_ms = 10000;
  c.batch_size = 400;  // a record is 7 + 1 + 100 = 108 bytes, the header 61: three records fill it
  c.value_bytes = 100;
  ProducerHarness h(c);
  h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  h.producer->send("orders", std::string("k"));
  CHECK(h.take<ProduceRequest>().empty());
  h.producer->send("orders", std::string("k"));
  auto produce = h.take<ProduceRequest>();
  REQUIRE(produce.size() == 1);
  CHECK(produce[0].second.partitions[0].batch.records.size() == 3);
  CHECK(produce[0].second.partitions[0].batch.size_bytes() <= 400);
}

TEST_CASE("a send beyond buffer.memory waits, and fails after max.block.ms if no memory is freed",
          "[producer][accumulator]") {
  ProducerConfig c = harness_config();
  c.batch_size = 1000;
  c.buffer_memory = 2000;  // two batches
  c.max_block_ms = 500;
  c.linger_ms = 0;
  ProducerHarness h(c);
  h.producer->send("orders", std::string("a"), PartitionId(0));
  h.answer_metadata("orders", {1, 1, 1});
  h.producer->send("orders", std::string("b"), PartitionId(1));
  auto third = h.producer->send("orders", std::string("c"), PartitionId(2));
  CHECK(h.producer->parked_sends() == 1);
  CHECK(h.producer->accumulator().allocated_bytes() == 2000);
  h.advance(millis(499));
  CHECK_FALSE(third.done());
  h.advance(millis(2));
  REQUIRE(third.done());
  CHECK(third.error() == Errc::request_timed_out);
}

TEST_CASE("a parked send goes ahead as soon as a completed batch frees its memory", "[producer][accumulator]") {
  ProducerConfig c = harness_config();
  c.batch_size = 1000;
  c.buffer_memory = 1000;
  c.linger_ms = 0;
  ProducerHarness h(c);
  h.producer->send("orders", std::string("a"), PartitionId(0));
  h.answer_metadata("orders", {1, 1});
  auto second = h.producer->send("orders", std::string("b"), PartitionId(1));
  CHECK(h.producer->parked_sends() == 1);
  auto produce = h.take<ProduceRequest>();
  REQUIRE(produce.size() == 1);
  h.answer_produce(produce[0], Errc::none, 0);
  CHECK(h.producer->parked_sends() == 0);
  h.advance(millis(1));
  auto next = h.take<ProduceRequest>();
  REQUIRE(next.size() == 1);
  CHECK(next[0].second.partitions[0].tp.partition == PartitionId(1));
  h.answer_produce(next[0], Errc::none, 7);
  CHECK(second.ok());
}

TEST_CASE("a record larger than max.request.size fails at once with MESSAGE_TOO_LARGE", "[producer][accumulator]") {
  ProducerConfig c = harness_config();
  c.max_request_size = 500;
  ProducerHarness h(c);
  auto big = h.producer->send("orders", std::nullopt, std::nullopt, {}, 1000);
  REQUIRE(big.done());
  CHECK(big.error() == Errc::message_too_large);
}

TEST_CASE("without a leader, records expire after delivery.timeout.ms", "[producer][sender]") {
  ProducerConfig c = harness_config();
  c.delivery_timeout_ms = 40000;
  ProducerHarness h(c);
  auto a = h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {-1});  // no leader
  h.advance(millis(39000));
  CHECK_FALSE(a.done());
  h.advance(millis(1100));
  REQUIRE(a.done());
  CHECK(a.error() == Errc::request_timed_out);
  const auto responses = h.env.traced_of<trace::ProducerResponse>();
  REQUIRE(!responses.empty());
  CHECK(responses.back().outcome == "expired");
}

TEST_CASE("a batch still in flight at delivery.timeout.ms fails then, and the late answer is ignored",
          "[producer][sender]") {
  ProducerConfig c = harness_config();
  c.linger_ms = 0;
  c.request_timeout_ms = 30000;
  c.delivery_timeout_ms = 30500;
  ProducerHarness h(c);
  auto a = h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  REQUIRE(h.take<ProduceRequest>().size() == 1);  // never answered: times out at 30 s
  h.advance(millis(30300));                       // the retry (after ~100 ms of backoff) is in flight
  auto retry = h.take<ProduceRequest>();
  REQUIRE(retry.size() == 1);
  CHECK_FALSE(a.done());
  // Nothing else is due before the batch's deadline: the producer wakes for it.
  h.advance(millis(199));
  CHECK_FALSE(a.done());
  h.advance(millis(2));
  REQUIRE(a.done());
  CHECK(a.error() == Errc::request_timed_out);
  CHECK(h.env.traced_of<trace::ProducerResponse>().back().outcome == "expired");
  h.answer_produce(retry[0], Errc::none, 9);
  CHECK(h.env.traced_of<trace::ProducerResponse>().back().outcome == "ignored");
  CHECK(a.error() == Errc::request_timed_out);
  CHECK(h.producer->accumulator().allocated_bytes() == 0);
}

TEST_CASE("NOT_LEADER_OR_FOLLOWER refreshes metadata and the retry goes to the new leader after retry.backoff.ms",
          "[producer][sender]") {
  ProducerConfig c = harness_config();
  c.linger_ms = 0;
  ProducerHarness h(c);
  auto a = h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  auto first = h.take<ProduceRequest>();
  REQUIRE(first.size() == 1);
  CHECK(first[0].first == kBroker1);
  h.answer_produce(first[0], Errc::not_leader_or_follower, -1);
  CHECK_FALSE(a.done());
  h.answer_metadata("orders", {2});  // the refresh the error asked for
  h.advance(millis(50));
  CHECK(h.take<ProduceRequest>().empty());  // backing off (100 ms +- 20%)
  h.advance(millis(100));
  auto retry = h.take<ProduceRequest>();
  REQUIRE(retry.size() == 1);
  CHECK(retry[0].first == kBroker2);
  h.answer_produce(retry[0], Errc::none, 3);
  REQUIRE(a.ok());
  CHECK(a.metadata().offset == Offset(3));
  const auto attempts = h.env.traced_of<trace::ProducerAttempt>();
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[1].attempt == 2);
  CHECK(attempts[1].batch == attempts[0].batch);
}

TEST_CASE("metadata is refreshed after metadata.max.age.ms even without errors", "[producer][metadata]") {
  ProducerConfig c = harness_config();
  c.metadata_max_age_ms = 10000;
  ProducerHarness h(c);
  h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  h.advance(millis(9000));
  CHECK(h.take<MetadataRequest>().empty());
  h.advance(millis(1500));
  CHECK(h.take<MetadataRequest>().size() == 1);
}

TEST_CASE("max.in.flight.requests.per.connection bounds the Produce requests outstanding to one broker",
          "[producer][sender]") {
  ProducerConfig c = harness_config();
  c.linger_ms = 0;
  c.max_in_flight_requests_per_connection = 2;
  ProducerHarness h(c);
  h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  for (int i = 0; i < 4; ++i) {
    h.advance(millis(1));
    h.producer->send("orders", std::string("k"));
  }
  h.advance(millis(1));
  auto produce = h.take<ProduceRequest>();
  CHECK(produce.size() == 2);
  CHECK(h.producer->in_flight_requests(kBroker1) == 2);
  h.answer_produce(produce[0], Errc::none, 0);
  h.advance(millis(1));
  CHECK(h.take<ProduceRequest>().size() == 1);
}

TEST_CASE("the idempotent producer asks for a producer id first, then numbers each partition's batches from 0",
          "[producer][idempotence]") {
  ProducerConfig c = harness_config();
  c.enable_idempotence = true;
  c.linger_ms = 0;
  ProducerHarness h(c);
  h.producer->send("orders", std::string("k"), PartitionId(0));
  h.answer_metadata("orders", {1, 1});
  CHECK(h.take<ProduceRequest>().empty());  // no producer id yet
  h.answer_init_producer_id(4000, 0);
  auto first = h.take<ProduceRequest>();
  REQUIRE(first.size() == 1);
  const RecordBatch& b0 = first[0].second.partitions[0].batch;
  CHECK(b0.producer_id == ProducerId(4000));
  CHECK(b0.producer_epoch == ProducerEpoch(0));
  CHECK(b0.base_sequence == Sequence(0));
  h.answer_produce(first[0], Errc::none, 0);
  h.producer->send("orders", std::string("k"), PartitionId(0));
  h.producer->send("orders", std::string("k"), PartitionId(1));
  h.advance(millis(1));
  std::map<int32_t, int32_t> sequence_of;  // partition -> base sequence
  for (const auto& r : h.take<ProduceRequest>())
    for (const auto& p : r.second.partitions) sequence_of[p.tp.partition.value] = p.batch.base_sequence.value;
  CHECK(sequence_of == std::map<int32_t, int32_t>{{0, 1}, {1, 0}});
}

TEST_CASE("an idempotent retry keeps its sequence, and later batches wait until it is the first in flight",
          "[producer][idempotence]") {
  ProducerConfig c = harness_config();
  c.enable_idempotence = true;
  c.linger_ms = 0;
  ProducerHarness h(c);
  auto a = h.producer->send("orders", std::string("k"));
  h.answer_metadata("orders", {1});
  h.answer_init_producer_id(7, 0);
  auto r1 = h.take<ProduceRequest>();
  REQUIRE(r1.size() == 1);
  h.advance(millis(1));
  auto b = h.producer->send("orders", std::string("k"));
  h.advance(millis(1));
  auto r2 = h.take<ProduceRequest>();
  REQUIRE(r2.size() == 1);
  CHECK(r2[0].second.partitions[0].batch.base_sequence == Sequence(1));
  // The first request's answer is lost (a timeout); the second one is rejected
  // as out of order because the broker never saw sequence 0.
  h.answer_produce(r2[0], Errc::out_of_order_sequence_number, -1);
  h.advance(millis(30000));  // request.timeout.ms for the first
  h.take<MetadataRequest>();
  h.advance(millis(2000));
  auto retries = h.take<ProduceRequest>();
  REQUIRE(!retries.empty());
  // The first retry to go is sequence 0, alone; sequence 1 waits for it.
  CHECK(retries[0].second.partitions[0].batch.base_sequence == Sequence(0));
  for (const auto& r : retries)
    for (const auto& p : r.second.partitions) CHECK(p.batch.base_sequence == Sequence(0));
  h.answer_produce(retries[0], Errc::none, 0);
  h.advance(millis(2000));
  auto second = h.take<ProduceRequest>();
  REQUIRE(second.size() == 1);
  CHECK(second[0].second.partitions[0].batch.base_sequence == Sequence(1));
  h.answer_produce(second[0], Errc::none, 1);
  CHECK(a.ok());
  CHECK(b.ok());
  CHECK(b.metadata().offset == Offset(1));
}

TEST_CASE("record ids continue across producer incarnations that share a lineage, and the session changes",
          "[producer][restart]") {
  auto lineage = std::make_shared<ProducerLineage>();
  test::FakeEnv env(kProducerNode, 1);
  const auto cfg = *validate_producer_config(harness_config()).effective;
  RecordId first, second;
  {
    KafkaProducer p(env, cfg, lineage);
    first = p.send("orders").record();
    CHECK(p.session() == 1);
  }
  KafkaProducer p2(env, cfg, lineage);
  second = p2.send("orders").record();
  CHECK(p2.session() == 2);
  CHECK(record_send_index(second) == record_send_index(first) + 1);
}

}  // namespace
}  // namespace ksim::producer::testing
