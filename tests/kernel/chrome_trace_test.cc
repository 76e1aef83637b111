// The Chrome trace-event export (sim/trace/chrome_trace.h) of the kernel
// demo, which crashes, pauses and restarts nodes and drops messages: the
// document is valid JSON that Perfetto can lay out.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "sim/demo_run.h"
#include "sim/trace/chrome_trace.h"

namespace ksim {
namespace {

nlohmann::json export_demo(uint64_t seed) {
  std::ostringstream out;
  ChromeTraceWriter writer(out);
  DemoOptions o;
  o.seed = seed;
  o.keep_trace_events = false;
  o.sinks.push_back(&writer);
  auto sim = build_demo(o);
  sim->run_until(o.until);
  writer.finish(sim->trace().header());
  return nlohmann::json::parse(out.str());
}

TEST_CASE("the Chrome export names one track per node and ties each delivered message to its send",
          "[trace][chrome]") {
  const nlohmann::json doc = export_demo(5);
  const auto& events = doc.at("traceEvents");
  REQUIRE(events.is_array());

  std::map<int, std::string> track_names;
  std::set<uint64_t> flow_starts, flow_ends;
  std::map<int, int> open_slices;  // tid -> B minus E so far
  size_t instants = 0;
  for (const auto& e : events) {
    const std::string ph = e.at("ph");
    if (ph == "M" && e.at("name") == "thread_name") track_names[e.at("tid").get<int>()] = e.at("args").at("name");
    if (ph == "s") flow_starts.insert(e.at("id").get<uint64_t>());
    if (ph == "f") {
      flow_ends.insert(e.at("id").get<uint64_t>());
      CHECK(e.at("bp") == "e");
    }
    if (ph == "B") ++open_slices[e.at("tid").get<int>()];
    if (ph == "E") {
      --open_slices[e.at("tid").get<int>()];
      CHECK(open_slices[e.at("tid").get<int>()] >= 0);  // never an end without a begin
    }
    if (ph == "i") ++instants;
  }
  // The demo's five nodes, each named with its role.
  REQUIRE(track_names.size() == 5);
  CHECK(track_names.begin()->second.find("(demo)") != std::string::npos);
  // Every delivered message was sent; dropped ones have a start and no end.
  for (uint64_t id : flow_ends) CHECK(flow_starts.count(id) == 1);
  CHECK(flow_ends.size() < flow_starts.size());
  CHECK(!flow_ends.empty());
  // Every down / paused slice is closed by the end of the document.
  for (const auto& [tid, open] : open_slices) CHECK(open == 0);
  CHECK(instants > 0);
}

TEST_CASE("the Chrome export shows the demo's crash as a down slice on the crashed node's track", "[trace][chrome]") {
  const nlohmann::json doc = export_demo(5);
  bool down = false, paused = false;
  for (const auto& e : doc.at("traceEvents")) {
    if (e.at("ph") == "B" && e.at("name") == "down") down = true;
    if (e.at("ph") == "B" && e.at("name") == "paused") paused = true;
  }
  CHECK(down);
  CHECK(paused);
}

}  // namespace
}  // namespace ksim
