#include "scenarios/key_pattern.h"

#include <optional>

#include "core/base/assert.h"

namespace ksim::scenarios {

namespace {

// Parses the placeholder body between braces: "i" -> 0 (no modulus),
// "i % N" -> N; nullopt if malformed.
std::optional<int64_t> parse_placeholder(const std::string& body) {
  std::string s;
  for (char ch : body)
    if (ch != ' ') s += ch;
  if (s == "i") return 0;
  if (s.size() < 3 || s[0] != 'i' || s[1] != '%') return std::nullopt;
  int64_t n = 0;
  for (size_t k = 2; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9' || n > 1000000000) return std::nullopt;
    n = n * 10 + (s[k] - '0');
  }
  if (n < 1) return std::nullopt;
  return n;
}

// Walks the pattern; calls out(text) for literals and placeholders expanded
// with i. Returns the error, or "".
template <class Out>
std::string walk(const std::string& p, int64_t i, Out&& out) {
  size_t k = 0;
  while (k < p.size()) {
    if (p[k] == '}') return "unmatched '}' at character " + std::to_string(k + 1) + " of \"" + p + "\"";
    if (p[k] != '{') {
      out(std::string(1, p[k]));
      ++k;
      continue;
    }
    const size_t close = p.find('}', k);
    if (close == std::string::npos) return "unclosed '{' in \"" + p + "\"; placeholders are {i} and {i % N}";
    const auto mod = parse_placeholder(p.substr(k + 1, close - k - 1));
    if (!mod)
      return "unknown placeholder \"" + p.substr(k, close - k + 1) + "\" in \"" + p +
             "\"; placeholders are {i} (the send number) and {i % N} (N >= 1)";
    out(std::to_string(*mod == 0 ? i : i % *mod));
    k = close + 1;
  }
  return {};
}

}  // namespace

std::string check_key_pattern(const std::string& pattern) {
  return walk(pattern, 0, [](const std::string&) {});
}

std::string expand_key_pattern(const std::string& pattern, int64_t i) {
  std::string key;
  const std::string error = walk(pattern, i, [&](const std::string& s) { key += s; });
  KSIM_ASSERT_MSG(error.empty(), error);
  return key;
}

}  // namespace ksim::scenarios
