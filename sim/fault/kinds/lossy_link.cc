// lossy_link: lose a fraction of the messages on a link, both ways (0
// restores it). Lost, not late: a retry may get through.
#include <sstream>

#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace lossy_link_kind {

struct LossyLink final : Fault {
  FaultTarget a, b;
  double loss = 0.0;
  LossyLink(FaultTarget x, FaultTarget y, double l) : a(std::move(x)), b(std::move(y)), loss(l) {}
  std::string_view kind() const override { return "lossy_link"; }
  std::string describe() const override {
    std::ostringstream out;
    out << "lossy_link " << a.str() << " <-> " << b.str() << " loses " << loss * 100.0 << "%";
    return out.str();
  }
  FaultOutcome apply(FaultApplier& ap, std::string_view note) const override {
    FaultApplier::Resolved ra, rb;
    std::string why;
    if (!ap.resolve_two(a, b, ra, rb, why)) return ap.skip(*this, why, note);
    std::ostringstream d;
    d << ra.text << " <-> " << rb.text << ": loses " << loss * 100.0 << "% of messages";
    FaultOutcome o = ap.applied(*this, d.str(), note);
    Network& net = ap.net();
    LinkSpec spec = net.link(ra.node, rb.node).spec;
    spec.loss = loss;
    net.set_link_spec(ra.node, rb.node, spec);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    e["lossy_link"] = nlohmann::ordered_json::array({a.str(), b.str()});
    e["loss"] = loss;
  }
};

std::optional<FaultAction> read(FaultReader& in) {
  auto l = in.link(in.arg(), in.arg_path());
  std::optional<double> loss;
  if (in.entry().contains("loss")) {
    const auto& x = in.entry()["loss"];
    if (!x.is_number() || x.get<double>() < 0 || x.get<double>() > 1)
      in.error(in.key_path("loss"), "expected a fraction from 0 to 1 (0.2 loses one message in five), got " + in.brief(x));
    else
      loss = x.get<double>();
  } else {
    in.error(in.key_path("loss"), "required: the fraction of messages lost, from 0 to 1");
  }
  if (!l || !loss) return std::nullopt;
  return std::make_shared<LossyLink>(l->first, l->second, *loss);
}

// 5% .. 50% lost for the window, then restored.
void draw(FaultDraw& d) {
  const auto [a, b] = d.link();
  const double loss = static_cast<double>(d.rng().between(5, 50)) / 100.0;
  d.add(d.start_ms(), std::make_shared<LossyLink>(a, b, loss));
  d.add(d.end_ms(), std::make_shared<LossyLink>(a, b, 0.0));
}

}  // namespace lossy_link_kind

const FaultKind& lossy_link() {
  static const FaultKind kind{
      .name = "lossy_link", .extra_keys = {"loss"}, .read = lossy_link_kind::read, .draw = lossy_link_kind::draw};
  return kind;
}

}  // namespace ksim::faults
