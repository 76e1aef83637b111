#pragma once
// CheckedRecords: the records the viewer marks lost (a red outline, the
// inspector's LOST ACKNOWLEDGED WRITE) or duplicate (a magenta flag), taken
// from the history checkers, so that the viewer and `ksim check` have one
// definition of each anomaly:
//
//   lost       every send the lost-write checker counts (sim/check/lost_write.h:
//              acknowledged, and not in the committed log of its partition);
//   duplicate  every record the duplicate checker counts (sim/check/duplicate.h:
//              at two or more offsets of the committed logs).
//
// The checkers' results keep only their first few examples; these are all of
// them. What the viewer adds is presentation: a sentence on where the lost
// record is at the end of the run, and the last truncation that removed it
// (from its journey).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "sim/check/check_context.h"
#include "sim/trace/trace.h"
#include "viz/model/cluster_state.h"
#include "viz/model/record_journey.h"

namespace ksim::viz {

// An acknowledged record the lost-write checker found missing.
struct LostRecord {
  RecordId id;
  TopicPartition tp;
  std::string why;                           // one readable sentence
  std::optional<uint64_t> truncation_event;  // the last truncation that removed it, if any
};

struct CheckedRecords {
  std::map<RecordId, LostRecord> lost;
  // Record id -> its offsets in the committed logs (in partition, offset order).
  std::map<RecordId, std::vector<Offset>> duplicates;
};

// `final_state` is the model's state after the last event; `journeys` its
// record journeys (for the truncation that removed a lost record).
CheckedRecords find_checked_records(const check::CheckContext& ctx, const ClusterState& final_state,
                                    const RecordJourneys& journeys, const TraceHeader& header);

}  // namespace ksim::viz
