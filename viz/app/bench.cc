#include "viz/app/bench.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <numeric>

#include "core/base/rng.h"

namespace ksim::viz {

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  p.count = v.size();
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  p.p50 = v[v.size() / 2];
  p.p99 = v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * 0.99))];
  p.max = v.back();
  p.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  return p;
}

std::string format_percentiles(const Percentiles& p, const char* unit) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "p50 %.2f %s, p99 %.2f %s, max %.2f %s (n=%zu)", p.p50, unit, p.p99, unit, p.max, unit,
                p.count);
  return buf;
}

SeekBench bench_seeks(ReplayModel& model, size_t count) {
  SeekBench out;
  Rng rng(0x6b73696d76696577ULL);  // "ksimview": the same sequence every run
  auto thread_cpu_us = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
  };
  auto timed_seek = [&](uint64_t step, std::vector<double>& cpu) {
    const double c0 = thread_cpu_us();
    const auto t0 = std::chrono::steady_clock::now();
    model.seek(step);
    const auto t1 = std::chrono::steady_clock::now();
    cpu.push_back(thread_cpu_us() - c0);
    return std::chrono::duration<double, std::micro>(t1 - t0).count();
  };
  for (size_t i = 0; i < count; ++i)
    out.random_us.push_back(timed_seek(rng.next_u64() % (model.size() + 1), out.random_cpu_us));
  model.seek(model.size());
  for (size_t i = 0; i < count && model.step() > 0; ++i)
    out.step_back_us.push_back(timed_seek(model.step() - 1, out.step_back_cpu_us));
  return out;
}

}  // namespace ksim::viz
