// The client summary of `ksim run` says what each client did: a producer's
// sends and outcomes, a consumer's polls, processed records and commits
// (not a consumer's "sent 0, acked 0").
#include <catch2/catch.hpp>
#include <string>

#include "scenario_lib/run/run_report.h"
#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"

namespace ksim::scenarios {

TEST_CASE("a consumer's summary row counts its polls, processed records and commits, as the trace shows them",
          "[scenarios][report]") {
  const auto loaded = load_scenario_file(bundled_scenario_dir() + "/consumer_commit_after_processing_duplicates.json");
  REQUIRE(loaded.ok());
  ScenarioRun run(*loaded.scenario, RunOptions{});
  const RunResult r = run.run();

  int64_t polls = 0, polled = 0, processed = 0, commits = 0;
  for (const auto& e : run.trace().events()) {
    if (run.trace().header().node_name(e.node) != "c1") continue;
    if (const auto* p = std::get_if<trace::ConsumerPolled>(&e.payload)) {
      ++polls;
      polled += static_cast<int64_t>(p->records.size());
    }
    if (std::holds_alternative<trace::RecordProcessed>(e.payload)) ++processed;
    if (const auto* c = std::get_if<trace::OffsetCommitted>(&e.payload); c && c->error == "NONE") ++commits;
  }
  REQUIRE(polls > 0);
  const ClientTally* c1 = nullptr;
  for (const auto& c : r.clients)
    if (c.id == "c1") c1 = &c;
  REQUIRE(c1 != nullptr);
  CHECK(c1->consumer());
  CHECK(c1->polls == polls);
  CHECK(c1->polled_records == polled);
  CHECK(c1->processed == processed);
  CHECK(c1->commits == commits);
  CHECK(c1->sent == 0);

  const std::string text = describe_result(*loaded.scenario, r);
  CHECK_THAT(text, Catch::Contains("c1  consumer: polled " + std::to_string(polled) + " records in " +
                                   std::to_string(polls) + " polls, processed " + std::to_string(processed) +
                                   ", committed " + std::to_string(commits) + " offsets"));
  CHECK_THAT(text, !Catch::Contains("c1  consumer: sent"));
}

}  // namespace ksim::scenarios
