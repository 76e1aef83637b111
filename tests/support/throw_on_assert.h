#pragma once
// For tests that plant a broken state and expect an invariant check to catch
// it: while a ThrowOnAssert lives, a failed KSIM_ASSERT throws a
// PlantedViolation (with the full formatted report) instead of aborting.
#include <stdexcept>
#include <string>

#include "core/base/assert.h"

namespace ksim::test {

struct PlantedViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ThrowOnAssert {
  ThrowOnAssert()
      : previous(set_assert_handler(
            [](const AssertFailure& f) { throw PlantedViolation(format_assert_failure(f)); })) {}
  ~ThrowOnAssert() { set_assert_handler(previous); }
  ThrowOnAssert(const ThrowOnAssert&) = delete;
  ThrowOnAssert& operator=(const ThrowOnAssert&) = delete;
  AssertHandler previous;
};

// Runs `body` with assertions throwing; returns the report of the assertion
// that failed, or "" if none did.
template <class F>
std::string assertion_failed_in(F&& body) {
  ThrowOnAssert guard;
  try {
    body();
  } catch (const PlantedViolation& e) {
    return e.what();
  }
  return {};
}

}  // namespace ksim::test
