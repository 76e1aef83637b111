// heal: bring every link back up ("all"), or one link, both ways. It ends the
// network faults' windows (isolate, partition, cut).
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace heal_kind {

// Every link when `link` is empty, else the link between the two nodes.
struct Heal final : Fault {
  std::optional<std::pair<FaultTarget, FaultTarget>> link;
  explicit Heal(std::optional<std::pair<FaultTarget, FaultTarget>> l) : link(std::move(l)) {}
  std::string_view kind() const override { return "heal"; }
  std::string describe() const override {
    return link ? "heal link " + link->first.str() + " <-> " + link->second.str() : "heal all links";
  }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    if (!link) {
      FaultOutcome o = a.applied(*this, "all links", note);
      a.net().heal_all();
      return o;
    }
    FaultApplier::Resolved ra, rb;
    std::string why;
    if (!a.resolve_two(link->first, link->second, ra, rb, why)) return a.skip(*this, why, note);
    FaultOutcome o = a.applied(*this, "link " + ra.text + " <-> " + rb.text, note);
    a.net().set_link(ra.node, rb.node, true, true);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    if (link) e["heal"] = nlohmann::ordered_json::array({link->first.str(), link->second.str()});
    else e["heal"] = "all";
  }
};

std::optional<FaultAction> read(FaultReader& in) {
  if (in.arg() == "all") return make_heal_all();
  if (!in.arg().is_array()) {
    in.error(in.arg_path(), "expected \"all\" or a link such as [\"broker-1\", \"broker-2\"], got " +
                                in.brief(in.arg()));
    return std::nullopt;
  }
  auto l = in.link(in.arg(), in.arg_path());
  if (!l) return std::nullopt;
  return make_heal_link(l->first, l->second);
}

}  // namespace heal_kind

FaultAction make_heal_all() { return std::make_shared<heal_kind::Heal>(std::nullopt); }
FaultAction make_heal_link(FaultTarget a, FaultTarget b) {
  return std::make_shared<heal_kind::Heal>(std::pair{std::move(a), std::move(b)});
}

// Not drawn by the explorer on its own: it ends network faults' windows.
const FaultKind& heal() {
  static const FaultKind kind{.name = "heal", .read = heal_kind::read};
  return kind;
}

}  // namespace ksim::faults
