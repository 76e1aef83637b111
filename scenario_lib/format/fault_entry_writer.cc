#include "scenario_lib/format/fault_entry_writer.h"

namespace ksim::scenarios {
namespace {

using OrderedJson = nlohmann::ordered_json;

void write_trigger(const Trigger& t, OrderedJson& out) {
  switch (t.kind) {
    case Trigger::Kind::at:
      out["at_ms"] = t.at_ms;
      return;
    case Trigger::Kind::hw_reaches:
      out["when"] = OrderedJson{{"hw", OrderedJson{{"partition", t.tp.str()}, {"reaches", t.count}}}};
      break;
    case Trigger::Kind::leader_changes:
      out["when"] = OrderedJson{{"leader_changes", t.tp.str()}};
      break;
    case Trigger::Kind::acked:
      out["when"] = OrderedJson{{"acked", OrderedJson{{"client", t.client}, {"count", t.count}}}};
      break;
  }
  if (t.after_ms != 0) out["after_ms"] = t.after_ms;
}

}  // namespace

OrderedJson fault_entry_json(const FaultSpec& fault) {
  OrderedJson out = OrderedJson::object();
  write_trigger(fault.trigger, out);
  fault.action->write(out);
  if (!fault.note.empty()) out["note"] = fault.note;
  return out;
}

OrderedJson fault_entries_json(const std::vector<FaultSpec>& faults) {
  OrderedJson out = OrderedJson::array();
  for (const FaultSpec& f : faults) out.push_back(fault_entry_json(f));
  return out;
}

}  // namespace ksim::scenarios
