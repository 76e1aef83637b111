// Timeline lines for core/trace/group_events.h: the group coordinator.
#include <variant>

#include "core/base/overloaded.h"
#include "sim/report/event_text_parts.h"

namespace ksim::event_text {

bool describe_group_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out) {
  const std::string_view who = h.node_name(e.node);
  bool described = true;
  std::visit(
      Overloaded{
          [&](const trace::GroupStateChanged& x) {
            out << who << "  group " << x.group << ": " << x.from << " -> " << x.to << ", generation "
                << x.generation.value << " (" << x.reason << ")";
          },
          [&](const trace::MemberJoined& x) {
            out << who << "  group " << x.group << ": member " << x.member << " joined";
            if (!x.instance.empty()) out << " (static, group.instance.id " << x.instance << ")";
          },
          [&](const trace::MemberRemoved& x) {
            out << who << "  group " << x.group << ": member " << x.member << " REMOVED (" << x.reason << ")";
          },
          [&](const trace::GroupStable& x) {
            out << who << "  group " << x.group << ": generation " << x.generation.value << " Stable, leader "
                << x.leader << ", " << x.protocol << ", " << x.members.size() << " member"
                << (x.members.size() == 1 ? "" : "s");
          },
          [&](const trace::OffsetsCommitted& x) {
            out << who << "  group " << x.group << ": committed";
            for (size_t i = 0; i < x.partitions.size() && i < x.offsets.size(); ++i)
              out << " " << x.partitions[i] << "@" << x.offsets[i].value;
            out << " (generation " << x.generation.value << ")";
          },
          [&](const trace::CoordinatorLoaded& x) {
            out << who << "  coordinator for __consumer_offsets-" << x.partition.value << " loaded: " << x.groups
                << " group" << (x.groups == 1 ? "" : "s") << ", " << x.offsets << " offset"
                << (x.offsets == 1 ? "" : "s") << " in " << x.load_time_us / 1000.0 << " ms";
          },
          [&](const trace::CoordinatorUnloaded& x) {
            out << who << "  no longer coordinator for __consumer_offsets-" << x.partition.value << " (" << x.groups
                << " group" << (x.groups == 1 ? "" : "s") << " unloaded)";
          },
          [&](const auto&) { described = false; },
      },
      e.payload);
  return described;
}

}  // namespace ksim::event_text
