#pragma once
// "Did you mean": the nearest known name to a misspelt one, by edit distance
// (optimal string alignment: insertions, deletions, substitutions and swaps of
// neighbours each cost 1). Separators and case are forgiven first, so
// "replica_lag_time_max_ms" finds "replica.lag.time.max.ms". Shared by every
// place that names things a user types: scenario keys, assignors, partitioners.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ksim {

size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate if it is close enough to be a likely typo (distance
// at most max(2, length / 3), and less than the word's length), else "".
std::string suggest(std::string_view word, std::span<const std::string_view> candidates);
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean \"x\"?" or "".
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace ksim
