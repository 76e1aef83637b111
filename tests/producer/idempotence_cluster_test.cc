// The idempotent producer end to end, against the broker's ProducerStateManager
// (KIP-98): what a lost acknowledgement or a lost request does with and without
// enable.idempotence, judged by the checkers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "core/trace/client_events.h"
#include "tests/producer/producer_cluster_fixture.h"

namespace ksim::producer::testing {
namespace {

ProducerConfig idempotent(int32_t in_flight) {
  ProducerConfig c;
  c.enable_idempotence = true;
  c.linger_ms = 0;
  c.request_timeout_ms = 2000;
  c.delivery_timeout_ms = 60000;
  c.max_in_flight_requests_per_connection = in_flight;
  return c;
}

TEST_CASE("the idempotent producer gets a producer id from InitProducerId before its first Produce",
          "[producer][idempotence][cluster]") {
  ProducerClusterFixture f(idempotent(5));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  CHECK(hs[0].ok());
  REQUIRE(f.producer().idempotence().has_producer_id());
  bool attempt_had_id = false;
  for (const auto& e : f.sim().trace().events())
    if (const auto* a = std::get_if<trace::ProducerAttempt>(&e.payload))
      attempt_had_id = a->producer_id == f.producer().idempotence().producer_id() && a->base_sequence == Sequence(0);
  CHECK(attempt_had_id);
}

TEST_CASE("with idempotence a lost ProduceResponse does not duplicate: the retry gets the original offset",
          "[producer][idempotence][cluster]") {
  ProducerClusterFixture f(idempotent(1));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  f.lose_next("ProduceResponse");
  hs.push_back(f.send());
  REQUIRE(f.await(hs));
  REQUIRE(hs[1].ok());
  CHECK(hs[1].metadata().offset == Offset(1));  // where the first, unacknowledged attempt was written
  f.cluster().run_for(seconds(1));
  CHECK(f.check("duplicate").holds());
  // The lost answer broke the connection: the producer heard of it at once, not after request.timeout.ms.
  CHECK(f.responses() == std::vector<std::string>{"NONE/acked", "NETWORK_EXCEPTION/retry", "NONE/acked"});
}

TEST_CASE("with idempotence and 5 requests in flight, a lost request breaks the connection, the requests behind it are "
          "retried with it and per-partition order holds",
          "[producer][idempotence][cluster]") {
  ProducerClusterFixture f(idempotent(5));
  std::vector<DeliveryHandle> hs{f.send()};
  REQUIRE(f.await(hs));
  f.lose_next("Produce");
  f.send_spaced(hs, 4);
  REQUIRE(f.await(hs));
  for (size_t i = 0; i < hs.size(); ++i) {
    CHECK(hs[i].ok());
    if (i > 0) CHECK(hs[i].metadata().offset == hs[i - 1].metadata().offset + 1);
  }
  f.cluster().run_for(seconds(1));
  CHECK(f.check("reorder").holds());
  CHECK(f.check("duplicate").holds());
  // The lost request broke the connection, and the three sent behind it on
  // that connection were lost with it (TCP delivers nothing past a hole): all
  // four failed together and were retried in sequence order, so the broker
  // never saw a gap.
  const auto r = f.responses();
  CHECK(std::count(r.begin(), r.end(), "NETWORK_EXCEPTION/retry") == 4);
  CHECK(std::count(r.begin(), r.end(), "OUT_OF_ORDER_SEQUENCE_NUMBER/retry") == 0);
}

TEST_CASE("a batch over the topic's max.message.bytes is split and re-sent: each record lands once, in order",
          "[producer][idempotence][cluster][split]") {
  // Sender.completeBatch -> RecordAccumulator.splitAndReenqueue (KIP-126):
  // the first split cuts at batch.size, which remakes the same 7 records; the
  // split batch refused again is halved (KAFKA-8350). The pieces take the
  // batch's sequences in turn, so the broker sees 0, 3, 6 and no gap.
  ProducerConfig c = idempotent(5);
  c.linger_ms = 50;
  c.value_bytes = 300;  // a record is 307 bytes
  ClusterOptions o;
  o.topic_configs["max.message.bytes"] = "2000";
  ProducerClusterFixture f(c, o);
  std::vector<DeliveryHandle> hs;
  for (int i = 0; i < 7; ++i) hs.push_back(f.send());  // one batch of 61 + 7 x 307 = 2210 bytes
  REQUIRE(f.await(hs));
  for (size_t i = 0; i < hs.size(); ++i) {
    CHECK(hs[i].ok());
    CHECK(hs[i].metadata().offset == Offset(static_cast<int64_t>(i)));
  }
  int splits = 0;
  std::vector<int32_t> acked_sequences;
  std::map<uint64_t, int32_t> sequence_of_batch;
  for (const auto& e : f.sim().trace().events()) {
    if (const auto* a = std::get_if<trace::ProducerAttempt>(&e.payload)) sequence_of_batch[a->batch] = a->base_sequence.value;
    if (const auto* r = std::get_if<trace::ProducerResponse>(&e.payload)) {
      if (r->outcome == "split") {
        CHECK(r->error == "MESSAGE_TOO_LARGE");
        ++splits;
      }
      if (r->outcome == "acked") acked_sequences.push_back(sequence_of_batch[r->batch]);
    }
  }
  CHECK(splits == 2);
  CHECK(acked_sequences == std::vector<int32_t>{0, 3, 6});
  CHECK(f.check("duplicate").holds());
  CHECK(f.check("reorder").holds());
  CHECK(f.check("lost-write").holds());
}

}  // namespace
}  // namespace ksim::producer::testing
