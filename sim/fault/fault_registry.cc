// The list of fault kinds (fault_kind.h). A new kind: its file in kinds/ and
// one line here.
#include <array>

#include "sim/fault/fault_kind.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim {

std::span<const FaultKind* const> fault_kinds() {
  using namespace faults;
  static const std::array<const FaultKind*, 17> kKinds = {
      &crash(),     &power_loss(), &restart(),    &pause(), &controlled_shutdown(), &isolate(),
      &heal(),      &partition(),  &cut(),        &slow_link(), &lossy_link(),     &drop(),
      &hold(),      &release(),    &leave(),      &add_partitions(), &create_topic(),
  };
  return kKinds;
}

const FaultKind* find_fault_kind(std::string_view name) {
  for (const FaultKind* k : fault_kinds())
    if (k->name == name) return k;
  return nullptr;
}

std::vector<const FaultKind*> drawable_fault_kinds() {
  std::vector<const FaultKind*> out;
  for (const FaultKind* k : fault_kinds())
    if (k->draw) out.push_back(k);
  return out;
}

}  // namespace ksim
