#include "sim/check/registry.h"

#include <array>

#include "core/base/assert.h"
#include "sim/check/consumer_delivery.h"
#include "sim/check/divergent_replicas.h"
#include "sim/check/duplicate.h"
#include "sim/check/inconsistent_offsets.h"
#include "sim/check/lost_write.h"
#include "sim/check/poll_order.h"
#include "sim/check/read_above_hw.h"
#include "sim/check/send_order.h"
#include "sim/check/unexpected.h"

namespace ksim::check {
namespace {

constexpr std::array kCheckers = {
    CheckerInfo{"lost-write", "an acknowledged record is not in the committed log of its partition", &check_lost_write},
    CheckerInfo{"duplicate", "a record is at two or more offsets of the committed logs", &check_duplicate},
    CheckerInfo{"unexpected", "a broker appended, or a consumer polled, a record that was never sent", &check_unexpected},
    CheckerInfo{"nonmonotonic-send",
                "one producer session's later send to a partition was acked at an offset at or below an earlier one's",
                &check_nonmonotonic_send},
    CheckerInfo{"reorder", "one producer session's records sit in the committed log in a different order than sent",
                &check_reorder},
    CheckerInfo{"consumer-lost", "a group committed past a record that none of its members processed",
                &check_consumer_lost},
    CheckerInfo{"consumer-duplicate", "a group processed a record more than once", &check_consumer_duplicate},
    CheckerInfo{"poll-skip", "a consumer's polls of a partition skipped records of the log within one generation",
                &check_poll_skip},
    CheckerInfo{"nonmonotonic-poll", "a consumer's poll went back to or before offsets it had already polled in one generation",
                &check_nonmonotonic_poll},
    CheckerInfo{"inconsistent-offsets",
                "two replicas' committed entries or two consumers' polls disagree on the record at an offset",
                &check_inconsistent_offsets},
    CheckerInfo{"divergent-replicas", "at the end, a replica's log below its HW is not a prefix of the leader's log",
                &check_divergent_replicas},
    CheckerInfo{"read-above-hw",
                "a consumer polled a record at or above the HW of the broker that handed it over, when it did",
                &check_read_above_hw},
};

bool same_name(std::string_view canonical, std::string_view given) {
  if (canonical.size() != given.size()) return false;
  for (size_t i = 0; i < given.size(); ++i) {
    const char c = given[i] == '_' ? '-' : given[i];
    if (c != canonical[i]) return false;
  }
  return true;
}

}  // namespace

std::span<const CheckerInfo> all_checkers() { return kCheckers; }

const CheckerInfo* find_checker(std::string_view name) {
  for (const auto& c : kCheckers)
    if (same_name(c.name, name)) return &c;
  return nullptr;
}

std::vector<std::string> unknown_checks(std::span<const std::string> names) {
  std::vector<std::string> unknown;
  for (const auto& n : names)
    if (!find_checker(n)) unknown.push_back(n);
  return unknown;
}

std::string checker_names() {
  std::string out;
  for (const auto& c : kCheckers) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

std::vector<CheckResult> run_checks(const History& history, std::span<const std::string> names) {
  std::vector<CheckResult> results;
  results.reserve(names.size());
  const CheckContext ctx(history);
  for (const auto& n : names) {
    const CheckerInfo* c = find_checker(n);
    KSIM_ASSERT_MSG(c != nullptr, "unknown check \"" << n << "\"; known: " << checker_names());
    results.push_back(c->run(ctx));
  }
  return results;
}

std::vector<CheckResult> run_all_checks(const History& history) {
  std::vector<CheckResult> results;
  results.reserve(kCheckers.size());
  const CheckContext ctx(history);  // shared: built once for every checker
  for (const auto& c : kCheckers) results.push_back(c.run(ctx));
  return results;
}

}  // namespace ksim::check
