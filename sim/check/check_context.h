#pragma once
// CheckContext: a history and what several checkers derive from it, built once
// per history and shared, so that running every checker does not rebuild the
// same index once per checker (lost-write, reorder and inconsistent-offsets all
// ask where a send's record sits in the committed log; duplicate asks how many
// copies there are).
//
// Converts implicitly from a History: check_lost_write(history) builds a
// context for that one call, as a test calling a single checker wants.
// run_all_checks builds one and passes it to every checker.
#include <span>
#include <vector>

#include "sim/check/committed_index.h"
#include "sim/check/history.h"

namespace ksim::check {

struct CheckContext {
  CheckContext(const History& h);  // NOLINT(google-explicit-constructor): see above

  const History& history;
  const CommittedIndex committed;
  // PartitionHistory::committed_log() of every partition (it searches the
  // reference replica's log for its HW on each call).
  std::vector<std::span<const LogEntry>> committed_logs;

  // The index into history.sends of `s`, which must be one of its elements.
  uint32_t send_index(const Send& s) const { return static_cast<uint32_t>(&s - history.sends.data()); }
};

}  // namespace ksim::check
