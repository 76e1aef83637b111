// partition: nodes in different groups cannot talk; nodes in no group keep
// all their links (a network partition, as Jepsen's nemesis makes them).
#include <algorithm>

#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace partition_kind {

struct NetworkPartition final : Fault {
  std::vector<std::vector<FaultTarget>> groups;
  explicit NetworkPartition(std::vector<std::vector<FaultTarget>> g) : groups(std::move(g)) {}
  std::string_view kind() const override { return "partition"; }
  std::string describe() const override {
    std::string out = "partition";
    for (size_t g = 0; g < groups.size(); ++g) {
      out += g == 0 ? " [" : " | [";
      for (size_t i = 0; i < groups[g].size(); ++i) out += (i ? ", " : "") + groups[g][i].str();
      out += "]";
    }
    return out;
  }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    std::vector<std::vector<NodeId>> resolved;
    std::vector<NodeId> seen;
    std::string text;
    for (const auto& g : groups) {
      resolved.emplace_back();
      text += resolved.size() == 1 ? "[" : " | [";
      for (const auto& t : g) {
        FaultApplier::Resolved r;
        if (!a.resolve_one(t, r)) return a.skip(*this, r.why_not, note);
        if (std::find(seen.begin(), seen.end(), r.node) != seen.end())
          return a.skip(*this, r.text + " would be in two groups", note);
        seen.push_back(r.node);
        resolved.back().push_back(r.node);
        text += (resolved.back().size() > 1 ? ", " : "") + r.text;
      }
      text += "]";
    }
    FaultOutcome o = a.applied(*this, text, note);
    a.net().partition(resolved);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    auto out = nlohmann::ordered_json::array();
    for (const auto& g : groups) {
      auto group = nlohmann::ordered_json::array();
      for (const auto& t : g) group.push_back(t.str());
      out.push_back(std::move(group));
    }
    e["partition"] = std::move(out);
  }
};

std::optional<FaultAction> read(FaultReader& in) {
  const auto& arg = in.arg();
  const std::string kp = in.arg_path();
  std::vector<std::vector<FaultTarget>> groups;
  bool ok = in.expect_array(arg, kp);
  if (ok && arg.size() < 2) {
    in.error(kp, "expected at least two groups, e.g. [[\"broker-1\"], [\"broker-2\", \"broker-3\"]]");
    ok = false;
  }
  std::vector<std::string> named;
  for (size_t g = 0; ok && g < arg.size(); ++g) {
    const std::string gp = kp + "[" + std::to_string(g) + "]";
    if (!in.expect_array(arg[g], gp) || arg[g].empty()) {
      if (arg[g].is_array()) in.error(gp, "a group needs at least one node");
      ok = false;
      continue;
    }
    groups.emplace_back();
    for (size_t i = 0; i < arg[g].size(); ++i) {
      const std::string ip = gp + "[" + std::to_string(i) + "]";
      auto t = in.target(arg[g][i], ip, TargetUse::any);
      if (!t) {
        ok = false;
        continue;
      }
      if (std::find(named.begin(), named.end(), t->str()) != named.end()) {
        in.error(ip, t->str() + " is in two groups");
        ok = false;
      }
      named.push_back(t->str());
      groups.back().push_back(*t);
    }
  }
  if (!ok) return std::nullopt;
  return std::make_shared<NetworkPartition>(std::move(groups));
}

// The controller and the brokers split in two at random; each client joins
// one side, the other, or stays free to talk to both. Healed at the end.
void draw(FaultDraw& d) {
  Rng& rng = d.rng();
  std::vector<std::string> nodes{"controller"};
  for (int32_t b = 1; b <= d.brokers(); ++b) nodes.push_back(broker_node_name(b));
  // Fisher-Yates with the run's Rng, then a split point 1..n-1.
  for (size_t i = nodes.size() - 1; i > 0; --i) std::swap(nodes[i], nodes[rng.below(i + 1)]);
  const size_t split = 1 + rng.below(nodes.size() - 1);
  std::vector<std::vector<FaultTarget>> groups(2);
  for (size_t i = 0; i < nodes.size(); ++i) groups[i < split ? 0 : 1].push_back(FaultTarget::named(nodes[i]));
  for (const auto& c : d.clients()) {
    const uint64_t side = rng.below(3);
    if (side < 2) groups[side].push_back(FaultTarget::named(c));
  }
  d.add(d.start_ms(), std::make_shared<NetworkPartition>(std::move(groups)));
  d.add(d.end_ms(), make_heal_all());
}

}  // namespace partition_kind

const FaultKind& partition() {
  static const FaultKind kind{.name = "partition", .read = partition_kind::read, .draw = partition_kind::draw};
  return kind;
}

}  // namespace ksim::faults
