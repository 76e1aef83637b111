// "Did you mean": a misspelt name finds the nearest known one, forgiving
// separators; a name too far from every candidate finds nothing.
#include <catch2/catch.hpp>

#include "core/base/suggest.h"

namespace ksim {
namespace {

TEST_CASE("edit distance counts insertions, deletions, substitutions and swaps", "[kernel][suggest]") {
  CHECK(edit_distance("messages", "messages") == 0);
  CHECK(edit_distance("mesages", "messages") == 1);
  CHECK(edit_distance("mesasges", "messages") == 1);  // a swap of neighbours
  CHECK(edit_distance("crash", "cut") == 4);
  CHECK(edit_distance("", "abc") == 3);
}

TEST_CASE("suggestions forgive separators and case, and stay quiet when nothing is close", "[kernel][suggest]") {
  const std::vector<std::string> keys{"replica.lag.time.max.ms", "replica.fetch.wait.max.ms", "min.insync.replicas"};
  CHECK(suggest("replica_lag_time_max_ms", keys) == "replica.lag.time.max.ms");
  CHECK(suggest("MIN.INSYNC.REPLICA", keys) == "min.insync.replicas");
  CHECK(suggest("zookeeper.connect", keys).empty());
  CHECK(did_you_mean("clustr", std::vector<std::string>{"cluster", "clients"}) == "; did you mean \"cluster\"?");
  CHECK(did_you_mean("xyz", std::vector<std::string>{"cluster"}).empty());
}

}  // namespace
}  // namespace ksim
