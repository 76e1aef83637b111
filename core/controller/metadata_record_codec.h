#pragma once
// The on-disk form of one metadata log record: one Storage entry per record in
// the controller's __cluster_metadata file. A tag byte names the record type
// (as KRaft's record frames carry an api key), then the fields in declaration
// order. decode returns nullopt for an entry that is torn, garbled or of an
// unknown type; recovery stops the log there.
#include <optional>
#include <string>

#include "core/metadata/metadata_records.h"

namespace ksim {

std::string encode_metadata_record(const MetadataRecord& record);
std::optional<MetadataRecord> decode_metadata_record(const std::string& bytes);

}  // namespace ksim
