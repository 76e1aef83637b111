#pragma once
// CheckResult: a checker's verdict on one history: how many anomalies of its
// kind it found, and the first few, each explained in one line a student can
// read next to the timeline.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"

namespace ksim::check {

struct AnomalyExample {
  std::string partition;          // "orders-0"; empty when the anomaly has none
  std::vector<Offset> offsets;    // the offsets involved, in the order the explanation names them
  std::vector<SimTime> times;     // when the events involved happened
  std::vector<RecordId> records;  // the records involved
  std::string explanation;        // one line, e.g. "p1#3 acked at offset 5 is missing from ..."
  // Which way the anomaly happened, when a check tells several apart
  // (lost-write: "uncommitted", "partial", "gone"); "" when it has one way.
  // With the check's name it is the anomaly's signature, which a shrunk
  // counterexample must keep (explore/shrinker.h).
  std::string kind;
};

struct CheckResult {
  std::string name;  // the checker's canonical name, e.g. "lost-write"
  uint64_t count = 0;
  std::vector<AnomalyExample> examples;  // the first kMaxExamples anomalies, in the checker's order

  static constexpr size_t kMaxExamples = 5;
  bool holds() const { return count == 0; }
};

// Collects a checker's anomalies: counts every one, and builds the example
// (strings and all) only for the first kMaxExamples, so that a run with a
// million duplicates costs a million counter increments, not a million strings.
class ResultBuilder {
 public:
  explicit ResultBuilder(std::string name) { result_.name = std::move(name); }

  // make() -> AnomalyExample; called only while examples are still wanted.
  template <class Make>
  void add(Make&& make) {
    ++result_.count;
    if (result_.examples.size() < CheckResult::kMaxExamples) result_.examples.push_back(make());
  }

  CheckResult finish() && { return std::move(result_); }

 private:
  CheckResult result_;
};

}  // namespace ksim::check
