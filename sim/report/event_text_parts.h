#pragma once
// The timeline's lines (event_text.h), one file per family of trace events,
// as core/trace/ groups them. Each describes the events of its family and
// answers false for any other; describe_event asks them in turn and falls
// back to "kind key=value ...".
#include <sstream>
#include <string>
#include <vector>

#include "sim/report/event_text.h"

namespace ksim::event_text {

bool describe_kernel_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out);
bool describe_replication_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out);
bool describe_producer_state_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out);
bool describe_client_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out);
bool describe_group_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out);

// "[1,2,3]"
inline std::string ids_text(const std::vector<int32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}
// "orders-0"
inline std::string partition_text(const std::string& topic, PartitionId p) {
  return topic + "-" + std::to_string(p.value);
}
// "broker-2", or "none"
inline std::string broker_text(BrokerId b) { return b.value < 0 ? "none" : "broker-" + std::to_string(b.value); }

}  // namespace ksim::event_text
