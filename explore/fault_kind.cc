#include "explore/fault_kind.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/base/suggest.h"

namespace ksim::explore {

std::vector<const FaultKind*> all_fault_kinds() { return drawable_fault_kinds(); }

const FaultKind* parse_fault_kind(std::string_view name) {
  std::string n(name);
  std::replace(n.begin(), n.end(), '-', '_');
  for (const FaultKind* k : all_fault_kinds())
    if (k->name == n) return k;
  return nullptr;
}

const FaultKind* fault_kind(std::string_view name) {
  const FaultKind* k = parse_fault_kind(name);
  KSIM_ASSERT_MSG(k != nullptr, "no drawable fault kind " << name);
  return k;
}

FaultKindsParse parse_fault_kinds(std::string_view list) {
  FaultKindsParse out;
  if (list == "all") {
    out.kinds = all_fault_kinds();
    return out;
  }
  std::vector<std::string_view> names;
  for (const FaultKind* k : all_fault_kinds()) names.push_back(k->name);
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view word = list.substr(start, comma - start);
    if (!word.empty()) {
      const FaultKind* kind = parse_fault_kind(word);
      if (!kind) {
        std::string known;
        for (auto k : names) known += (known.empty() ? "" : ", ") + std::string(k);
        out.error = "unknown fault kind \"" + std::string(word) + "\"" +
                    did_you_mean(word, std::span<const std::string_view>(names)) + " (kinds: " + known + ", or all)";
        out.kinds.clear();
        return out;
      }
      if (std::find(out.kinds.begin(), out.kinds.end(), kind) == out.kinds.end()) out.kinds.push_back(kind);
    }
    start = comma + 1;
  }
  if (out.kinds.empty()) out.error = "no fault kind given";
  return out;
}

}  // namespace ksim::explore
