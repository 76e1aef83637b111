#include "viz/model/event_index.h"

#include <algorithm>
#include <array>

#include "sim/trace/field_visit.h"

namespace ksim::viz {
namespace {

const std::array<std::string_view, kKindCount>& kind_names() {
  static const std::array<std::string_view, kKindCount> names = [] {
    std::array<std::string_view, kKindCount> n{};
    trace::for_each_alternative([&](auto index) {
      n[decltype(index)::value] = std::variant_alternative_t<decltype(index)::value, trace::Payload>::kKind;
    });
    return n;
  }();
  return names;
}

}  // namespace

std::string_view kind_name(size_t kind) { return kind < kKindCount ? kind_names()[kind] : "?"; }

std::string_view lane_name(MarkerLane lane) {
  switch (lane) {
    case MarkerLane::fault: return "faults";
    case MarkerLane::node: return "crashes";
    case MarkerLane::election: return "elections";
    case MarkerLane::isr: return "ISR";
    case MarkerLane::rebalance: return "rebalances";
    case MarkerLane::truncation: return "truncations";
  }
  return "?";
}

std::optional<MarkerLane> marker_lane(const TraceEvent& e) {
  const auto& p = e.payload;
  if (std::holds_alternative<trace::FaultInjected>(p)) return MarkerLane::fault;
  if (std::holds_alternative<trace::NodeCrashed>(p) || std::holds_alternative<trace::NodePaused>(p) ||
      std::holds_alternative<trace::BrokerFencing>(p))
    return MarkerLane::node;
  if (const auto* s = std::get_if<trace::NodeStarted>(&p)) {
    if (s->incarnation > 1) return MarkerLane::node;
    return std::nullopt;
  }
  if (const auto* c = std::get_if<trace::PartitionChanged>(&p))
    return c->reason == "isr_shrink" || c->reason == "isr_expand" ? MarkerLane::isr : MarkerLane::election;
  if (std::holds_alternative<trace::IsrChangeProposed>(p)) return MarkerLane::isr;
  if (std::holds_alternative<trace::AssignmentChanged>(p)) return MarkerLane::rebalance;
  // The coordinator's view of a rebalance: where it begins and where it ends.
  if (const auto* g = std::get_if<trace::GroupStateChanged>(&p))
    return g->to == "PreparingRebalance" ? std::optional(MarkerLane::rebalance) : std::nullopt;
  if (std::holds_alternative<trace::GroupStable>(p)) return MarkerLane::rebalance;
  // A member the coordinator dropped (its session expired, it left): what
  // starts the next rebalance, and the moment a crashed consumer finally goes.
  if (std::holds_alternative<trace::MemberRemoved>(p)) return MarkerLane::rebalance;
  if (std::holds_alternative<trace::LogTruncated>(p)) return MarkerLane::truncation;
  return std::nullopt;
}

void EventIndex::add(const TraceEvent& e, uint64_t index) {
  by_kind_[e.payload.index()].push_back(index);
  if (auto lane = marker_lane(e)) {
    if (const auto* c = std::get_if<trace::PartitionChanged>(&e.payload)) {
      const std::pair<int32_t, int32_t> now{c->leader.value, c->leader_epoch.value};
      auto [it, first] = leadership_.try_emplace({c->topic, c->partition.value}, now);
      if (!first && it->second == now) lane = MarkerLane::isr;  // same leader, same epoch: only the ISR moved
      it->second = now;
    }
    markers_.push_back(Marker{index, *lane});
    ++lane_counts_[static_cast<size_t>(*lane)];
  }
  NodeId peer = kNoNode;
  if (const auto* s = std::get_if<trace::MessageSent>(&e.payload)) peer = s->to;
  else if (const auto* l = std::get_if<trace::LinkChanged>(&e.payload)) peer = l->peer;
  if (peer != kNoNode && e.node != kNoNode && peer != e.node)
    pairs_.insert({std::min(e.node.value, peer.value), std::max(e.node.value, peer.value)});
}

std::optional<uint64_t> EventIndex::next_of_kind(size_t kind, std::optional<uint64_t> after) const {
  const auto& v = by_kind_[kind];
  auto it = after ? std::upper_bound(v.begin(), v.end(), *after) : v.begin();
  if (it == v.end()) return std::nullopt;
  return *it;
}

std::optional<uint64_t> EventIndex::prev_of_kind(size_t kind, uint64_t before) const {
  const auto& v = by_kind_[kind];
  auto it = std::lower_bound(v.begin(), v.end(), before);
  if (it == v.begin()) return std::nullopt;
  return *std::prev(it);
}

}  // namespace ksim::viz
