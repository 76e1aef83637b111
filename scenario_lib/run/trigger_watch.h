#pragma once
// TriggerWatch: fires a scenario's event triggers ("when": the HW of a
// partition reaches an offset, a partition gets a new leader, a client has so
// many acks). It is a trace sink, so it costs one type test per event and
// never polls a process; each watch fires once.
//
// Conditions, as the trace shows them:
//   hw_reaches      any replica of the partition reports hw_changed with
//                   hw >= the offset (the leader's HW moves first);
//   leader_changes  a broker reports replica_role_changed "leader" for the
//                   partition at a higher leader epoch than the first leader
//                   it saw (so the initial election does not count);
//   acked           the client's producer_acked events reach the count.
//
// Firing schedules the action `after_ms` later through Simulation::at: the
// action never runs inside the handler whose event met the condition, and runs
// after every event already due at that instant.
#include <functional>
#include <vector>

#include "scenario_lib/format/scenario.h"
#include "sim/simulation.h"

namespace ksim::scenarios {

class TriggerWatch final : public TraceSink {
 public:
  explicit TriggerWatch(Simulation& sim) : sim_(sim) {}

  // `trigger` must not be Kind::at (schedule those with Simulation::at).
  void add(const Trigger& trigger, std::function<void()> action);
  void on_event(const TraceHeader& header, const TraceEvent& event) override;

 private:
  struct Watch {
    Trigger trigger;
    std::function<void()> action;
    NodeId client = kNoNode;
    LeaderEpoch first_epoch{-1};
    int64_t acks = 0;
    bool fired = false;
  };
  void fire(Watch& w);

  Simulation& sim_;
  std::vector<Watch> watches_;
};

}  // namespace ksim::scenarios
