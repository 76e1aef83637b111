// A sweep's results depend on the seeds only: not on how many threads ran
// them, nor on how the seed range was split into shards.
#include <catch2/catch.hpp>

#include <algorithm>

#include "host/ordered_parallel.h"
#include "tests/explore/explore_support.h"

namespace ksim::explore {
namespace {

std::vector<std::string> sweep(const Explorer& e, const std::vector<uint64_t>& seeds, int jobs) {
  std::vector<std::string> lines;
  host::OrderedParallel<SeedOutcome> p;
  p.count = seeds.size();
  p.jobs = jobs;
  p.run = [&](size_t i) { return e.run_seed(seeds[i]); };
  p.deliver = [&](size_t i, SeedOutcome&& o) {
    CHECK(o.seed == seeds[i]);  // delivered in order
    lines.push_back(o.json_line());
  };
  CHECK(host::run_ordered(p) == seeds.size());
  return lines;
}

TEST_CASE("the same seeds give the same results on one thread, on two, and split into shards",
          "[explore][determinism]") {
  ThrowOnInvariantFailure throwing;
  // acks=1, so some seeds fail and the findings are compared too.
  auto e = test::reference_explorer({"clients.p1.config.acks=1"});
  std::vector<uint64_t> all;
  for (uint64_t s = 1; s <= 12; ++s) all.push_back(s);

  const auto one = sweep(*e, all, 1);
  const auto two = sweep(*e, all, 2);
  CHECK(one == two);

  // Shards 0/3, 1/3, 2/3 (seed first + I + k*N), concatenated and ordered by seed.
  std::vector<std::pair<uint64_t, std::string>> merged;
  for (uint64_t shard = 0; shard < 3; ++shard) {
    std::vector<uint64_t> seeds;
    for (uint64_t s = 1 + shard; s <= 12; s += 3) seeds.push_back(s);
    const auto lines = sweep(*e, seeds, 2);
    for (size_t i = 0; i < lines.size(); ++i) merged.emplace_back(seeds[i], lines[i]);
  }
  std::sort(merged.begin(), merged.end());
  std::vector<std::string> merged_lines;
  for (auto& [s, l] : merged) merged_lines.push_back(l);
  CHECK(merged_lines == one);
}

TEST_CASE("an internal invariant that fails on a worker thread is a finding of its seed, as on one thread",
          "[explore][determinism]") {
  // No ThrowOnInvariantFailure here: the explorer must set it up on whatever
  // thread runs a seed (issue 24: --jobs 2 aborted the process, exit 134).
  auto e = test::reference_explorer();
  e->set_run_hook_for_test([](const scenarios::Scenario& s) {
    KSIM_ASSERT_MSG(s.seed % 3 != 0, "planted: seed " << s.seed << " breaks an invariant");
  });
  const std::vector<uint64_t> seeds{1, 2, 3, 4, 5, 6};
  const auto one = sweep(*e, seeds, 1);
  const auto two = sweep(*e, seeds, 2);
  CHECK(one == two);
  REQUIRE(two.size() == 6);
  CHECK_THAT(two[2], Catch::Contains("planted: seed 3 breaks an invariant"));
  CHECK_THAT(two[5], Catch::Contains("planted: seed 6 breaks an invariant"));
  CHECK_THAT(two[2], Catch::Contains("\"invariant\""));
  CHECK_THAT(two[0], !Catch::Contains("planted"));
}

TEST_CASE("a stopped sweep delivers a prefix of the seeds, in order", "[explore][determinism]") {
  std::vector<uint64_t> delivered;
  host::OrderedParallel<SeedOutcome> p;
  p.count = 1000;
  p.jobs = 2;
  p.run = [](size_t i) {
    SeedOutcome o;
    o.seed = i;
    return o;
  };
  p.deliver = [&](size_t i, SeedOutcome&&) { delivered.push_back(i); };
  p.stop = [&] { return delivered.size() >= 10; };
  const size_t n = host::run_ordered(p);
  REQUIRE(n == delivered.size());
  CHECK(n >= 10);
  for (size_t i = 0; i < n; ++i) CHECK(delivered[i] == i);
}

}  // namespace
}  // namespace ksim::explore
