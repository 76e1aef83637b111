#pragma once
// Key patterns of a producer workload: the key of send number i (from 0),
// written as text with placeholders, e.g.
//   "k"               every record has the key "k" (one partition, in order)
//   "user-{i}"        a distinct key per record
//   "user-{i % 10}"   ten keys in rotation: user-0 .. user-9
// A placeholder is {i} or {i % N} with N >= 1 (spaces optional). Any other use
// of braces is an error, so a typo does not silently become a literal key.
#include <cstdint>
#include <string>

namespace ksim::scenarios {

// "" if valid, else what is wrong.
std::string check_key_pattern(const std::string& pattern);
// The key of send number i; the pattern must be valid.
std::string expand_key_pattern(const std::string& pattern, int64_t i);

}  // namespace ksim::scenarios
