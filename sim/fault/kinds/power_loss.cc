// power_loss: a crash that also loses every write not yet on disk (the page
// cache goes with the power). Only brokers and the controller keep a disk.
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace power_loss_kind {

struct PowerLoss final : Fault {
  FaultTarget target;
  explicit PowerLoss(FaultTarget t) : target(std::move(t)) {}
  std::string_view kind() const override { return "power_loss"; }
  std::string describe() const override { return "power_loss " + target.str(); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    if (!a.sim().is_running(r.node)) return a.skip(*this, r.text + " is not running", note);
    FaultOutcome o = a.applied(*this, r.text + ": unflushed writes are lost", note);
    a.sim().crash(r.node, true);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["power_loss"] = target.str(); }
};

FaultAction make(FaultTarget t) { return std::make_shared<PowerLoss>(std::move(t)); }

std::optional<FaultAction> read(FaultReader& in) {
  auto t = in.target(in.arg(), in.arg_path(), TargetUse::not_client);
  if (!t) return std::nullopt;
  return make(*t);
}

void draw(FaultDraw& d) { draw_crash_window(d, make); }

}  // namespace power_loss_kind

const FaultKind& power_loss() {
  static const FaultKind kind{.name = "power_loss", .read = power_loss_kind::read, .draw = power_loss_kind::draw};
  return kind;
}

}  // namespace ksim::faults
