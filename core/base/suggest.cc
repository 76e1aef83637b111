#include "core/base/suggest.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace ksim {
namespace {

std::string normalized(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '_' || c == '-' || c == '.' || c == ' ') {
      out += '.';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string suggest(std::string_view word, std::span<const std::string_view> candidates) {
  const std::string w = normalized(word);
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view c : candidates) {
    const size_t dist = edit_distance(w, normalized(c));
    if (dist < best_distance) {
      best_distance = dist;
      best = std::string(c);
    }
  }
  if (best.empty()) return {};
  const size_t limit = std::max<size_t>(2, best.size() / 3);
  if (best_distance > limit || best_distance >= word.size()) return {};
  return best;
}

std::string suggest(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string_view> views(candidates.begin(), candidates.end());
  return suggest(word, std::span<const std::string_view>(views));
}

std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates) {
  const std::string s = suggest(word, candidates);
  return s.empty() ? std::string() : "; did you mean \"" + s + "\"?";
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string s = suggest(word, candidates);
  return s.empty() ? std::string() : "; did you mean \"" + s + "\"?";
}

}  // namespace ksim
