#pragma once
// Runs many independent tasks on a few threads and hands their results back
// in index order, on the calling thread.
//
// host/ is where ksim touches the real machine (threads, the wall clock, the
// terminal); core/ and sim/ never do (tools/lint-determinism.sh). This is
// safe for `ksim explore` because each task builds and runs its own Simulation
// from (scenario, seed) alone and shares nothing mutable with the others: the
// threads decide only WHEN a task runs, never WHAT it computes, and results
// are delivered in index order, so everything printed or written from them is
// the same for any number of threads.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace ksim::host {

template <class Result>
struct OrderedParallel {
  size_t count = 0;  // tasks 0 .. count-1
  int jobs = 1;      // threads; 1 runs everything on the calling thread
  std::function<Result(size_t index)> run;              // on any thread
  std::function<void(size_t index, Result&&)> deliver;  // on the calling thread, in index order
  // Polled on the calling thread between deliveries (and about every 200 ms
  // while waiting): once it returns true no new task starts, and the ones
  // started are still delivered, so the delivered tasks are always 0 .. n-1.
  std::function<bool()> stop;
  std::function<void()> tick;  // on the calling thread, about every 200 ms (progress lines)
};

// Returns how many tasks were delivered.
template <class Result>
size_t run_ordered(const OrderedParallel<Result>& p) {
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
  size_t next = 0;                    // the next task to start
  bool stopping = false;              // no new task starts
  std::map<size_t, Result> finished;  // finished, not yet delivered

  auto worker = [&] {
    for (;;) {
      size_t i;
      {
        std::lock_guard lock(mu);
        if (stopping || next >= p.count) return;
        i = next++;
      }
      Result out = p.run(i);
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
      Result out = std::move(it->second);
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

}  // namespace ksim::host
