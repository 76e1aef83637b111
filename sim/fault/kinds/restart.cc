// restart: a new process over the same disk; its start() recovers the log
// (a restart of a running process is skipped).
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace restart_kind {

struct Restart final : Fault {
  FaultTarget target;
  explicit Restart(FaultTarget t) : target(std::move(t)) {}
  std::string_view kind() const override { return "restart"; }
  std::string describe() const override { return "restart " + target.str(); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    if (a.sim().is_running(r.node)) return a.skip(*this, r.text + " is already running", note);
    FaultOutcome o = a.applied(*this, r.text, note);
    a.sim().restart(r.node);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["restart"] = target.str(); }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto t = in.target(in.arg(), in.arg_path(), TargetUse::process);
  if (!t) return std::nullopt;
  return make_restart(*t);
}

}  // namespace restart_kind

FaultAction make_restart(FaultTarget target) { return std::make_shared<restart_kind::Restart>(std::move(target)); }

// Not drawn by the explorer on its own: it ends a crash's window.
const FaultKind& restart() {
  static const FaultKind kind{.name = "restart", .read = restart_kind::read};
  return kind;
}

}  // namespace ksim::faults
