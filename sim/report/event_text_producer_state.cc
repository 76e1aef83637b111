// Timeline lines for core/trace/producer_state_events.h: the brokers' producer state (duplicates, rejected sequences, producer ids).
#include <variant>

#include "core/base/overloaded.h"
#include "sim/report/event_text_parts.h"

namespace ksim::event_text {

bool describe_producer_state_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out) {
  const std::string_view who = h.node_name(e.node);
  bool described = true;
  std::visit(
      Overloaded{
          [&](const trace::ProduceDuplicate& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": DUPLICATE from producer "
                << x.producer_id.value << " (epoch " << x.producer_epoch.value << ", seq " << x.first_sequence.value
                << ".." << x.last_sequence.value << "): already at offsets " << x.base_offset.value << ".."
                << x.last_offset.value << ", not appended again";
          },
          [&](const trace::ProduceRejectedSequence& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": REJECTED batch of producer "
                << x.producer_id.value << " (epoch " << x.producer_epoch.value << ", seq " << x.first_sequence.value
                << ".." << x.last_sequence.value << "): " << x.error << " (stored epoch " << x.stored_epoch.value
                << ", last seq " << x.stored_last_sequence.value << ")";
          },
          [&](const trace::ProducerIdBlockAllocated& x) {
            out << who << "  producer ids " << x.first_producer_id.value << ".."
                << x.first_producer_id.value + x.count - 1 << " allocated to " << broker_text(x.broker);
          },
          [&](const trace::ProducerIdAllocated& x) {
            out << who << "  " << h.node_name(x.client) << " is producer " << x.producer_id.value << " (epoch "
                << x.producer_epoch.value << ")";
          },
          [&](const auto&) { described = false; },
      },
      e.payload);
  return described;
}

}  // namespace ksim::event_text
