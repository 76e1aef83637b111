// cut: cut one link, both ways, or only a -> b with "one_way" (the other
// direction keeps its state).
#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace cut_kind {

struct Cut final : Fault {
  FaultTarget a, b;
  bool one_way = false;
  Cut(FaultTarget x, FaultTarget y, bool ow) : a(std::move(x)), b(std::move(y)), one_way(ow) {}
  std::string_view kind() const override { return "cut"; }
  std::string describe() const override {
    return "cut link " + a.str() + (one_way ? " -> " : " <-> ") + b.str() + (one_way ? " (one way)" : "");
  }
  FaultOutcome apply(FaultApplier& ap, std::string_view note) const override {
    FaultApplier::Resolved ra, rb;
    std::string why;
    if (!ap.resolve_two(a, b, ra, rb, why)) return ap.skip(*this, why, note);
    FaultOutcome o = ap.applied(*this, ra.text + (one_way ? " -> " : " <-> ") + rb.text +
                                           (one_way ? " (one way: the other direction is untouched)" : ""),
                                note);
    Network& net = ap.net();
    net.set_link(ra.node, rb.node, false, one_way ? net.link(rb.node, ra.node).up : false);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    e["cut"] = nlohmann::ordered_json::array({a.str(), b.str()});
    if (one_way) e["one_way"] = true;
  }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto l = in.link(in.arg(), in.arg_path());
  bool one_way = false;
  if (in.entry().contains("one_way")) {
    const auto& ow = in.entry()["one_way"];
    if (!ow.is_boolean()) in.error(in.key_path("one_way"), "expected true or false, got " + in.brief(ow));
    else one_way = ow.get<bool>();
  }
  if (!l) return std::nullopt;
  return std::make_shared<Cut>(l->first, l->second, one_way);
}

// One link cut (half the time one way) for the window, then healed.
void draw(FaultDraw& d) {
  const auto [a, b] = d.link();
  const bool one_way = d.rng().chance(0.5);
  d.add(d.start_ms(), std::make_shared<Cut>(a, b, one_way));
  d.add(d.end_ms(), make_heal_link(a, b));
}

}  // namespace cut_kind

const FaultKind& cut() {
  static const FaultKind kind{.name = "cut", .extra_keys = {"one_way"}, .read = cut_kind::read, .draw = cut_kind::draw};
  return kind;
}

}  // namespace ksim::faults
