#pragma once

namespace ksim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitExpectationFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInvariantViolation = 3;

}  // namespace ksim::cli
