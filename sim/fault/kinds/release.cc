// release: let a hold's messages go, by the hold's id.
#include <algorithm>

#include "core/base/suggest.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace release_kind {

struct Release final : Fault {
  std::string id;
  explicit Release(std::string i) : id(std::move(i)) {}
  std::string_view kind() const override { return "release"; }
  std::string describe() const override { return "release \"" + id + "\""; }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    if (!a.hold_active(id)) return a.skip(*this, "no active hold \"" + id + "\"", note);
    a.release(id, note);
    return FaultOutcome{true, "release \"" + id + "\""};
  }
  void write(nlohmann::ordered_json& e) const override { e["release"] = id; }
};

std::optional<FaultAction> read(FaultReader& in) {
  if (!in.arg().is_string()) {
    in.error(in.arg_path(), "expected the id of a hold, got " + in.brief(in.arg()));
    return std::nullopt;
  }
  const std::string id = in.arg().get<std::string>();
  in.names("release").emplace_back(id, in.arg_path());
  return std::make_shared<Release>(id);
}

// Every release names a hold of the file (holds may come after it).
void finish(FaultReader& in) {
  std::vector<std::string> holds;
  for (const auto& [id, path] : in.names("hold")) holds.push_back(id);
  std::string list;
  for (const auto& h : holds) list += (list.empty() ? "" : ", ") + h;
  for (const auto& [id, path] : in.names("release"))
    if (std::find(holds.begin(), holds.end(), id) == holds.end())
      in.error(path, "no hold has id \"" + id + "\"" + did_you_mean(id, holds) +
                         (holds.empty() ? " (give a hold an \"id\" to release it)" : " (holds: " + list + ")"));
}

}  // namespace release_kind

// Not drawn by the explorer: its holds release themselves.
const FaultKind& release() {
  static const FaultKind kind{.name = "release", .read = release_kind::read, .finish = release_kind::finish};
  return kind;
}

}  // namespace ksim::faults
