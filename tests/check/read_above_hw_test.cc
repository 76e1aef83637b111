// read-above-hw: a consumer never polls a record at or above the HW of the
// broker that handed it over (Kafka's FetchIsolation.HIGH_WATERMARK).
#include <catch2/catch.hpp>

#include <algorithm>
#include <variant>

#include "check/trace_builder.h"
#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/check/read_above_hw.h"

namespace ksim::check {
namespace {

using test::TraceBuilder;

// Two records on all three brokers; broker-1 leads and its HW covers only
// the first when it answers c1's fetch.
struct TwoRecords {
  TraceBuilder t;
  RecordId m0, m1;
  TwoRecords() {
    t.topic("orders", 1);
    t.partition_state("orders-0", 1, {1, 2, 3});
    m0 = t.send("p1", "orders-0");
    m1 = t.send("p1", "orders-0");
    t.tick();
    for (auto b : {"broker-1", "broker-2", "broker-3"}) t.append(b, "orders-0", 0, {m0, m1});
    t.hw("broker-1", "orders-0", 1);
    t.tick();
  }
};

TEST_CASE("read-above-hw holds when a consumer polls only what the leader's HW covered when it answered",
          "[check][read-above-hw]") {
  TwoRecords r;
  r.t.served("broker-1", "c1", "orders-0", 0, {r.m0}, 1);
  r.t.tick();
  r.t.poll("c1", "g1", 1, "orders-0", {{0, r.m0}});
  r.t.tick();
  // m1 is served only once the HW passed it.
  r.t.hw("broker-1", "orders-0", 2);
  r.t.served("broker-1", "c1", "orders-0", 1, {r.m1}, 2);
  r.t.tick();
  r.t.poll("c1", "g1", 1, "orders-0", {{1, r.m1}});
  CHECK(check_read_above_hw(r.t.history()).holds());
}

TEST_CASE("read-above-hw flags a polled record that was at the leader's HW when the leader handed it over",
          "[check][read-above-hw]") {
  TwoRecords r;
  // The answer claims HW 2, but broker-1's own HW was 1: m1 was not committed.
  r.t.served("broker-1", "c1", "orders-0", 0, {r.m0, r.m1}, 2);
  r.t.tick();
  r.t.hw("broker-1", "orders-0", 2);  // the HW passing it later does not excuse the read
  r.t.poll("c1", "g1", 1, "orders-0", {{0, r.m0}, {1, r.m1}});
  const CheckResult result = check_read_above_hw(r.t.history());
  CHECK(result.count == 1);
  REQUIRE(result.examples.size() == 1);
  CHECK(result.examples[0].records == std::vector<RecordId>{r.m1});
  CHECK(result.examples[0].offsets == std::vector<Offset>{Offset(1), Offset(1)});
  CHECK(result.examples[0].explanation.find("HW at 1") != std::string::npos);
}

TEST_CASE("read-above-hw judges against the HW a restarted leader recovered, not the one it had before its crash",
          "[check][read-above-hw]") {
  TwoRecords r;
  r.t.hw("broker-1", "orders-0", 2);
  r.t.crash("broker-1");
  r.t.tick();
  r.t.restart("broker-1");
  r.t.recovered("broker-1", "orders-0", 2, 0);  // the checkpoint said 0
  r.t.served("broker-1", "c1", "orders-0", 0, {r.m0, r.m1}, 2);
  r.t.tick();
  r.t.poll("c1", "g1", 1, "orders-0", {{0, r.m0}, {1, r.m1}});
  CHECK(check_read_above_hw(r.t.history()).count == 2);
}

TEST_CASE("read-above-hw does not judge a record served above the HW that the consumer never polled",
          "[check][read-above-hw]") {
  TwoRecords r;
  r.t.served("broker-1", "c1", "orders-0", 0, {r.m0, r.m1}, 1);
  r.t.tick();
  r.t.poll("c1", "g1", 1, "orders-0", {{0, r.m0}});
  CHECK(check_read_above_hw(r.t.history()).holds());
}

// The bundled lesson, then the same trace with a planted broker bug: the
// leader's HW had not reached the records of its first answer to a consumer
// when it handed them over.
TEST_CASE("read-above-hw holds on the bundled consumer scenario and catches a leader serving above its HW planted "
          "in its trace",
          "[check][read-above-hw]") {
  auto loaded = scenarios::load_scenario_file(scenarios::bundled_scenario_dir() + "/consumer_never_sees_above_hw.json");
  REQUIRE(loaded.ok());
  scenarios::ScenarioRun run(*loaded.scenario, {});
  run.run();
  const TraceHeader& header = run.trace().header();
  std::vector<TraceEvent> events = run.trace().events();
  const History clean = build_history(header, events);
  REQUIRE_FALSE(clean.served.empty());
  REQUIRE_FALSE(clean.polls.empty());
  CHECK(check_read_above_hw(clean).holds());

  // The first answer whose records a consumer then polled.
  size_t at = events.size();
  for (size_t i = 0; i < events.size() && at == events.size(); ++i) {
    const auto* f = std::get_if<trace::FetchServed>(&events[i].payload);
    if (!f) continue;
    for (size_t j = i + 1; j < events.size() && at == events.size(); ++j) {
      const auto* p = std::get_if<trace::ConsumerPolled>(&events[j].payload);
      if (p && events[j].node == f->to && std::find(p->records.begin(), p->records.end(), f->records.back()) != p->records.end())
        at = i;
    }
  }
  REQUIRE(at < events.size());
  const auto served = std::get<trace::FetchServed>(events[at].payload);
  const Offset last = served.first_offset + static_cast<int64_t>(served.records.size()) - 1;
  TraceEvent planted{events[at].time, events[at].seq, events[at].node,
                     trace::HighWatermarkChanged{served.topic, served.partition, served.high_watermark, last}};
  events.insert(events.begin() + static_cast<std::ptrdiff_t>(at), planted);
  for (size_t i = 0; i < events.size(); ++i) events[i].seq = i;
  const CheckResult caught = check_read_above_hw(build_history(header, events));
  CHECK(caught.count >= 1);
}

}  // namespace
}  // namespace ksim::check
