#pragma once
// FaultApplier: the one place that applies a FaultAction (sim/fault/fault.h)
// to a running Cluster. A scenario's faults, tests and the explorer all go
// through it, so every fault is recorded the same way:
//
//   1. resolve the targets now ("leader(orders-0)" -> broker-1), from the
//      running brokers' state (sim/cluster/partition_view.h);
//   2. if the fault cannot apply (a role resolves to nothing, the node is
//      already down or paused, the hold to release is not active), record
//      fault_injected with fault "skipped" and the reason, and do nothing else;
//   3. otherwise record fault_injected (kind, resolved targets, the optional
//      note) and then apply it, so the fault precedes its consequences in the
//      trace.
//
// It never fails an assertion over a fault that does not fit the run's state:
// what is possible depends on the run, and a skipped fault is an answer.
//
// Call apply() from a Simulation action (Simulation::at), never from inside a
// node's handler. Owns the scheduled follow-ups (a hold's own release, the
// controlled shutdown's stop), which hold a pointer to it: it must outlive the
// run.
#include <map>
#include <string>
#include <string_view>

#include "sim/cluster/cluster.h"
#include "sim/fault/fault.h"

namespace ksim {

class FaultApplier {
 public:
  explicit FaultApplier(Cluster& cluster) : cluster_(cluster) {}

  struct Outcome {
    bool applied = false;
    std::string detail;  // what the trace says: the resolved fault, or why it was skipped
  };
  // `note` is appended to the trace detail (a scenario's "note": why it happens).
  Outcome apply(const FaultAction& action, std::string_view note = {});

  struct Resolved {
    NodeId node = kNoNode;
    std::string text;     // "broker-1" or "broker-1 (leader of orders-0)"
    std::string why_not;  // set when node == kNoNode
  };
  Resolved resolve(const FaultTarget& target);

  // How often a controlled shutdown's completion is polled.
  static constexpr Duration kShutdownPoll = millis(10);

 private:
  Outcome skip(const FaultAction& action, const std::string& reason, std::string_view note);
  Outcome applied(const FaultAction& action, const std::string& detail, std::string_view note);
  void poll_shutdown(NodeId node, int32_t incarnation);
  void release(const std::string& id, std::string_view why);

  Cluster& cluster_;
  std::map<std::string, RuleId, std::less<>> holds_;  // active holds by id
};

}  // namespace ksim
