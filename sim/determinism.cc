#include "sim/determinism.h"

namespace ksim {

DeterminismVerdict check_determinism(const std::function<RunFingerprint(uint64_t)>& run, uint64_t seed) {
  DeterminismVerdict v;
  v.seed = seed;
  v.first = run(seed);
  v.second = run(seed);
  return v;
}

}  // namespace ksim
