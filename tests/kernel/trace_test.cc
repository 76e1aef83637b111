#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "sim/demo_run.h"
#include "sim/determinism.h"
#include "sim/trace/field_visit.h"
#include "sim/trace/jsonl.h"

namespace ksim {
namespace {

RunFingerprint run_demo(uint64_t seed) {
  DemoOptions o;
  o.seed = seed;
  o.keep_trace_events = false;
  auto sim = build_demo(o);
  sim->run_until(o.until);
  return {sim->trace().hash(), sim->trace().event_count()};
}

TEST_CASE("the same seed gives the same trace hash, over 200 seeds", "[kernel][determinism]") {
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    auto v = check_determinism(run_demo, seed);
    INFO("seed " << seed);
    REQUIRE(v.deterministic());
    REQUIRE(v.first.events > 500);
  }
}

TEST_CASE("different seeds give different runs", "[kernel][determinism]") {
  CHECK(run_demo(1).trace_hash != run_demo(2).trace_hash);
}

TEST_CASE("the demo shows each kernel fault in its trace", "[kernel][demo]") {
  DemoOptions o;
  auto sim = build_demo(o);
  sim->run_until(o.until);
  std::set<std::string_view> kinds;
  std::set<std::string_view> reasons;
  for (const auto& e : sim->trace().events()) {
    kinds.insert(trace::kind_of(e.payload));
    if (auto* d = std::get_if<trace::MessageDropped>(&e.payload)) reasons.insert(d->reason);
  }
  for (auto k : {"node_crashed", "node_paused", "node_resumed", "link_changed", "connection_lost", "disk_lost",
                 "disk_flushed", "fault_injected", "message_dropped"})
    CHECK(kinds.count(k) == 1);
  CHECK(reasons.count("fault_rule") == 1);
  CHECK(reasons.count("link_down") == 1);
}

TEST_CASE("a trace written as JSON Lines reads back identical", "[kernel][trace]") {
  DemoOptions o;
  o.until = SimTime::from_ms(3000);
  auto sim = build_demo(o);
  sim->run_until(o.until);
  std::string text;
  append_jsonl_header(text, sim->trace().header());
  for (const auto& e : sim->trace().events()) append_jsonl_event(text, sim->trace().header(), e);

  std::istringstream in(text);
  LoadedTrace loaded;
  REQUIRE_FALSE(read_jsonl_trace(in, loaded));
  REQUIRE(loaded.events.size() == sim->trace().events().size());
  CHECK(loaded.header.seed == o.seed);
  CHECK(loaded.header.nodes.size() == 5);
  // Writing what was read gives the same bytes.
  std::string again;
  append_jsonl_header(again, loaded.header);
  for (const auto& e : loaded.events) append_jsonl_event(again, loaded.header, e);
  CHECK(again == text);
}

TEST_CASE("a malformed trace file is rejected with its line number", "[kernel][trace]") {
  auto read = [](const std::string& text) {
    std::istringstream in(text);
    LoadedTrace t;
    const auto error = read_jsonl_trace(in, t);
    return error ? error->str() : std::string();
  };
  const std::string header = R"({"ksim_trace":1,"seed":1,"scenario":"s","nodes":[{"name":"a","role":"r"}]})" "\n";
  CHECK(read("") == "line 0: empty file: no trace header");
  CHECK(read("{\"seq\":1}\n") == "line 1: the first line must be the trace header ({\"ksim_trace\": version, ...})");
  CHECK(read(header + "not json\n") == "line 2: not a JSON object");
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"bogus"})" "\n") == "line 2: unknown event kind \"bogus\"");
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"zz","kind":"note","text":"x"})" "\n") == "line 2: unknown node \"zz\"");
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"node_crashed"})" "\n") ==
        "line 2: node_crashed: missing field \"power_loss\"");
  CHECK(read(R"({"ksim_trace":99,"nodes":[]})" "\n") ==
        "line 1: trace schema version 99 is newer than this build understands (1)");
}

