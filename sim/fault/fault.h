#pragma once
// Faults as data: the things a scenario, a test, the explorer or the viewer can
// do to a running cluster. Each kind is defined once, in its own file under
// sim/fault/kinds/ (its arguments, how a scenario writes it, what it does, how
// the explorer draws it); sim/fault/fault_kind.h is the registry the loader,
// the applier, the report, the explorer and the schema test derive from.
// FaultApplier (fault_applier.h) applies them; every fault it applies or skips
// is recorded in the trace as fault_injected.
//
//   crash             process crash: volatile state and timers die, the page
//                     cache survives (Simulation::crash)
//   power_loss        a crash that also loses every write not yet on disk
//   restart           a new process over the same disk (start() recovers)
//   pause             stop-the-world pause for a duration (a long GC)
//   controlled_shutdown  BrokerNode::begin_controlled_shutdown; the process
//                     stops once the controller has moved its leaderships away
//   isolate           cut every link of a node
//   heal              bring every link back up, or one link
//   partition         nodes in different groups cannot talk (nodes in no group
//                     keep all their links)
//   cut               cut one link, both ways or one way (a -> b)
//   slow_link         add a one-way delay to both directions of a link
//   lossy_link        lose a fraction of the messages on a link, both ways
//   drop              lose the nth..nth+count-1 messages that match (a lost
//                     acknowledgement: type ProduceResponse)
//   hold / release    keep matching messages back until released (a follower
//                     stalled without being cut off); a hold may release
//                     itself after a duration
//   leave             a consumer closes gracefully
//   add_partitions    an operator grows a topic (kafka-topics.sh --alter
//                     --partitions N): CreatePartitions at the controller
//   create_topic      an operator creates a topic of the scenario
//                     (kafka-topics.sh --create): CreateTopics at the
//                     controller; the topic does not exist before
//
// Targets name a node ("broker-2", "controller", "p1") or a role resolved at
// the moment the fault fires, from the running brokers' state
// (sim/cluster/partition_view.h): "leader(orders-0)", "follower(orders-0)"
// (the first replica in assignment order that is not the leader),
// "coordinator(g1)" (the broker leading the group's __consumer_offsets
// partition, GroupCoordinatorService.partitionFor: the topic is created on the
// first FindCoordinator, so this too is resolved only when the fault fires).
// A role that resolves to nothing skips the fault, with the reason in the trace.
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/time.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

class FaultApplier;

struct FaultTarget {
  enum class Kind : uint8_t { node, leader, follower, coordinator };
  Kind kind = Kind::node;
  std::string node;   // Kind::node: the node's name
  TopicPartition tp;  // leader / follower
  std::string group;  // coordinator: the group id

  static FaultTarget named(std::string name) { return {Kind::node, std::move(name), {}, {}}; }
  static FaultTarget leader_of(TopicPartition tp) { return {Kind::leader, {}, std::move(tp), {}}; }
  static FaultTarget follower_of(TopicPartition tp) { return {Kind::follower, {}, std::move(tp), {}}; }
  static FaultTarget coordinator_of(std::string group) { return {Kind::coordinator, {}, {}, std::move(group)}; }
  // "broker-2", "leader(orders-0)", "follower(orders-0)", "coordinator(g1)":
  // also how a scenario writes it.
  std::string str() const;
  bool operator==(const FaultTarget&) const = default;
};

// Which messages a drop or hold rule acts on. Empty fields match anything.
struct MessageSelector {
  std::string type;  // a message name, e.g. "ProduceResponse", "FetchResponse"
  std::optional<FaultTarget> from;
  std::optional<FaultTarget> to;
};

// What applying a fault came to: applied, or skipped because it did not fit
// the run's state (the detail says why).
struct FaultOutcome {
  bool applied = false;
  std::string detail;  // what the trace says: the resolved fault, or why it was skipped
};

// One fault of some kind, with its arguments. Immutable once built; a
// scenario, a copy of it and an explored schedule may share it.
class Fault {
 public:
  virtual ~Fault() = default;
  // The kind as a scenario names it: "crash", "power_loss", "hold", ...
  virtual std::string_view kind() const = 0;
  // What it does, with targets unresolved: "crash leader(orders-0)",
  // "drop ProduceResponse from leader(orders-0) to p1 (message 1)".
  virtual std::string describe() const = 0;
  // Resolves targets and acts through the applier (FaultApplier::apply).
  virtual FaultOutcome apply(FaultApplier& applier, std::string_view note) const = 0;
  // The fault's keys in a scenario entry, beside "at_ms" (a shrunk
  // counterexample is saved as a scenario file).
  virtual void write(nlohmann::ordered_json& entry) const = 0;

  // A topic of the scenario this fault creates: the run does not create it
  // at the start (create_topic).
  virtual const std::string* creates_topic() const { return nullptr; }
  // The window a fault holds by itself (a pause, a hold released by its
  // duration), which the explorer's shrinker tries to shorten.
  virtual std::optional<Duration> own_duration() const { return std::nullopt; }
  virtual std::shared_ptr<const Fault> with_own_duration(Duration) const { return nullptr; }
};

using FaultAction = std::shared_ptr<const Fault>;

// fault->kind() and fault->describe(), for readers of a FaultAction.
inline std::string_view fault_kind(const FaultAction& action) { return action->kind(); }
inline std::string describe_fault(const FaultAction& action) { return action->describe(); }

// Text shared by the kinds' descriptions and trace details.
std::string ms_text(Duration d);                             // "250 ms"
std::string selector_text(const MessageSelector& m);          // "ProduceResponse from p1"
std::string range_text(int64_t nth, int64_t count);           // "message 1", "messages 2..3", "every one"
// A selector as a scenario writes it: {"type", "from", "to", "nth", "count"}
// (count -1 is "all").
nlohmann::ordered_json selector_json(const MessageSelector& m, int64_t nth, int64_t count);

}  // namespace ksim
