#pragma once
// The run's randomness. One root seed per run is split into named streams
// ("broker-1", "network", "p1"), so adding a client does not change the choices a
// broker makes. The generator (xoshiro256**) and every distribution are written
// here rather than taken from <random>: std:: distributions differ between
// standard libraries, and a run must be a pure function of (scenario, seed, build).
#include <cstdint>
#include <string_view>

#include "core/base/time.h"

namespace ksim {

class Rng {
 public:
  explicit Rng(uint64_t seed);

  // The stream named `name` of the run seeded with `root_seed`.
  static Rng stream(uint64_t root_seed, std::string_view name);

  uint64_t next_u64();
  // Uniform in [0, bound), without modulo bias (Lemire's method). bound > 0.
  uint64_t below(uint64_t bound);
  // Uniform in [lo, hi], both inclusive. lo <= hi.
  int64_t between(int64_t lo, int64_t hi);
  // Uniform in [0, 1), 53 bits.
  double unit();
  // true with probability p (p <= 0: never, p >= 1: always).
  bool chance(double p);
  // Uniform in [lo, hi], both inclusive.
  Duration duration_between(Duration lo, Duration hi);
  // Exponentially distributed with the given mean (for Poisson arrivals).
  Duration exponential(Duration mean);

 private:
  uint64_t s_[4];
};

// splitmix64: the seed expander recommended for xoshiro, also a good 64-bit mixer.
uint64_t splitmix64(uint64_t& state);
// FNV-1a over bytes; used to turn a stream name into a seed. Stable forever:
// changing it would change every recorded run.
uint64_t fnv1a64(std::string_view bytes);

}  // namespace ksim