TEST_CASE("a trace that is impossible or sizes tables by made-up numbers is rejected with its line",
          "[kernel][trace][hostile]") {
  auto read = [](const std::string& text) {
    std::istringstream in(text);
    LoadedTrace t;
    const auto error = read_jsonl_trace(in, t);
    return error ? error->str() : std::string();
  };
  const std::string header =
      R"({"ksim_trace":1,"seed":1,"scenario":"s","nodes":[{"name":"a","role":"r"},{"name":"b","role":"r"}]})" "\n";
  const std::string note0 = R"({"seq":0,"t_us":50,"node":"a","kind":"note","text":"x"})" "\n";
  CHECK(read(header + note0 + R"({"seq":1,"t_us":40,"node":"a","kind":"note","text":"x"})" "\n") ==
        "line 3: time goes backwards: t_us 40 after 50");
  CHECK(read(header + note0 + R"({"seq":0,"t_us":60,"node":"a","kind":"note","text":"x"})" "\n") ==
        "line 3: \"seq\" 0 after 0: each event's seq is larger than the one before");
  CHECK(read(header + R"({"seq":0,"t_us":-5,"node":"a","kind":"note","text":"x"})" "\n") ==
        "line 2: \"t_us\" is negative (-5)");
  // ksim check once sized a table by this partition number.
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"producer_send","record":1,"topic":"t",)"
                      R"("partition":1000000000,"key":"","has_key":false,"session":0})" "\n")
            .find("line 2: producer_send: partition 1000000000 is out of range") == 0);
  // -1 is a partition not chosen yet, as every producer_send of a run before metadata says.
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"producer_send","record":1,"topic":"t",)"
                      R"("partition":-1,"key":"","has_key":false,"session":0})" "\n") == "");
  // The viewer once padded a log up to this offset.
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"log_appended","topic":"t","partition":0,)"
                      R"("base_offset":1000000000000000,"leader_epoch":0,"producer_id":-1,"records":[1],"leo":0,)"
                      R"("as_leader":true})" "\n") ==
        "line 2: log_appended: offset 1000000000000000 is beyond every record appended so far (1 in log_appended events)");
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"hw_changed","topic":"t","partition":0,"old_hw":0,"hw":-7})" "\n")
            .find("line 2: hw_changed: negative offset -7") == 0);
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"b","kind":"message_delivered","msg_id":4,"from":"a","type":"X"})"
                      "\n") == "line 2: message_delivered: msg_id 4 was never sent before it");
  // An integer too large for its field is not wrapped around.
  CHECK(read(header + R"({"seq":0,"t_us":0,"node":"a","kind":"node_started","incarnation":99999999999})" "\n") ==
        "line 2: node_started: field \"incarnation\" has the wrong type, is out of range or names an unknown node");
  // No newline for ever (/dev/zero): one line too long, not all of memory.
  CHECK(read(header + std::string(kMaxTraceLineBytes + 10, 'x')).find("line 2: longer than") == 0);
  CHECK(read(header + std::string(100, '[') + std::string(100, ']') + "\n") == "line 2: nested deeper than 16 levels");
}

}  // namespace
}  // namespace ksim

namespace ksim {
namespace {

TEST_CASE("every event kind survives a JSON Lines round trip", "[kernel][trace]") {
  TraceHeader header;
  header.nodes = {{"broker-1", "broker"}, {"p1", "producer"}};
  std::string text;
  append_jsonl_header(text, header);
  uint64_t seq = 0;
  trace::for_each_alternative([&](auto index) {
    TraceEvent e;
    e.seq = seq++;
    e.time = SimTime{static_cast<int64_t>(seq * 1000)};
    e.node = NodeId(static_cast<uint32_t>(seq % 2));
    e.payload.template emplace<decltype(index)::value>();
    // The reader rejects a message due before it was sent.
    if (auto* sent = std::get_if<trace::MessageSent>(&e.payload)) sent->deliver_at = e.time;
    append_jsonl_event(text, header, e);
  });
  // Values that exercise nested lists and strong types.
  // (Times after the events above: the reader rejects time going backwards,
  // and offsets beyond the records appended so far.)
  const SimTime later{static_cast<int64_t>(seq * 1000)};
  TraceEvent created{later, seq++, NodeId(0), trace::TopicCreated{"orders", 2, 3, {{1, 2, 3}, {2, 3, 1}}}};
  append_jsonl_event(text, header, created);
  TraceEvent appended{later + micros(1), seq++, NodeId(0),
                      trace::LogAppended{"orders", PartitionId(1), Offset(0), LeaderEpoch(2), ProducerId(-1),
                                         {make_record_id(NodeId(1), 1), make_record_id(NodeId(1), 2)}, Offset(2), true}};
  append_jsonl_event(text, header, appended);

  std::istringstream in(text);
  LoadedTrace loaded;
  REQUIRE_FALSE(read_jsonl_trace(in, loaded));
  REQUIRE(loaded.events.size() == std::variant_size_v<trace::Payload> + 2);
  std::string again;
  append_jsonl_header(again, loaded.header);
  for (const auto& e : loaded.events) append_jsonl_event(again, loaded.header, e);
  CHECK(again == text);
  const auto& back = std::get<trace::TopicCreated>(loaded.events[loaded.events.size() - 2].payload);
  CHECK(back.assignment == std::vector<std::vector<int32_t>>{{1, 2, 3}, {2, 3, 1}});
}

}  // namespace
}  // namespace ksim
