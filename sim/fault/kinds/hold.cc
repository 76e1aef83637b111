// hold: keep matching messages back until released, by a release fault naming
// its "id" or by its own "duration_ms": a follower stalled without being cut
// off, a response that arrives after its request timed out.
#include <sstream>

#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace hold_kind {

struct Hold final : Fault {
  std::string id;  // what a release names
  MessageSelector match;
  int64_t nth = 1;
  int64_t count = -1;
  std::optional<Duration> duration;  // release on its own after this long
  Hold(std::string i, MessageSelector m, int64_t n, int64_t c, std::optional<Duration> d)
      : id(std::move(i)), match(std::move(m)), nth(n), count(c), duration(d) {}
  std::string_view kind() const override { return "hold"; }
  std::string describe() const override {
    return "hold \"" + id + "\" " + selector_text(match) + " (" + range_text(nth, count) + ")" +
           (duration ? " for " + ms_text(*duration) : "");
  }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    if (a.hold_active(id)) return a.skip(*this, "hold \"" + id + "\" is already active", note);
    MessageMatch m;
    std::string text, why;
    if (!a.resolve_selector(match, m, text, why)) return a.skip(*this, why, note);
    std::string detail = "\"" + id + "\": " + text + " kept back until released";
    if (duration) {
      std::ostringstream d;
      d << " (after " << static_cast<double>(duration->us) / 1000.0 << " ms)";
      detail += d.str();
    }
    FaultOutcome o = a.applied(*this, detail, note);
    a.start_hold(id, a.net().add_rule(MessageRule{m, RuleAction::hold, nth, count}), duration);
    return o;
  }
  void write(nlohmann::ordered_json& e) const override {
    e["hold"] = selector_json(match, nth, count);
    e["id"] = id;
    if (duration) e["duration_ms"] = duration->us / 1000;
  }
  std::optional<Duration> own_duration() const override { return duration; }
  FaultAction with_own_duration(Duration d) const override {
    return std::make_shared<Hold>(id, match, nth, count, d);
  }
};

std::optional<FaultAction> read(FaultReader& in) {
  int64_t nth = 1, count = -1;
  auto m = in.selector(in.arg(), in.arg_path(), nth, count, -1);
  std::string id;
  if (auto given = in.string("id", false)) {
    id = *given;
    if (id.empty()) in.error(in.key_path("id"), "must not be empty");
    auto& ids = in.names("hold");
    if (std::any_of(ids.begin(), ids.end(), [&](const auto& n) { return n.first == id; }))
      in.error(in.key_path("id"), "another hold already has id \"" + id + "\"");
    ids.emplace_back(id, in.path());
  } else {
    id = in.path();  // anonymous: released only by its duration_ms
    if (!in.entry().contains("duration_ms"))
      in.error(in.path(), "a hold needs an \"id\" (for a later release) or a \"duration_ms\" (to release itself)");
  }
  std::optional<Duration> d;
  if (in.entry().contains("duration_ms"))
    if (auto ms = in.integer("duration_ms", 1, kMaxFaultMs, true, "a duration in ms")) d = millis(*ms);
  if (!m) return std::nullopt;
  return std::make_shared<Hold>(id, *m, nth, count, d);
}

// One partition's FetchResponses from its leader, or its follower's Fetches,
// held for the window (the hold releases itself): a stalled but connected
// follower.
void draw(FaultDraw& d) {
  const TopicPartition tp = d.partition();
  const bool from_leader = d.rng().chance(0.5);
  MessageSelector m = from_leader ? MessageSelector{"FetchResponse", FaultTarget::leader_of(tp), std::nullopt}
                                  : MessageSelector{"Fetch", FaultTarget::follower_of(tp), std::nullopt};
  d.add(d.start_ms(), std::make_shared<Hold>(d.next_hold_id(), std::move(m), 1, -1, millis(d.duration_ms())));
}

bool drawable_in(const FaultDraw& d) { return d.has_partitions(); }

}  // namespace hold_kind

const FaultKind& hold() {
  static const FaultKind kind{.name = "hold",
                              .extra_keys = {"duration_ms", "id"},
                              .read = hold_kind::read,
                              .draw = hold_kind::draw,
                              .drawable_in = hold_kind::drawable_in};
  return kind;
}

}  // namespace ksim::faults
