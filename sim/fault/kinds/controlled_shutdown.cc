// controlled_shutdown: a broker asks the controller to move its leaderships
// away (BrokerNode::begin_controlled_shutdown, Kafka's
// BrokerLifecycleManager), and its process stops once that is done.
#include "core/broker/broker_node.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace controlled_shutdown_kind {

struct ControlledShutdown final : Fault {
  FaultTarget target;
  explicit ControlledShutdown(FaultTarget t) : target(std::move(t)) {}
  std::string_view kind() const override { return "controlled_shutdown"; }
  std::string describe() const override { return "controlled_shutdown " + target.str(); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    Simulation& sim = a.sim();
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    if (a.cluster().broker_id_of(r.node) < 0) return a.skip(*this, r.text + " is not a broker", note);
    if (!sim.is_running(r.node)) return a.skip(*this, r.text + " is not running", note);
    if (sim.is_paused(r.node)) return a.skip(*this, r.text + " is paused", note);
    FaultOutcome o = a.applied(*this, r.text + " asks the controller to move its leaderships away", note);
    sim.invoke(r.node, [](Node& n) { static_cast<BrokerNode&>(n).begin_controlled_shutdown(); });
    a.poll_shutdown(r.node, sim.incarnation(r.node));
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["controlled_shutdown"] = target.str(); }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto t = in.target(in.arg(), in.arg_path(), TargetUse::broker);
  if (!t) return std::nullopt;
  return std::make_shared<ControlledShutdown>(*t);
}

}  // namespace controlled_shutdown_kind

const FaultKind& controlled_shutdown() {
  static const FaultKind kind{.name = "controlled_shutdown", .read = controlled_shutdown_kind::read};
  return kind;
}

}  // namespace ksim::faults
