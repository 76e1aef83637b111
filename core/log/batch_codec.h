#pragma once
// The on-disk form of a record batch: one Storage entry per batch. Recovery
// decodes what survived a crash; a torn or garbled entry fails to decode and
// recovery truncates the log there (as Kafka's CRC check does).
#include <optional>
#include <string>

#include "core/log/record_batch.h"

namespace ksim {

std::string encode_batch(const RecordBatch& batch);
std::optional<RecordBatch> decode_batch(const std::string& bytes);

}  // namespace ksim
