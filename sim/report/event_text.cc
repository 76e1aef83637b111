#include "sim/report/event_text.h"

#include <cstdio>
#include <sstream>
#include <type_traits>

#include "sim/trace/field_visit.h"

namespace ksim {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// key=value for any event without a hand-written line.
struct GenericFields {
  std::ostringstream& out;
  const TraceHeader& header;
  template <class T>
  void value(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      out << (v ? "true" : "false");
    } else if constexpr (std::is_integral_v<T> || std::is_same_v<T, std::string> ||
                         std::is_same_v<T, std::string_view>) {
      out << v;
    } else if constexpr (std::is_same_v<T, NodeId>) {
      out << header.node_name(v);
    } else if constexpr (std::is_same_v<T, SimTime> || std::is_same_v<T, Duration>) {
      out << v.us / 1000.0 << "ms";
    } else if constexpr (requires { v.value; }) {
      out << v.value;
    } else {
      out << '[';
      bool first = true;
      for (const auto& x : v) {
        if (!first) out << ',';
        first = false;
        value(x);
      }
      out << ']';
    }
  }
  template <class T>
  void operator()(const char* name, const T& v) {
    out << ' ' << name << '=';
    value(v);
  }
};

}  // namespace

std::string format_time(SimTime t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%10.3f ms", static_cast<double>(t.us) / 1000.0);
  return buf;
}

bool is_notable(const TraceEvent& e) {
  // Routine traffic, and the repeated consequences of a fault that is already
  // on screen (sends to a node known to be down or cut off), only with -v.
  if (const auto* d = std::get_if<trace::MessageDropped>(&e.payload))
    return d->reason != "link_down" && d->reason != "receiver_down";
  return !std::holds_alternative<trace::MessageSent>(e.payload) &&
         !std::holds_alternative<trace::MessageDelivered>(e.payload) &&
         !std::holds_alternative<trace::DiskFlushed>(e.payload) &&
         !std::holds_alternative<trace::ConnectionLost>(e.payload);
}

std::string describe_event(const TraceHeader& h, const TraceEvent& e) {
  std::ostringstream out;
  const std::string_view who = h.node_name(e.node);
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
          [&](const auto& x) {
            out << who << "  " << std::decay_t<decltype(x)>::kKind;
            GenericFields g{out, h};
            std::decay_t<decltype(x)>::fields(x, g);
          },
      },
      e.payload);
  return out.str();
}

}  // namespace ksim
