#include "sim/report/event_text.h"

#include <cstdio>
#include <sstream>
#include <type_traits>

#include "sim/report/event_text_parts.h"
#include "sim/trace/field_visit.h"

namespace ksim {
namespace {

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
  // Routine traffic and bookkeeping, and the repeated consequences of a fault
  // that is already on screen (messages lost to a cut link or a dead peer,
  // held messages), only with -v. Faults, lifecycle, the controller's and the
  // replicas' decisions, truncations and what clients saw are notable.
  if (const auto* d = std::get_if<trace::MessageDropped>(&e.payload))
    return d->reason == "fault_rule" || d->reason == "lossy_link";
  if (const auto* t = std::get_if<trace::LogTruncated>(&e.payload))
    return !t->removed.empty() || t->reason == "recovery";
  // A producer's first attempts and plain acknowledgements repeat what
  // producer_acked says; retries, errors and expiries are the story.
  if (const auto* a = std::get_if<trace::ProducerAttempt>(&e.payload)) return a->attempt > 1;
  if (const auto* r = std::get_if<trace::ProducerResponse>(&e.payload)) return r->outcome != "acked" || r->error != "NONE";
  // A consumer's accepted commit repeats the coordinator's "committed" line; a
  // refused one (the zombie's COMMIT_FAILED) is the story.
  if (const auto* c = std::get_if<trace::OffsetCommitted>(&e.payload)) return c->error != "NONE";
  return !std::holds_alternative<trace::MessageSent>(e.payload) &&
         !std::holds_alternative<trace::MessageDelivered>(e.payload) &&
         !std::holds_alternative<trace::MessageHeld>(e.payload) &&
         !std::holds_alternative<trace::DiskFlushed>(e.payload) &&
         !std::holds_alternative<trace::ConnectionLost>(e.payload) &&
         !std::holds_alternative<trace::LogAppended>(e.payload) &&
         !std::holds_alternative<trace::HighWatermarkChanged>(e.payload) &&
         !std::holds_alternative<trace::EpochCacheChanged>(e.payload) &&
         !std::holds_alternative<trace::EpochEndOffsetRequested>(e.payload) &&
         !std::holds_alternative<trace::FetchServed>(e.payload) &&
         !std::holds_alternative<trace::ProducerSend>(e.payload);
}

std::string record_text(const TraceHeader& header, RecordId record) {
  return std::string(header.node_name(record_producer(record))) + "#" + std::to_string(record_send_index(record));
}

std::string describe_event(const TraceHeader& h, const TraceEvent& e) {
  std::ostringstream out;
  if (event_text::describe_kernel_event(h, e, out) || event_text::describe_replication_event(h, e, out) ||
      event_text::describe_producer_state_event(h, e, out) || event_text::describe_client_event(h, e, out) ||
      event_text::describe_group_event(h, e, out))
    return out.str();
  // Any other event: its kind and fields.
  std::visit(
      [&](const auto& x) {
        out << h.node_name(e.node) << "  " << std::decay_t<decltype(x)>::kKind;
        GenericFields g{out, h};
        std::decay_t<decltype(x)>::fields(x, g);
      },
      e.payload);
  return out.str();
}

}  // namespace ksim
