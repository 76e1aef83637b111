// The producer's invariant checks run after every event of its node, so the
// accumulator and the idempotence manager re-check only the partitions changed
// since the last check (record_accumulator.h, idempotence_manager.h). These
// tests plant a broken state through a batch pointer (as a bug in the producer
// could), see that an untouched partition is not re-checked, and see the state
// caught, with the full check's message, as soon as the component's own API
// changes that partition.
#include <catch2/catch.hpp>

#include <string>

#include "core/producer/idempotence_manager.h"
#include "core/producer/record_accumulator.h"
#include "tests/support/throw_on_assert.h"

namespace ksim::producer::testing {
namespace {

using ksim::test::PlantedViolation;
using ksim::test::ThrowOnAssert;

TopicPartition orders(int32_t p) { return TopicPartition{TopicName("orders"), PartitionId(p)}; }

Record record(uint64_t id, int32_t value_bytes) {
  return Record{RecordId(id), "k", true, value_bytes, 0};
}

template <class F>
std::string caught_by(F&& check) {
  try {
    check();
  } catch (const PlantedViolation& e) {
    return e.what();
  }
  return {};
}

TEST_CASE("an open batch planted before the last of its queue is caught once the accumulator changes that queue",
          "[producer][accumulator][invariants]") {
  AccumulatorConfig c;
  c.batch_size = 200;  // header 61 + one record of 7 + 1 + 100: a second one does not fit
  RecordAccumulator acc(c);
  uint64_t next_batch_id = 0;
  const AppendResult first = acc.append(orders(0), record(1, 100), nullptr, SimTime{}, next_batch_id);
  acc.append(orders(0), record(2, 100), nullptr, SimTime{}, next_batch_id);  // a second batch; the first is closed
  acc.append(orders(1), record(3, 10), nullptr, SimTime{}, next_batch_id);
  acc.check_invariants();
  REQUIRE(first.batch->closed);

  ThrowOnAssert guard;
  first.batch->closed = false;  // the planted bug: an open batch that is not its queue's last
  // Nothing changed orders-0 through the accumulator since the last check:
  // that queue is not walked again, and a change to another queue does not walk it either.
  CHECK(caught_by([&] { acc.check_invariants(); }).empty());
  acc.append(orders(1), record(4, 10), nullptr, SimTime{}, next_batch_id);
  CHECK(caught_by([&] { acc.check_invariants(); }).empty());

  acc.append(orders(0), record(5, 10), nullptr, SimTime{}, next_batch_id);
  CHECK_THAT(caught_by([&] { acc.check_invariants(); }),
             Catch::Contains("an open batch of orders is not the last in its queue"));
}

TEST_CASE("a queue changed by a drain is re-checked", "[producer][accumulator][invariants]") {
  AccumulatorConfig c;
  c.batch_size = 200;
  RecordAccumulator acc(c);
  uint64_t next_batch_id = 0;
  const AppendResult first = acc.append(orders(0), record(1, 100), nullptr, SimTime{}, next_batch_id);
  const AppendResult second = acc.append(orders(0), record(2, 100), nullptr, SimTime{}, next_batch_id);
  acc.append(orders(0), record(3, 100), nullptr, SimTime{}, next_batch_id);
  acc.check_invariants();
  REQUIRE(second.batch->closed);

  ThrowOnAssert guard;
  second.batch->closed = false;  // planted: the middle of three batches open again
  CHECK(caught_by([&] { acc.check_invariants(); }).empty());
  Rng rng(1);
  const auto drained = acc.drain(1, {orders(0)}, 1 << 20, SimTime{} + millis(1), nullptr, rng);
  REQUIRE(drained.size() == 1);
  CHECK(drained[0].get() == first.batch);
  CHECK_THAT(caught_by([&] { acc.check_invariants(); }),
             Catch::Contains("an open batch of orders is not the last in its queue"));
}

TEST_CASE("in-flight sequences planted out of order are caught once that partition's entry changes",
          "[producer][idempotence][invariants]") {
  IdempotenceManager idem;
  idem.set_producer_id_and_epoch(ProducerId(7), ProducerEpoch(0));
  ProducerBatch a, b, c, other;
  a.id = 1;
  a.tp = orders(0);
  a.records = {record(1, 10), record(2, 10)};
  b.id = 2;
  b.tp = orders(0);
  b.records = {record(3, 10)};
  c.id = 3;
  c.tp = orders(0);
  c.records = {record(4, 10)};
  other.id = 4;
  other.tp = orders(1);
  other.records = {record(5, 10)};
  idem.assign_sequence(a);
  idem.assign_sequence(b);
  idem.check_invariants();
  REQUIRE(b.base_sequence == Sequence(2));

  ThrowOnAssert guard;
  b.base_sequence = a.base_sequence;  // the planted bug: two in-flight batches share a sequence
  CHECK(caught_by([&] { idem.check_invariants(); }).empty());  // orders-0 unchanged since the last check
  idem.assign_sequence(other);
  CHECK(caught_by([&] { idem.check_invariants(); }).empty());  // orders-1 changed, orders-0 did not

  idem.assign_sequence(c);
  CHECK_THAT(caught_by([&] { idem.check_invariants(); }), Catch::Contains("in-flight sequences of orders not increasing"));
}

}  // namespace
}  // namespace ksim::producer::testing
