#pragma once
// The topic-level log settings ksim models, with Kafka's names and defaults
// (LogConfig / ServerLogConfigs). Scenarios usually shrink segment.bytes so a
// lecture can show segments rolling.
#include <cstdint>

namespace ksim {

struct LogConfig {
  int64_t segment_bytes = 1024 * 1024 * 1024;  // log.segment.bytes / segment.bytes
  int64_t index_interval_bytes = 4096;          // log.index.interval.bytes / index.interval.bytes
};

}  // namespace ksim
