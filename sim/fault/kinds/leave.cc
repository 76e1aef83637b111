// leave: a consumer client closes gracefully (KafkaConsumer.close(): commit if
// auto-commit is on, LeaveGroup unless it is a static member).
#include "core/consumer/kafka_consumer.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace leave_kind {

struct Leave final : Fault {
  FaultTarget target;
  explicit Leave(FaultTarget t) : target(std::move(t)) {}
  std::string_view kind() const override { return "leave"; }
  std::string describe() const override { return "leave " + target.str(); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    Simulation& sim = a.sim();
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    if (!sim.is_running(r.node)) return a.skip(*this, r.text + " is not running", note);
    if (!sim.process_as<KafkaConsumer>(r.node)) return a.skip(*this, r.text + " is not a consumer", note);
    FaultOutcome o = a.applied(*this, r.text + " closes", note);
    sim.invoke(r.node, [](Node& n) { static_cast<KafkaConsumer&>(n).close(); });
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["leave"] = target.str(); }
};

std::optional<FaultAction> read(FaultReader& in) {
  const auto& arg = in.arg();
  if (!arg.is_string() || !in.is_consumer_client(arg.get<std::string>())) {
    in.error(in.arg_path(), "expected the id of a consumer client, got " + in.brief(arg));
    return std::nullopt;
  }
  return std::make_shared<Leave>(FaultTarget::named(arg.get<std::string>()));
}

}  // namespace leave_kind

const FaultKind& leave() {
  static const FaultKind kind{.name = "leave", .read = leave_kind::read};
  return kind;
}

}  // namespace ksim::faults
