// Timeline lines for core/trace/client_events.h: what producers and consumers did and saw.
#include <variant>

#include "core/base/overloaded.h"
#include "sim/report/event_text_parts.h"

namespace ksim::event_text {

bool describe_client_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out) {
  const std::string_view who = h.node_name(e.node);
  bool described = true;
  std::visit(
      Overloaded{
          [&](const trace::ProducerSend& x) {
            out << who << "  send " << record_text(h, x.record) << " to " << partition_text(x.topic, x.partition);
          },
          [&](const trace::ProducerAcked& x) {
            out << who << "  acked " << record_text(h, x.record) << " at " << partition_text(x.topic, x.partition);
            if (x.offset.value >= 0) out << " offset " << x.offset.value;
            else out << " (no offset: acks=0)";
          },
          [&](const trace::ProducerAttempt& x) {
            out << who << "  " << (x.attempt > 1 ? "RETRY " : "produce ") << "batch " << x.batch << " (";
            if (!x.records.empty()) out << record_text(h, x.records.front());
            if (x.records.size() > 1) out << ".." << record_text(h, x.records.back());
            out << ") to " << partition_text(x.topic, x.partition) << " at " << h.node_name(x.broker) << ", attempt "
                << x.attempt;
            if (x.producer_id.value >= 0)
              out << ", producer id " << x.producer_id.value << " epoch " << x.producer_epoch.value << " sequence "
                  << x.base_sequence.value;
          },
          [&](const trace::ProducerResponse& x) {
            out << who << "  batch " << x.batch << " to " << partition_text(x.topic, x.partition) << " attempt "
                << x.attempt << ": " << x.error;
            if (x.base_offset.value >= 0) out << " at offset " << x.base_offset.value;
            out << " -> " << x.outcome;
          },
          [&](const trace::ProducerIdChanged& x) {
            out << who << "  producer id " << x.producer_id.value << ", epoch " << x.producer_epoch.value << " ("
                << (x.reason == "epoch_bump" ? "epoch bumped after a sequence error, KIP-360" : "InitProducerId") << ")";
          },
          [&](const trace::ProducerFailed& x) {
            out << who << "  FAILED " << record_text(h, x.record) << " to " << partition_text(x.topic, x.partition) << ": "
                << x.error;
          },
          [&](const trace::ClientFailed& x) {
            out << who << "  STOPPED: fatal " << x.error << " (" << x.exception << ")";
            if (!x.partition.empty()) out << " on " << x.partition;
            if (!x.config.empty()) out << ", caused by " << x.config;
            out << ": " << x.reason;
          },
          [&](const auto&) { described = false; },
      },
      e.payload);
  return described;
}

}  // namespace ksim::event_text
