// crash: a process crash (Simulation::crash). Volatile state and timers die,
// the page cache survives. Any process can crash, clients included (a
// producer restarted later is a new instance with a new producer id).
#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace crash_kind {

struct Crash final : Fault {
  FaultTarget target;
  explicit Crash(FaultTarget t) : target(std::move(t)) {}
  std::string_view kind() const override { return "crash"; }
  std::string describe() const override { return "crash " + target.str(); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    if (!a.sim().is_running(r.node)) return a.skip(*this, r.text + " is not running", note);
    FaultOutcome o = a.applied(*this, r.text, note);
    a.sim().crash(r.node, false);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["crash"] = target.str(); }
};

FaultAction make(FaultTarget t) { return std::make_shared<Crash>(std::move(t)); }

std::optional<FaultAction> read(FaultReader& in) {
  auto t = in.target(in.arg(), in.arg_path(), TargetUse::process);
  if (!t) return std::nullopt;
  return make(*t);
}

void draw(FaultDraw& d) { draw_crash_window(d, make); }

}  // namespace crash_kind

const FaultKind& crash() {
  static const FaultKind kind{.name = "crash", .read = crash_kind::read, .draw = crash_kind::draw};
  return kind;
}

void draw_crash_window(FaultDraw& d, FaultAction (*make)(FaultTarget)) {
  bool by_role = false;
  const FaultTarget target = d.process_target(&by_role);
  d.add(d.start_ms(), make(target));
  if (target.str() == "controller" || !by_role) {
    d.add(d.end_ms(), make_restart(target));
    return;
  }
  for (int32_t b = 1; b <= d.brokers(); ++b) d.add(d.end_ms(), make_restart(FaultTarget::named(broker_node_name(b))));
}

}  // namespace ksim::faults
