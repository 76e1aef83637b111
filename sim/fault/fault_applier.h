#pragma once
// FaultApplier: the one place that applies a fault (sim/fault/fault.h) to a
// running Cluster. A scenario's faults, tests and the explorer all go through
// it, so every fault is recorded the same way:
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
// Each kind's Fault::apply (sim/fault/kinds/) does the steps for its kind with
// the helpers below. It never fails an assertion over a fault that does not
// fit the run's state: what is possible depends on the run, and a skipped
// fault is an answer.
//
// Call apply() from a Simulation action (Simulation::at), never from inside a
// node's handler. Owns the scheduled follow-ups (a hold's own release, the
// controlled shutdown's stop), which hold a pointer to it: it must outlive the
// run.
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sim/cluster/cluster.h"
#include "sim/fault/fault.h"

namespace ksim {

class FaultApplier {
 public:
  explicit FaultApplier(Cluster& cluster) : cluster_(cluster) {}

  using Outcome = FaultOutcome;
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

  // --- for the kinds' apply (sim/fault/kinds/) ---
  Cluster& cluster() { return cluster_; }
  Simulation& sim() { return cluster_.sim(); }
  Network& net() { return cluster_.sim().network(); }

  // Records the fault as skipped, with the reason.
  Outcome skip(const Fault& fault, const std::string& reason, std::string_view note);
  // Records the fault as applied, with what it resolved to; apply it after.
  Outcome applied(const Fault& fault, const std::string& detail, std::string_view note);

  // Resolves one target; false (out.why_not set) when it names nothing now.
  bool resolve_one(const FaultTarget& target, Resolved& out);
  // Two targets that must be two different nodes; `why` when not.
  bool resolve_two(const FaultTarget& a, const FaultTarget& b, Resolved& ra, Resolved& rb, std::string& why);
  // A selector's targets resolved to nodes; `text` describes it resolved.
  bool resolve_selector(const MessageSelector& m, MessageMatch& out, std::string& text, std::string& why);

  // Holds by id: a hold keeps messages back until released, by a release
  // fault or by its own duration.
  bool hold_active(const std::string& id) const { return holds_.count(id) > 0; }
  void start_hold(const std::string& id, RuleId rule, std::optional<Duration> duration);
  void release(const std::string& id, std::string_view why);

  // Stops a broker once its controlled shutdown completes (polled), unless it
  // died or restarted meanwhile.
  void poll_shutdown(NodeId node, int32_t incarnation);

 private:
  Cluster& cluster_;
  std::map<std::string, RuleId, std::less<>> holds_;  // active holds by id
};

}  // namespace ksim
