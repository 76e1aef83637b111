// isolate: cut every link of one node (it keeps running, alone).
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace isolate_kind {

struct Isolate final : Fault {
  FaultTarget target;
  explicit Isolate(FaultTarget t) : target(std::move(t)) {}
  std::string_view kind() const override { return "isolate"; }
  std::string describe() const override { return "isolate " + target.str(); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    FaultOutcome o = a.applied(*this, r.text + " is cut off from every node", note);
    a.net().isolate(r.node);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["isolate"] = target.str(); }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto t = in.target(in.arg(), in.arg_path(), TargetUse::any);
  if (!t) return std::nullopt;
  return std::make_shared<Isolate>(*t);
}

// Isolated for the window, then every link heals.
void draw(FaultDraw& d) {
  bool by_role = false;
  d.add(d.start_ms(), std::make_shared<Isolate>(d.process_target(&by_role)));
  d.add(d.end_ms(), make_heal_all());
}

}  // namespace isolate_kind

const FaultKind& isolate() {
  static const FaultKind kind{.name = "isolate", .read = isolate_kind::read, .draw = isolate_kind::draw};
  return kind;
}

}  // namespace ksim::faults
