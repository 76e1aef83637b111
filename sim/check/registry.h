#pragma once
// The checkers by name, as a scenario's "expect" names them:
//   { "check": "lost-write", "holds": false }
// Names are Jepsen's where Jepsen has the check (jepsen.tests.kafka), hyphenated;
// underscores are accepted too (lost_write). Each checker's header defines its
// anomaly precisely and says how ksim's differs from Jepsen's.
//
//   lost-write            sim/check/lost_write.h
//   duplicate             sim/check/duplicate.h
//   unexpected            sim/check/unexpected.h
//   nonmonotonic-send     sim/check/send_order.h
//   reorder               sim/check/send_order.h
//   consumer-lost         sim/check/consumer_delivery.h
//   consumer-duplicate    sim/check/consumer_delivery.h
//   poll-skip             sim/check/poll_order.h
//   nonmonotonic-poll     sim/check/poll_order.h
//   inconsistent-offsets  sim/check/inconsistent_offsets.h
//   divergent-replicas    sim/check/divergent_replicas.h
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/check/check_context.h"
#include "sim/check/history.h"

namespace ksim::check {

struct CheckerInfo {
  std::string_view name;         // canonical, hyphenated
  std::string_view description;  // one line
  CheckResult (*run)(const CheckContext&);  // a History converts to a CheckContext
};

// Every checker, in the order above.
std::span<const CheckerInfo> all_checkers();

// The checker called `name` (hyphens or underscores), or nullptr.
const CheckerInfo* find_checker(std::string_view name);

// The names among `names` that are no checker's, in the order given: what a
// scenario loader or the CLI reports as bad input before running anything.
std::vector<std::string> unknown_checks(std::span<const std::string> names);

// "lost-write, duplicate, ...": for error messages.
std::string checker_names();

// Runs the named checkers, in the order given, one result each. Every name
// must be known (check with unknown_checks first: an unknown name is a bug in
// the caller and fails an assertion).
std::vector<CheckResult> run_checks(const History& history, std::span<const std::string> names);
// Runs every checker, in all_checkers() order.
std::vector<CheckResult> run_all_checks(const History& history);

}  // namespace ksim::check
