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
#include <vector>

namespace ksim::scenarios {

// "" if valid, else what is wrong.
std::string check_key_pattern(const std::string& pattern);
// The key of send number i; the pattern must be valid.
std::string expand_key_pattern(const std::string& pattern, int64_t i);

// A valid pattern parsed once, for a workload that expands a key per send.
class KeyPattern {
 public:
  explicit KeyPattern(const std::string& pattern);
  // The key of send number i (same as expand_key_pattern).
  std::string expand(int64_t i) const;

 private:
  struct Part {
    std::string literal;  // text before the placeholder
    int64_t modulus = 0;  // 0: {i}; N: {i % N}; -1: no placeholder (trailing text)
  };
  std::vector<Part> parts_;
};

}  // namespace ksim::scenarios
