#pragma once
// CleanRun: a small anomaly-free run to start checker tests from. Three
// brokers replicate topic "orders" (partition 0, leader broker-1, all in sync);
// p1 produces `n` records, records[i] at offset i, each acked and committed
// everywhere. Tests add consumers and break one thing at a time.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/check/registry.h"
#include "tests/check/trace_builder.h"

namespace ksim::check::test {

struct CleanRun {
  TraceBuilder t;
  std::vector<RecordId> records;

  explicit CleanRun(int n = 10) {
    t.topic("orders", 1);
    t.partition_state("orders-0", 1, {1, 2, 3});
    for (int i = 0; i < n; ++i) records.push_back(t.produce("p1", "orders-0", i));
  }

  // (offset, record) pairs for offsets [from, to) of the log.
  std::vector<std::pair<int64_t, RecordId>> range(int from, int to) const {
    std::vector<std::pair<int64_t, RecordId>> out;
    for (int i = from; i < to; ++i) out.emplace_back(i, records[static_cast<size_t>(i)]);
    return out;
  }
};

// Every checker's count, by name.
inline std::map<std::string, uint64_t> counts(const History& h) {
  std::map<std::string, uint64_t> out;
  for (const auto& r : run_all_checks(h)) out[r.name] = r.count;
  return out;
}

// Every checker's count, with only the named ones allowed to be non-zero.
inline std::map<std::string, uint64_t> all_zero_but(std::map<std::string, uint64_t> nonzero) {
  std::map<std::string, uint64_t> out;
  for (const auto& c : all_checkers()) out[std::string(c.name)] = 0;
  for (auto& [k, v] : nonzero) out[k] = v;
  return out;
}

inline CheckResult run_one(const History& h, const std::string& name) {
  const CheckerInfo* c = find_checker(name);
  KSIM_ASSERT(c != nullptr);
  return c->run(h);
}

}  // namespace ksim::check::test
