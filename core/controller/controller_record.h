#pragma once
// ControllerRecord: a metadata record the controller is about to append,
// with why it was generated. The reason never reaches the log (brokers replay
// only the record); it names the change in the trace ("election",
// "isr_shrink", "session_expired", ...).
#include <string>
#include <vector>

#include "core/metadata/metadata_records.h"

namespace ksim {

struct ControllerRecord {
  MetadataRecord record;
  std::string reason;
};

// One write: appended together, made durable together, answered after.
using ControllerRecords = std::vector<ControllerRecord>;

}  // namespace ksim
