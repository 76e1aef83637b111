// The readable timeline shows a consumer's commit only when it was refused:
// an accepted one is already the coordinator's "committed" line.
#include <catch2/catch.hpp>

#include "sim/report/event_text.h"

namespace ksim {
namespace {

TraceEvent commit(std::string error) {
  return TraceEvent{SimTime{1000}, 1, NodeId(2),
                    trace::OffsetCommitted{"g1", GenerationId(1), "orders", PartitionId(0), Offset(20), std::move(error)}};
}

TEST_CASE("an accepted consumer commit is left to -v, a refused one is on the timeline", "[report][timeline]") {
  CHECK_FALSE(is_notable(commit("NONE")));
  CHECK(is_notable(commit("COMMIT_FAILED")));
  CHECK(is_notable(commit("ILLEGAL_GENERATION")));
}

}  // namespace
}  // namespace ksim
