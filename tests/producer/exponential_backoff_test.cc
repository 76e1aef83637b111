// KIP-580's exponential retry backoff (ExponentialBackoff with multiplier 2 and
// jitter 0.2), as the producer uses it between retries of a batch.
#include <catch2/catch.hpp>

#include "core/base/exponential_backoff.h"

namespace ksim::producer {
namespace {

TEST_CASE("without jitter the retry backoff doubles from retry.backoff.ms up to retry.backoff.max.ms",
          "[producer][backoff]") {
  Rng rng(1);
  const ExponentialBackoff b(100, 1000, 0.0);
  std::vector<int64_t> seen;
  for (int attempts = 0; attempts < 7; ++attempts) seen.push_back(b.backoff_ms(attempts, rng));
  CHECK(seen == std::vector<int64_t>{100, 200, 400, 800, 1000, 1000, 1000});
}

TEST_CASE("with Kafka's jitter of 0.2 each backoff lies within 20% of the exponential term and never above the max",
          "[producer][backoff]") {
  Rng rng(42);
  const ExponentialBackoff b(100, 1000);
  bool varied = false;
  for (int round = 0; round < 200; ++round) {
    for (int attempts = 0; attempts < 6; ++attempts) {
      const double term = std::min(100.0 * (1 << attempts), 1000.0);
      const int64_t v = b.backoff_ms(attempts, rng);
      CHECK(v >= static_cast<int64_t>(term * 0.8) - 1);
      CHECK(v <= std::min<int64_t>(static_cast<int64_t>(term * 1.2), 1000));
      if (attempts == 0 && v != 100) varied = true;
    }
  }
  CHECK(varied);
}

TEST_CASE("retry.backoff.max.ms below retry.backoff.ms gives a constant backoff of the max", "[producer][backoff]") {
  Rng rng(1);
  const ExponentialBackoff b(500, 200);
  CHECK(b.backoff_ms(0, rng) == 200);
  CHECK(b.backoff_ms(5, rng) == 200);
}

}  // namespace
}  // namespace ksim::producer
