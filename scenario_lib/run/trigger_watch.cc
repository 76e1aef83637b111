#include "scenario_lib/run/trigger_watch.h"

#include "core/base/assert.h"

namespace ksim::scenarios {

void TriggerWatch::add(const Trigger& trigger, std::function<void()> action) {
  KSIM_ASSERT(trigger.kind != Trigger::Kind::at);
  Watch w{trigger, std::move(action)};
  if (trigger.kind == Trigger::Kind::acked) {
    w.client = sim_.find_node(trigger.client);
    KSIM_ASSERT_MSG(w.client != kNoNode, "no client " << trigger.client);
  }
  watches_.push_back(std::move(w));
}

void TriggerWatch::fire(Watch& w) {
  w.fired = true;
  sim_.at(sim_.now() + millis(w.trigger.after_ms), std::move(w.action));
}

void TriggerWatch::on_event(const TraceHeader& /*header*/, const TraceEvent& event) {
  if (const auto* hw = std::get_if<trace::HighWatermarkChanged>(&event.payload)) {
    for (Watch& w : watches_)
      if (!w.fired && w.trigger.kind == Trigger::Kind::hw_reaches && w.trigger.tp.topic == hw->topic &&
          w.trigger.tp.partition == hw->partition && hw->hw.value >= w.trigger.count)
        fire(w);
  } else if (const auto* role = std::get_if<trace::ReplicaRoleChanged>(&event.payload)) {
    if (role->role != "leader") return;
    for (Watch& w : watches_) {
      if (w.fired || w.trigger.kind != Trigger::Kind::leader_changes || w.trigger.tp.topic != role->topic ||
          w.trigger.tp.partition != role->partition)
        continue;
      if (w.first_epoch.value < 0) {
        w.first_epoch = role->leader_epoch;
      } else if (role->leader_epoch > w.first_epoch) {
        fire(w);
      }
    }
  } else if (std::holds_alternative<trace::ProducerAcked>(event.payload)) {
    for (Watch& w : watches_)
      if (!w.fired && w.trigger.kind == Trigger::Kind::acked && event.node == w.client && ++w.acks >= w.trigger.count)
        fire(w);
  }
}

}  // namespace ksim::scenarios
