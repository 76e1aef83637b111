// slow_link: add a one-way delay to both directions of a link (0 restores
// it): a congested or far link, whose messages arrive late but arrive.
#include <sstream>

#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace slow_link_kind {

struct SlowLink final : Fault {
  FaultTarget a, b;
  Duration extra_delay;
  SlowLink(FaultTarget x, FaultTarget y, Duration d) : a(std::move(x)), b(std::move(y)), extra_delay(d) {}
  std::string_view kind() const override { return "slow_link"; }
  std::string describe() const override { return "slow_link " + a.str() + " <-> " + b.str() + " +" + ms_text(extra_delay); }
  FaultOutcome apply(FaultApplier& ap, std::string_view note) const override {
    FaultApplier::Resolved ra, rb;
    std::string why;
    if (!ap.resolve_two(a, b, ra, rb, why)) return ap.skip(*this, why, note);
    std::ostringstream d;
    d << ra.text << " <-> " << rb.text << ": +" << static_cast<double>(extra_delay.us) / 1000.0 << " ms each way";
    FaultOutcome o = ap.applied(*this, d.str(), note);
    Network& net = ap.net();
    LinkSpec spec = net.link(ra.node, rb.node).spec;
    spec.extra_delay = extra_delay;
    net.set_link_spec(ra.node, rb.node, spec);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    e["slow_link"] = nlohmann::ordered_json::array({a.str(), b.str()});
    e["extra_delay_ms"] = extra_delay.us / 1000;
  }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto l = in.link(in.arg(), in.arg_path());
  auto extra = in.integer("extra_delay_ms", 0, 600000, true, "the added one-way delay in ms");
  if (!l || !extra) return std::nullopt;
  return std::make_shared<SlowLink>(l->first, l->second, millis(*extra));
}

// 20 ms .. 2 s added for the window, then restored.
void draw(FaultDraw& d) {
  const auto [a, b] = d.link();
  const int64_t delay = d.rng().between(20, 2000);
  d.add(d.start_ms(), std::make_shared<SlowLink>(a, b, millis(delay)));
  d.add(d.end_ms(), std::make_shared<SlowLink>(a, b, millis(0)));
}

}  // namespace slow_link_kind

const FaultKind& slow_link() {
  static const FaultKind kind{
      .name = "slow_link", .extra_keys = {"extra_delay_ms"}, .read = slow_link_kind::read, .draw = slow_link_kind::draw};
  return kind;
}

}  // namespace ksim::faults
