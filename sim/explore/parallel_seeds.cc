#include "sim/explore/parallel_seeds.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace ksim::explore {

size_t run_parallel(const ParallelRun& p) {
  auto stop = [&] { return p.stop && p.stop(); };
  if (p.jobs <= 1) {
    size_t i = 0;
    for (; i < p.count && !stop(); ++i) {
      p.deliver(i, p.run(i));
      if (p.tick) p.tick();
    }
    return i;
  }

  std::mutex mu;
  std::condition_variable done_cv;
  size_t next = 0;        // the next task to start
  bool stopping = false;  // no new task starts
  std::map<size_t, SeedOutcome> finished;  // finished, not yet delivered

  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::lock_guard lock(mu);
        if (stopping || next >= p.count) return;
        i = next++;
      }
      SeedOutcome out = p.run(i);
      {
        std::lock_guard lock(mu);
        finished.emplace(i, std::move(out));
      }
      done_cv.notify_one();
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < p.jobs; ++t) threads.emplace_back(worker);

  size_t delivered = 0;
  for (;;) {
    std::unique_lock lock(mu);
    done_cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return finished.count(delivered) > 0; });
    const bool all_started = next >= p.count || stopping;
    auto it = finished.find(delivered);
    if (it != finished.end()) {
      SeedOutcome out = std::move(it->second);
      finished.erase(it);
      lock.unlock();
      p.deliver(delivered, std::move(out));
      ++delivered;
      lock.lock();
    }
    const bool everything_delivered = all_started && delivered == next && finished.empty();
    lock.unlock();
    if (p.tick) p.tick();
    if (!stopping && stop()) {
      std::lock_guard relock(mu);
      stopping = true;
    }
    if (everything_delivered) break;
  }
  for (auto& t : threads) t.join();
  return delivered;
}

}  // namespace ksim::explore
