#pragma once
// Benchmark helpers for ksim-view's --bench-seek and --bench-frames: wall-clock
// timings (the viewer is not part of a run, so it may read the clock) and
// their percentiles.
#include <cstdint>
#include <string>
#include <vector>

#include "viz/model/replay_model.h"

namespace ksim::viz {

struct Percentiles {
  size_t count = 0;
  double p50 = 0, p99 = 0, max = 0, mean = 0;
};
Percentiles percentiles(std::vector<double> samples);
std::string format_percentiles(const Percentiles& p, const char* unit);

// Seeks the model to `count` pseudo-random steps (a fixed seed: the same
// sequence every time), then steps backwards one event `count` times from the
// end, and returns the wall-clock time of each seek in microseconds.
struct SeekBench {
  std::vector<double> random_us;
  std::vector<double> step_back_us;
  // The same seeks in CPU time of this thread: what a seek costs, without the
  // time the scheduler gave other processes (a busy shared machine).
  std::vector<double> random_cpu_us;
  std::vector<double> step_back_cpu_us;
};
SeekBench bench_seeks(ReplayModel& model, size_t count);

}  // namespace ksim::viz
