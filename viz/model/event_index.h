#pragma once
// EventIndex: where things happen in a trace, built once as events arrive. It
// answers "the next event of kind K after this one" for stepping, gives the
// timeline its markers (faults, crashes, elections, ISR changes, rebalances,
// truncations), and records which nodes ever talked to each other, so the
// cluster view can lay out a graph that does not move while scrubbing.
#include <cstdint>
#include <map>
#include <string>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/trace/trace_event.h"

namespace ksim::viz {

inline constexpr size_t kKindCount = std::variant_size_v<trace::Payload>;
// The kind name of a payload alternative index ("node_crashed").
std::string_view kind_name(size_t kind);

// The timeline's lanes.
enum class MarkerLane : uint8_t { fault, node, election, isr, rebalance, truncation };
inline constexpr size_t kLaneCount = 6;
std::string_view lane_name(MarkerLane lane);

struct Marker {
  uint64_t event;
  MarkerLane lane;
};

// Which lane an event belongs in, if any. A controller's partition change is
// on the elections lane; the index moves it to the ISR lane when it kept the
// leader and its epoch (an ISR shrunk by fencing is not an election).
std::optional<MarkerLane> marker_lane(const TraceEvent& e);

class EventIndex {
 public:
  void add(const TraceEvent& e, uint64_t index);

  const std::vector<uint64_t>& of_kind(size_t kind) const { return by_kind_[kind]; }
  // The first event of `kind` at an index > after (or >= 0 if after is nullopt).
  std::optional<uint64_t> next_of_kind(size_t kind, std::optional<uint64_t> after) const;
  // The last event of `kind` at an index < before.
  std::optional<uint64_t> prev_of_kind(size_t kind, uint64_t before) const;

  const std::vector<Marker>& markers() const { return markers_; }
  bool lane_used(MarkerLane lane) const { return lane_counts_[static_cast<size_t>(lane)] > 0; }

  // Unordered node pairs (lower id first) that exchanged a message or had a
  // link between them changed.
  const std::set<std::pair<uint32_t, uint32_t>>& pairs() const { return pairs_; }

 private:
  std::vector<uint64_t> by_kind_[kKindCount];
  std::vector<Marker> markers_;
  size_t lane_counts_[kLaneCount] = {};
  std::set<std::pair<uint32_t, uint32_t>> pairs_;
  // Each partition's leader and leader epoch after its last change.
  std::map<std::pair<std::string, int32_t>, std::pair<int32_t, int32_t>> leadership_;
};

}  // namespace ksim::viz
