#include "scenario_lib/format/key_pattern.h"

#include <charconv>
#include <optional>
#include <system_error>

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

// Walks the pattern; calls literal(ch) for each literal character and
// placeholder(modulus) for each placeholder (0 for {i}). Returns the error, or "".
template <class Literal, class Placeholder>
std::string walk(const std::string& p, Literal&& literal, Placeholder&& placeholder) {
  size_t k = 0;
  while (k < p.size()) {
    if (p[k] == '}') return "unmatched '}' at character " + std::to_string(k + 1) + " of \"" + p + "\"";
    if (p[k] != '{') {
      literal(p[k]);
      ++k;
      continue;
    }
    const size_t close = p.find('}', k);
    if (close == std::string::npos) return "unclosed '{' in \"" + p + "\"; placeholders are {i} and {i % N}";
    const auto mod = parse_placeholder(p.substr(k + 1, close - k - 1));
    if (!mod)
      return "unknown placeholder \"" + p.substr(k, close - k + 1) + "\" in \"" + p +
             "\"; placeholders are {i} (the send number) and {i % N} (N >= 1)";
    placeholder(*mod);
    k = close + 1;
  }
  return {};
}

}  // namespace

std::string check_key_pattern(const std::string& pattern) {
  return walk(pattern, [](char) {}, [](int64_t) {});
}

std::string expand_key_pattern(const std::string& pattern, int64_t i) { return KeyPattern(pattern).expand(i); }

KeyPattern::KeyPattern(const std::string& pattern) {
  Part current;
  const std::string error = walk(
      pattern, [&](char ch) { current.literal += ch; },
      [&](int64_t modulus) {
        current.modulus = modulus;
        parts_.push_back(std::move(current));
        current = Part{};
      });
  KSIM_ASSERT_MSG(error.empty(), error);
  if (!current.literal.empty()) {
    current.modulus = -1;
    parts_.push_back(std::move(current));
  }
}

std::string KeyPattern::expand(int64_t i) const {
  std::string key;  // short keys stay in the string's own buffer: no reserve
  for (const Part& part : parts_) {
    key += part.literal;
    if (part.modulus < 0) continue;
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, part.modulus == 0 ? i : i % part.modulus);
    KSIM_ASSERT(ec == std::errc());
    key.append(digits, end);
  }
  return key;
}

}  // namespace ksim::scenarios
