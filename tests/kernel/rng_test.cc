#include <catch2/catch.hpp>
#include <set>

#include "core/base/rng.h"

namespace ksim {
namespace {

TEST_CASE("a named stream does not depend on which other streams exist", "[kernel][rng]") {
  // A run with an extra client: the broker's stream is derived from the root seed
  // and its own name only, so its choices are unchanged.
  Rng broker_alone = Rng::stream(42, "node/broker-1");
  Rng client = Rng::stream(42, "node/p1");
  Rng broker_with_client = Rng::stream(42, "node/broker-1");
  for (int i = 0; i < 5; ++i) client.next_u64();
  for (int i = 0; i < 1000; ++i) REQUIRE(broker_alone.next_u64() == broker_with_client.next_u64());
}

TEST_CASE("different names and different seeds give different streams", "[kernel][rng]") {
  Rng a = Rng::stream(42, "node/broker-1");
  Rng b = Rng::stream(42, "node/broker-2");
  Rng c = Rng::stream(43, "node/broker-1");
  int same_ab = 0, same_ac = 0;
  for (int i = 0; i < 64; ++i) {
    const uint64_t x = a.next_u64();
    same_ab += x == b.next_u64();
    same_ac += x == c.next_u64();
  }
  CHECK(same_ab == 0);
  CHECK(same_ac == 0);
}

TEST_CASE("the generator's output is pinned: recorded runs must replay", "[kernel][rng]") {
  // If this changes, every recorded seed and trace changes meaning. xoshiro256**
  // seeded by splitmix64(1); reference values from the published algorithms.
  Rng r(1);
  const uint64_t first = r.next_u64();
  Rng again(1);
  CHECK(again.next_u64() == first);
  uint64_t sm = 0;
  CHECK(splitmix64(sm) == 0xe220a8397b1dcdafULL);  // splitmix64 reference, state 0
  CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
}

TEST_CASE("bounded draws stay in range and cover it", "[kernel][rng]") {
  Rng r(7);
  std::set<int64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const int64_t v = r.between(-3, 3);
    REQUIRE(v >= -3);
    REQUIRE(v <= 3);
    seen.insert(v);
    const uint64_t b = r.below(10);
    REQUIRE(b < 10);
    const double u = r.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
  CHECK(seen.size() == 7);
  CHECK(r.between(5, 5) == 5);
}

TEST_CASE("draws are close to uniform", "[kernel][rng]") {
  Rng r(11);
  int counts[10] = {};
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++counts[r.below(10)];
  for (int c : counts) CHECK(std::abs(c - n / 10) < 600);  // ~6 sigma
  int heads = 0;
  for (int i = 0; i < n; ++i) heads += r.chance(0.25);
  CHECK(std::abs(heads - n / 4) < 900);
  CHECK_FALSE(r.chance(0.0));
  CHECK(r.chance(1.0));
}

TEST_CASE("exponential draws have the requested mean", "[kernel][rng]") {
  Rng r(3);
  double sum = 0;
  const int n = 50000;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(r.exponential(millis(20)).us);
  CHECK(sum / n == Approx(20000.0).epsilon(0.03));
}

}  // namespace
}  // namespace ksim
