#pragma once
// Wall-clock time for the command line: how long a sweep has run (seeds per
// second, --time-budget) and how often a progress line may redraw. Never an
// input to a run: host/ is outside the determinism lint's core/ and sim/.
#include <chrono>

namespace ksim::host {

class Stopwatch {
 public:
  Stopwatch() : start_(Clock::now()) {}
  double elapsed_s() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_;
};

// due() is true at most once per interval (the first call waits one interval).
class Pacer {
 public:
  explicit Pacer(std::chrono::milliseconds interval) : interval_(interval), last_(Clock::now()) {}
  bool due() {
    const auto now = Clock::now();
    if (now - last_ < interval_) return false;
    last_ = now;
    return true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::chrono::milliseconds interval_;
  Clock::time_point last_;
};

}  // namespace ksim::host
