// Timeline lines for core/trace/kernel_events.h: processes, messages, links, disks, faults, notes.
#include <variant>

#include "core/base/overloaded.h"
#include "sim/report/event_text_parts.h"

namespace ksim::event_text {

bool describe_kernel_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out) {
  const std::string_view who = h.node_name(e.node);
  bool described = true;
  std::visit(
      Overloaded{
          [&](const trace::NodeStarted& x) {
            out << who << "  started" << (x.incarnation > 1 ? " again (incarnation " + std::to_string(x.incarnation) + ")" : "");
          },
          [&](const trace::NodeCrashed& x) { out << who << "  CRASHED" << (x.power_loss ? " (power loss)" : " (process)"); },
          [&](const trace::NodePaused& x) { out << who << "  paused for " << x.duration.us / 1000.0 << " ms"; },
          [&](const trace::NodeResumed& x) { out << who << "  resumed; " << x.deferred_events << " events ran late"; },
          [&](const trace::MessageSent& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << x.type << " #" << x.msg_id << " (" << x.bytes
                << " B, arrives " << x.deliver_at.us / 1000.0 << " ms)";
          },
          [&](const trace::MessageDelivered& x) {
            out << h.node_name(x.from) << " -> " << who << "  " << x.type << " #" << x.msg_id << " delivered";
          },
          [&](const trace::MessageDropped& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << x.type << " #" << x.msg_id << " LOST (" << x.reason << ")";
          },
          [&](const trace::MessageHeld& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << x.type << " #" << x.msg_id << " held by a fault rule";
          },
          [&](const trace::LinkChanged& x) {
            out << "link " << who << " <-> " << h.node_name(x.peer) << "  "
                << (x.up_to_peer && x.up_from_peer ? "up"
                    : !x.up_to_peer && !x.up_from_peer ? "CUT"
                    : x.up_to_peer ? "cut one way (" + std::string(h.node_name(x.peer)) + " -> " + std::string(who) + ")"
                                   : "cut one way (" + std::string(who) + " -> " + std::string(h.node_name(x.peer)) + ")");
          },
          [&](const trace::ConnectionLost& x) { out << who << "  noticed its connection to " << h.node_name(x.peer) << " broke"; },
          [&](const trace::DiskFlushed& x) {
            out << who << "  disk: " << x.file << " durable up to " << x.durable_entries << " entries" << (x.fsync ? " (fsync)" : "");
          },
          [&](const trace::DiskLost& x) {
            out << who << "  disk: " << x.file << " lost unflushed writes (" << x.entries_before << " -> " << x.entries_after
                << " entries)";
          },
          [&](const trace::FaultInjected& x) { out << "FAULT " << x.fault << ": " << x.detail; },
          [&](const trace::Note& x) { out << who << "  " << x.text; },
          [&](const auto&) { described = false; },
      },
      e.payload);
  return described;
}

}  // namespace ksim::event_text
