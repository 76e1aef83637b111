#include <catch2/catch.hpp>

#include "tests/check/clean_run.h"

namespace ksim::check {
namespace {

TEST_CASE("every checker has a Jepsen-style name and a one-line description", "[check][registry]") {
  std::vector<std::string> names;
  for (const auto& c : all_checkers()) {
    names.emplace_back(c.name);
    CHECK(!c.description.empty());
    CHECK(c.description.find('\n') == std::string_view::npos);
    CHECK(c.run != nullptr);
  }
  CHECK(names == std::vector<std::string>{"lost-write", "duplicate", "unexpected", "nonmonotonic-send", "reorder",
                                          "consumer-lost", "consumer-duplicate", "poll-skip", "nonmonotonic-poll",
                                          "inconsistent-offsets", "divergent-replicas", "read-above-hw"});
  CHECK(checker_names().find("lost-write, duplicate, unexpected") == 0);
}

TEST_CASE("a scenario may name a check with underscores", "[check][registry]") {
  REQUIRE(find_checker("lost_write") != nullptr);
  CHECK(find_checker("lost_write")->name == "lost-write");
  CHECK(find_checker("inconsistent_offsets") == find_checker("inconsistent-offsets"));
  CHECK(find_checker("lost-writes") == nullptr);
  CHECK(find_checker("Lost-Write") == nullptr);
  CHECK(find_checker("") == nullptr);
}

TEST_CASE("unknown check names are reported before anything runs", "[check][registry]") {
  const std::vector<std::string> names = {"lost_write", "no_lost_acked_writes", "poll-skip", "dup"};
  CHECK(unknown_checks(names) == std::vector<std::string>{"no_lost_acked_writes", "dup"});
}

TEST_CASE("run_checks runs the named checkers in the order given", "[check][registry]") {
  test::CleanRun run(3);
  const RecordId r = run.t.send("p1", "orders-0");
  run.t.ack(r, 3);  // never appended: lost
  const std::vector<std::string> names = {"poll_skip", "lost-write"};
  const auto results = run_checks(run.t.history(), names);
  REQUIRE(results.size() == 2);
  CHECK(results[0].name == "poll-skip");
  CHECK(results[0].holds());
  CHECK(results[1].name == "lost-write");
  CHECK(results[1].count == 1);
  CHECK(!results[1].holds());
  CHECK(run_all_checks(run.t.history()).size() == all_checkers().size());
}

TEST_CASE("a checker counts every anomaly but explains only the first five", "[check][registry]") {
  test::CleanRun run(0);
  for (int i = 0; i < 8; ++i) run.t.ack(run.t.send("p1", "orders-0"), i);
  const CheckResult lost = test::run_one(run.t.history(), "lost-write");
  CHECK(lost.count == 8);
  REQUIRE(lost.examples.size() == CheckResult::kMaxExamples);
  CHECK(lost.examples[0].explanation.find("p1#0 ") == 0);
  CHECK(lost.examples[4].explanation.find("p1#4 ") == 0);
}

}  // namespace
}  // namespace ksim::check
