#pragma once
// The exit status every ksim program returns to the shell (ksim, ksim-view, and
// the drivers to come), so a script or CI can tell a finding from a mistake:
//   0  success: every expectation held, every named check passed
//   1  a failed expectation, or an anomaly a checker found
//   2  bad input: a scenario, --set, option or trace file (with where and what)
//   3  an internal invariant failed: a bug in ksim (core/base/assert.h's handler)
// It lives in host/, the drivers' shared place beside the line of layers
// (docs/architecture.md), so no driver includes another to learn it.
namespace ksim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectationFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInvariantViolation = 3;

}  // namespace ksim
