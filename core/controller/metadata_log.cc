#include "core/controller/metadata_log.h"

#include "core/base/assert.h"
#include "core/controller/metadata_record_codec.h"

namespace ksim {

size_t MetadataLog::recover() {
  records_.clear();
  const auto& entries = storage_.read(kFile);
  TopicName last_topic;
  for (const std::string& entry : entries) {
    auto record = decode_metadata_record(entry);
    if (!record) break;
    // Records of one topic share one name again, as the controller made them.
    if (auto* p = std::get_if<PartitionRecord>(&*record)) {
      if (p->topic == last_topic) p->topic = last_topic;
      else last_topic = p->topic;
    }
    records_.push_back(std::move(*record));
  }
  const size_t dropped = entries.size() - records_.size();
  if (dropped > 0) {
    storage_.truncate(kFile, records_.size());
    storage_.fsync(kFile);
  }
  return dropped;
}

int64_t MetadataLog::append(const std::vector<MetadataRecord>& batch) {
  const int64_t base = end_offset();
  if (batch.empty()) return base;
  for (const MetadataRecord& r : batch) {
    storage_.append(kFile, encode_metadata_record(r));
    records_.push_back(r);
  }
  storage_.fsync(kFile);
  KSIM_ASSERT(storage_.durable_entries(kFile) == records_.size());
  return base;
}

const MetadataRecord& MetadataLog::at(int64_t offset) const {
  KSIM_ASSERT_MSG(offset >= 0 && offset < end_offset(), "metadata offset " << offset << " outside [0, " << end_offset() << ")");
  return records_[static_cast<size_t>(offset)];
}

std::vector<MetadataRecord> MetadataLog::read_from(int64_t offset) const {
  if (offset < 0 || offset >= end_offset()) return {};
  return {records_.begin() + offset, records_.end()};
}

}  // namespace ksim
