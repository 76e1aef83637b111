#pragma once
// TraceBuilder: hand-written traces for the viewer's model tests, before the
// brokers and clients that will emit replication and client events exist.
// Events may be added out of time order (a message's send and its delivery in
// one call); build() sorts them by time, keeping the order of equal times, and
// numbers them, as a run would.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/base/assert.h"
#include "sim/trace/trace.h"
#include "viz/model/replay_model.h"

namespace ksim::test {

class TraceBuilder {
 public:
  // nodes: {name, role} in NodeId order.
  explicit TraceBuilder(std::initializer_list<TraceNodeInfo> nodes) {
    header_.scenario = "synthetic";
    header_.nodes = nodes;
  }
  void set_scenario(std::string s) { header_.scenario = std::move(s); }

  NodeId node(std::string_view name) const {
    const NodeId n = header_.find_node(name);
    KSIM_ASSERT_MSG(n != kNoNode || name == "-", "unknown node in a test trace");
    return n;
  }

  // Adds one event at `ms` (fractional milliseconds allowed) on `node` ("-" for run-level).
  TraceBuilder& at(double ms, std::string_view node_name, trace::Payload payload) {
    pending_.push_back({SimTime{static_cast<int64_t>(ms * 1000)}, pending_.size(), node(node_name), std::move(payload)});
    return *this;
  }

  // A message from `from` to `to` sent at `ms`, delivered `latency_ms` later.
  TraceBuilder& message(double ms, std::string_view from, std::string_view to, std::string_view type,
                        double latency_ms = 2) {
    const uint64_t id = next_msg_id_++;
    const SimTime arrive{static_cast<int64_t>((ms + latency_ms) * 1000)};
    at(ms, from, trace::MessageSent{id, node(to), type, 100, arrive});
    at(ms + latency_ms, to, trace::MessageDelivered{id, node(from), type});
    return *this;
  }

  const TraceHeader& header() const { return header_; }

  std::vector<TraceEvent> events() const {
    auto sorted = pending_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Pending& a, const Pending& b) { return a.time < b.time; });
    std::vector<TraceEvent> out;
    for (const Pending& p : sorted) out.push_back(TraceEvent{p.time, out.size(), p.node, p.payload});
    return out;
  }

  viz::ReplayModel model() const { return viz::ReplayModel::from_events(header_, events()); }

 private:
  struct Pending {
    SimTime time;
    size_t order;
    NodeId node;
    trace::Payload payload;
  };
  TraceHeader header_;
  std::vector<Pending> pending_;
  uint64_t next_msg_id_ = 1;
};

inline std::vector<int32_t> ids(std::initializer_list<int32_t> v) { return v; }
inline std::vector<RecordId> recs(std::initializer_list<uint64_t> v) {
  std::vector<RecordId> out;
  for (uint64_t x : v) out.push_back(RecordId(x));
  return out;
}

}  // namespace ksim::test
