// drop: lose the nth .. nth+count-1 messages that match, counted from when
// the fault fires ("count": "all" for every one). A lost acknowledgement is a
// dropped ProduceResponse: the write happened, the producer never hears so.
#include "core/base/rng.h"
#include "sim/fault/fault_applier.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::faults {
namespace drop_kind {

struct Drop final : Fault {
  MessageSelector match;
  int64_t nth = 1;
  int64_t count = 1;  // < 0: every one from nth on
  Drop(MessageSelector m, int64_t n, int64_t c) : match(std::move(m)), nth(n), count(c) {}
  std::string_view kind() const override { return "drop"; }
  std::string describe() const override { return "drop " + selector_text(match) + " (" + range_text(nth, count) + ")"; }
  FaultOutcome apply(FaultApplier& a, std::string_view note) const override {
    MessageMatch m;
    std::string text, why;
    if (!a.resolve_selector(match, m, text, why)) return a.skip(*this, why, note);
    const std::string range = count < 0    ? (nth == 1 ? std::string("every one")
                                                       : "every one from number " + std::to_string(nth))
                              : count == 1 ? "number " + std::to_string(nth)
                                           : "numbers " + std::to_string(nth) + ".." + std::to_string(nth + count - 1);
    FaultOutcome o = a.applied(*this, text + ", " + range, note);
    a.net().add_rule(MessageRule{m, RuleAction::drop, nth, count});
    return o;
  }
  void write(nlohmann::ordered_json& e) const override { e["drop"] = selector_json(match, nth, count); }
};

std::optional<FaultAction> read(FaultReader& in) {
  int64_t nth = 1, count = 1;
  auto m = in.selector(in.arg(), in.arg_path(), nth, count, 1);
  if (!m) return std::nullopt;
  return std::make_shared<Drop>(*m, nth, count);
}

// One to two ProduceResponses of one partition's leader to one client, among
// the first three after the fault: lost acks. An instant, not a window.
void draw(FaultDraw& d) {
  const TopicPartition tp = d.partition();
  const std::string client = d.clients()[d.rng().below(d.clients().size())];
  MessageSelector m{"ProduceResponse", FaultTarget::leader_of(tp), FaultTarget::named(client)};
  const int64_t nth = d.rng().between(1, 3);
  const int64_t count = d.rng().between(1, 2);
  d.add(d.start_ms(), std::make_shared<Drop>(std::move(m), nth, count));
}

bool drawable_in(const FaultDraw& d) { return !d.clients().empty() && d.has_partitions(); }

}  // namespace drop_kind

const FaultKind& drop() {
  static const FaultKind kind{.name = "drop",
                              .read = drop_kind::read,
                              .draw = drop_kind::draw,
                              .instant = true,
                              .drawable_in = drop_kind::drawable_in};
  return kind;
}

}  // namespace ksim::faults
