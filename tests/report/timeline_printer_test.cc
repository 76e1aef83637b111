// The default timeline folds routine client traffic (acks, polls and the
// records processed from them) into one line per client and partition, so a
// run of thousands of records stays readable; anything else notable prints
// the open folds first, and -v still shows every event.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sim/report/timeline_printer.h"

namespace ksim {
namespace {

// Nodes: 0 broker-1, 1 p1, 2 c1.
struct Script {
  TraceHeader header;
  std::vector<TraceEvent> events;
  uint64_t seq = 0;

  Script() {
    header.nodes = {{"broker-1", "broker"}, {"p1", "producer"}, {"c1", "consumer"}};
  }
  void add(int64_t ms, uint32_t node, trace::Payload p) {
    TraceEvent e;
    e.time = SimTime::from_ms(ms);
    e.seq = seq++;
    e.node = NodeId(node);
    e.payload = std::move(p);
    events.push_back(std::move(e));
  }
  static RecordId rec(uint64_t i) { return make_record_id(NodeId(1), i); }
  void ack(int64_t ms, int32_t partition, uint64_t record, int64_t offset) {
    add(ms, 1, trace::ProducerAcked{rec(record), "orders", PartitionId(partition), Offset(offset)});
  }
  void poll(int64_t ms, int32_t partition, int32_t generation, int64_t first, int64_t n, uint64_t first_record) {
    trace::ConsumerPolled p{"g1", GenerationId(generation), "orders", PartitionId(partition), {}, {}};
    for (int64_t i = 0; i < n; ++i) {
      p.offsets.push_back(Offset(first + i));
      p.records.push_back(rec(first_record + static_cast<uint64_t>(i)));
    }
    add(ms, 2, std::move(p));
    for (int64_t i = 0; i < n; ++i)
      add(ms, 2, trace::RecordProcessed{"g1", "orders", PartitionId(partition), Offset(first + i),
                                        rec(first_record + static_cast<uint64_t>(i))});
  }
  std::vector<std::string> print(bool verbose) const {
    std::ostringstream out;
    TimelinePrinter printer(out, verbose);
    for (const auto& e : events) printer.on_event(header, e);
    printer.finish();
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
};

}  // namespace

TEST_CASE("interleaved acknowledgements of two partitions fold into one line per partition",
          "[report][timeline]") {
  Script s;
  for (int i = 0; i < 5; ++i) {
    s.ack(100 + i, 0, static_cast<uint64_t>(2 * i), i);
    s.ack(100 + i, 1, static_cast<uint64_t>(2 * i + 1), i);
  }
  const auto lines = s.print(false);
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains("p1  acked p1#0..p1#8 at orders-0 offsets 0..4 (5 sends, to 104.0 ms)"));
  CHECK_THAT(lines[1], Catch::Contains("p1  acked p1#1..p1#9 at orders-1 offsets 0..4 (5 sends, to 104.0 ms)"));
  CHECK(s.print(true).size() == 10);  // -v: every event
}

TEST_CASE("a consumer's contiguous polls and the records it processed read as one line", "[report][timeline]") {
  Script s;
  s.poll(200, 0, 1, 0, 3, 0);
  s.poll(210, 0, 1, 3, 2, 3);
  const auto lines = s.print(false);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0],
             Catch::Contains("c1  polled orders-0 offsets 0..4 (p1#0..p1#4, 5 records in 2 polls, to 210.0 ms), processed 5"));
  CHECK(s.print(true).size() == 2 + 5);
}

TEST_CASE("a poll that rewinds starts a new line, so a re-delivery stays visible", "[report][timeline]") {
  Script s;
  s.poll(200, 0, 1, 0, 3, 0);
  s.poll(300, 0, 2, 1, 2, 1);  // a new generation re-delivers offsets 1..2
  const auto lines = s.print(false);
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains("polled orders-0 offsets 0..2 (p1#0..p1#2, 3 records), processed 3"));
  CHECK_THAT(lines[1], Catch::Contains("polled orders-0 offsets 1..2 (p1#1..p1#2, 2 records), processed 2"));
}

TEST_CASE("another notable event prints the open folds first, in the order they began", "[report][timeline]") {
  Script s;
  s.ack(100, 0, 0, 0);
  s.poll(150, 0, 1, 0, 1, 0);
  s.ack(160, 0, 1, 1);
  s.add(170, 0, trace::NodeCrashed{false});
  s.ack(180, 0, 2, 2);
  const auto lines = s.print(false);
  REQUIRE(lines.size() == 4);
  CHECK_THAT(lines[0], Catch::Contains("p1  acked p1#0..p1#1 at orders-0 offsets 0..1"));
  CHECK_THAT(lines[1], Catch::Contains("c1  polled orders-0 offset 0 (p1#0), processed 1"));
  CHECK_THAT(lines[2], Catch::Contains("broker-1  CRASHED"));
  CHECK_THAT(lines[3], Catch::Contains("p1  acked p1#2 at orders-0 offset 2"));
}

TEST_CASE("records processed after their poll's line was printed fold on their own line", "[report][timeline]") {
  Script s;
  trace::ConsumerPolled p{"g1", GenerationId(1), "orders", PartitionId(0), {Offset(0), Offset(1)},
                          {Script::rec(0), Script::rec(1)}};
  s.add(100, 2, p);
  s.add(101, 2, trace::OffsetCommitted{"g1", GenerationId(1), "orders", PartitionId(0), Offset(0), "COMMIT_FAILED"});
  s.add(102, 2, trace::RecordProcessed{"g1", "orders", PartitionId(0), Offset(0), Script::rec(0)});
  s.add(103, 2, trace::RecordProcessed{"g1", "orders", PartitionId(0), Offset(1), Script::rec(1)});
  const auto lines = s.print(false);
  REQUIRE(lines.size() == 3);
  CHECK_THAT(lines[0], Catch::Contains("polled orders-0 offsets 0..1 (p1#0..p1#1, 2 records), processed 0"));
  CHECK_THAT(lines[2], Catch::Contains("c1  processed orders-0 offsets 0..1 (p1#0..p1#1, 2 records, to 103.0 ms)"));
}

}  // namespace ksim
