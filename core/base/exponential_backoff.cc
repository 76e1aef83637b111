#include "core/base/exponential_backoff.h"

#include <algorithm>
#include <cmath>

namespace ksim {

ExponentialBackoff::ExponentialBackoff(int64_t initial_ms, int64_t max_ms, double jitter)
    : initial_ms_(std::min(initial_ms, max_ms)), max_ms_(max_ms), jitter_(jitter) {
  exp_max_ = max_ms > initial_ms
                 ? std::log(static_cast<double>(max_ms) / static_cast<double>(std::max<int64_t>(initial_ms, 1))) /
                       std::log(static_cast<double>(kMultiplier))
                 : 0.0;
}

int64_t ExponentialBackoff::backoff_ms(int64_t attempts, Rng& rng) const {
  if (exp_max_ == 0.0) return initial_ms_;
  const double exp = std::min(static_cast<double>(attempts), exp_max_);
  const double term = static_cast<double>(initial_ms_) * std::pow(static_cast<double>(kMultiplier), exp);
  // Java: nextDouble(1 - jitter, 1 + jitter), or 1 without jitter.
  const double factor = jitter_ <= 0.0 ? 1.0 : (1.0 - jitter_) + rng.unit() * (2.0 * jitter_);
  const auto value = static_cast<int64_t>(factor * term);
  return std::min(value, max_ms_);
}

}  // namespace ksim
