#include "explore/fault_kind.h"

#include <algorithm>
#include <array>

#include "core/base/suggest.h"

namespace ksim::explore {
namespace {

constexpr std::array<std::string_view, 10> kNames = {"crash",      "power_loss", "pause",      "isolate", "partition",
                                                      "cut",        "slow_link",  "lossy_link", "drop",    "hold"};

}  // namespace

std::vector<FaultKind> all_fault_kinds() {
  std::vector<FaultKind> out;
  for (size_t i = 0; i < kNames.size(); ++i) out.push_back(static_cast<FaultKind>(i));
  return out;
}

std::string_view fault_kind_name(FaultKind kind) { return kNames[static_cast<size_t>(kind)]; }

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  std::string n(name);
  std::replace(n.begin(), n.end(), '-', '_');
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == n) return static_cast<FaultKind>(i);
  return std::nullopt;
}

FaultKindsParse parse_fault_kinds(std::string_view list) {
  FaultKindsParse out;
  if (list == "all") {
    out.kinds = all_fault_kinds();
    return out;
  }
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view word = list.substr(start, comma - start);
    if (!word.empty()) {
      const auto kind = parse_fault_kind(word);
      if (!kind) {
        std::string known;
        for (auto k : kNames) known += (known.empty() ? "" : ", ") + std::string(k);
        out.error = "unknown fault kind \"" + std::string(word) + "\"" + did_you_mean(word, kNames) +
                    " (kinds: " + known + ", or all)";
        out.kinds.clear();
        return out;
      }
      if (std::find(out.kinds.begin(), out.kinds.end(), *kind) == out.kinds.end()) out.kinds.push_back(*kind);
    }
    start = comma + 1;
  }
  if (out.kinds.empty()) out.error = "no fault kind given";
  return out;
}

}  // namespace ksim::explore
