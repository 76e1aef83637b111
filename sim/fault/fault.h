#pragma once
// Faults as data: the closed set of things a scenario, a test, the explorer or
// the viewer can do to a running cluster. FaultApplier (fault_applier.h) is the
// one place that applies them; every fault it applies or skips is recorded in
// the trace as fault_injected.
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
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/base/time.h"
#include "core/controller/controller_config.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

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
  // "broker-2", "leader(orders-0)", "follower(orders-0)", "coordinator(g1)".
  std::string str() const;
  bool operator==(const FaultTarget&) const = default;
};

// Which messages a drop or hold rule acts on. Empty fields match anything.
struct MessageSelector {
  std::string type;  // a message name, e.g. "ProduceResponse", "FetchResponse"
  std::optional<FaultTarget> from;
  std::optional<FaultTarget> to;
};

namespace fault {

struct Crash { FaultTarget target; };
struct PowerLoss { FaultTarget target; };
struct Restart { FaultTarget target; };
struct Pause { FaultTarget target; Duration duration; };
struct ControlledShutdown { FaultTarget target; };
struct Isolate { FaultTarget target; };
// Every link when `link` is empty, else the link between the two nodes.
struct Heal { std::optional<std::pair<FaultTarget, FaultTarget>> link; };
struct NetworkPartition { std::vector<std::vector<FaultTarget>> groups; };
// Both directions, or only a -> b when one_way.
struct Cut { FaultTarget a; FaultTarget b; bool one_way = false; };
struct SlowLink { FaultTarget a; FaultTarget b; Duration extra_delay; };
struct LossyLink { FaultTarget a; FaultTarget b; double loss = 0.0; };
// Acts on matching messages number nth .. nth + count - 1 (1-based, counted
// from when the fault fires); count < 0: every one from nth on.
struct Drop { MessageSelector match; int64_t nth = 1; int64_t count = 1; };
struct Hold {
  std::string id;  // what a release names
  MessageSelector match;
  int64_t nth = 1;
  int64_t count = -1;
  std::optional<Duration> duration;  // release on its own after this long
};
struct Release { std::string id; };
// A consumer client closes gracefully (KafkaConsumer.close(): commit if
// auto-commit is on, LeaveGroup unless it is a static member).
struct Leave { FaultTarget target; };
// Grow `topic` to `partitions` in total (ControllerNode::create_partitions).
// The controller's answer decides: an error (not an increase, an unknown
// topic) is traced, and the fault still counts as applied, as a command an
// operator typed.
struct AddPartitions { std::string topic; int32_t partitions = 0; };
// Create a topic of the scenario now (ControllerNode::create_topic), as an
// operator's kafka-topics.sh --create: a topic that a create_topic fault
// names is not created at the start. Consumers may subscribe to it before it
// exists (Kafka's assignors skip it until their metadata has it).
struct CreateTopic { InitialTopic topic; };

}  // namespace fault

using FaultAction = std::variant<fault::Crash, fault::PowerLoss, fault::Restart, fault::Pause,
                                 fault::ControlledShutdown, fault::Isolate, fault::Heal, fault::NetworkPartition,
                                 fault::Cut, fault::SlowLink, fault::LossyLink, fault::Drop, fault::Hold,
                                 fault::Release, fault::Leave, fault::AddPartitions, fault::CreateTopic>;

// The fault's kind as a scenario names it: "crash", "power_loss", "hold", ...
std::string_view fault_kind(const FaultAction& action);
// What it does, with targets unresolved: "crash leader(orders-0)",
// "drop ProduceResponse leader(orders-0) -> p1 (message 1)".
std::string describe_fault(const FaultAction& action);

}  // namespace ksim
