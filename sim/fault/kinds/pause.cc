// pause: a stop-the-world pause of a process for a duration (a long GC): its
// timers and messages wait, nothing is lost. Consumers can pause too.
#include <sstream>

#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace pause_kind {

struct Pause final : Fault {
  FaultTarget target;
  Duration duration;
  Pause(FaultTarget t, Duration d) : target(std::move(t)), duration(d) {}
  std::string_view kind() const override { return "pause"; }
  std::string describe() const override { return "pause " + target.str() + " for " + ms_text(duration); }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    FaultApplier::Resolved r;
    if (!a.resolve_one(target, r)) return a.skip(*this, r.why_not, note);
    if (!a.sim().is_running(r.node)) return a.skip(*this, r.text + " is not running", note);
    if (a.sim().is_paused(r.node)) return a.skip(*this, r.text + " is already paused", note);
    std::ostringstream d;
    d << r.text << " for " << static_cast<double>(duration.us) / 1000.0 << " ms";
    FaultOutcome o = a.applied(*this, d.str(), note);
    a.sim().pause(r.node, duration);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    e["pause"] = target.str();
    e["duration_ms"] = duration.us / 1000;
  }
  std::optional<Duration> own_duration() const override { return duration; }
  FaultAction with_own_duration(Duration d) const override { return std::make_shared<Pause>(target, d); }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto t = in.target(in.arg(), in.arg_path(), TargetUse::not_client);
  auto ms = in.integer("duration_ms", 1, kMaxFaultMs, true, "a duration in ms");
  if (!t || !ms) return std::nullopt;
  return std::make_shared<Pause>(*t, millis(*ms));
}

void draw(FaultDraw& d) {
  bool by_role = false;
  const FaultTarget target = d.process_target(&by_role);
  d.add(d.start_ms(), std::make_shared<Pause>(target, millis(d.duration_ms())));
}

}  // namespace pause_kind

const FaultKind& pause() {
  static const FaultKind kind{
      .name = "pause", .extra_keys = {"duration_ms"}, .read = pause_kind::read, .draw = pause_kind::draw};
  return kind;
}

}  // namespace ksim::faults
