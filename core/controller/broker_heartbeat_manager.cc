#include "core/controller/broker_heartbeat_manager.h"

#include <limits>

#include "core/base/assert.h"

namespace ksim {

std::string_view broker_control_state_name(BrokerControlState s) {
  switch (s) {
    case BrokerControlState::fenced: return "FENCED";
    case BrokerControlState::unfenced: return "UNFENCED";
    case BrokerControlState::controlled_shutdown: return "CONTROLLED_SHUTDOWN";
    case BrokerControlState::shutdown_now: return "SHUTDOWN_NOW";
  }
  return "?";
}

const BrokerHeartbeatManager::State& BrokerHeartbeatManager::state(BrokerId broker) const {
  auto it = brokers_.find(broker.value);
  KSIM_ASSERT_MSG(it != brokers_.end(), "broker " << broker.value << " has no heartbeat state");
  return it->second;
}

BrokerHeartbeatManager::State& BrokerHeartbeatManager::state(BrokerId broker) {
  auto it = brokers_.find(broker.value);
  KSIM_ASSERT_MSG(it != brokers_.end(), "broker " << broker.value << " has no heartbeat state");
  return it->second;
}

void BrokerHeartbeatManager::register_broker(BrokerId broker, bool fenced, SimTime now) {
  auto [it, inserted] = brokers_.try_emplace(broker.value);
  touch(broker, fenced, it->second.metadata_offset, now);
}

void BrokerHeartbeatManager::remove(BrokerId broker) { brokers_.erase(broker.value); }

void BrokerHeartbeatManager::fence(BrokerId broker) {
  auto it = brokers_.find(broker.value);
  if (it == brokers_.end()) return;
  it->second.fenced = true;
  it->second.controlled_shutdown_offset = -1;
}

void BrokerHeartbeatManager::touch(BrokerId broker, bool fenced, int64_t metadata_offset, SimTime now) {
  State& s = state(broker);
  s.last_contact = now;
  s.contact_seq = next_contact_seq_++;
  s.metadata_offset = metadata_offset;
  s.fenced = fenced;
  // A fenced broker leaves controlled shutdown; its next heartbeat shuts it down.
  if (fenced) s.controlled_shutdown_offset = -1;
}

void BrokerHeartbeatManager::maybe_update_controlled_shutdown_offset(BrokerId broker, int64_t offset) {
  State& s = state(broker);
  KSIM_ASSERT_MSG(!s.fenced, "fenced broker " << broker.value << " cannot enter controlled shutdown");
  if (s.controlled_shutdown_offset < 0) s.controlled_shutdown_offset = offset;
}

bool BrokerHeartbeatManager::has_valid_session(BrokerId broker, SimTime now) const {
  auto it = brokers_.find(broker.value);
  if (it == brokers_.end() || it->second.fenced) return false;
  return now - it->second.last_contact <= session_timeout_;
}

const std::pair<const int32_t, BrokerHeartbeatManager::State>* BrokerHeartbeatManager::oldest_unfenced() const {
  const std::pair<const int32_t, State>* oldest = nullptr;
  for (const auto& entry : brokers_) {
    const State& s = entry.second;
    if (s.fenced) continue;
    if (!oldest || s.last_contact < oldest->second.last_contact ||
        (s.last_contact == oldest->second.last_contact && s.contact_seq < oldest->second.contact_seq))
      oldest = &entry;
  }
  return oldest;
}

std::optional<SimTime> BrokerHeartbeatManager::next_check_time() const {
  const auto* oldest = oldest_unfenced();
  if (!oldest) return std::nullopt;
  return oldest->second.last_contact + session_timeout_ + micros(1);
}

std::optional<BrokerId> BrokerHeartbeatManager::find_one_stale_broker(SimTime now) const {
  // Unfenced sessions expire in last-contact order: if the oldest is valid, all are.
  const auto* oldest = oldest_unfenced();
  if (!oldest || has_valid_session(BrokerId(oldest->first), now)) return std::nullopt;
  return BrokerId(oldest->first);
}

int64_t BrokerHeartbeatManager::lowest_active_offset() const {
  int64_t lowest = std::numeric_limits<int64_t>::max();
  for (const auto& [id, s] : brokers_)
    if (!s.fenced && s.controlled_shutdown_offset < 0 && s.metadata_offset < lowest) lowest = s.metadata_offset;
  return lowest;
}

bool BrokerHeartbeatManager::in_controlled_shutdown(BrokerId broker) const {
  auto it = brokers_.find(broker.value);
  return it != brokers_.end() && it->second.controlled_shutdown_offset >= 0;
}

BrokerHeartbeatManager::Transition BrokerHeartbeatManager::calculate_next_state(
    BrokerId broker, const BrokerHeartbeatRequest& request, int64_t register_broker_record_offset,
    bool has_leaderships) const {
  using S = BrokerControlState;
  const State& s = state(broker);
  const S current = s.controlled_shutdown_offset >= 0 ? S::controlled_shutdown : s.fenced ? S::fenced : S::unfenced;
  switch (current) {
    case S::fenced:
      if (request.want_shutdown) return {current, S::shutdown_now};
      if (!request.want_fence && request.current_metadata_offset >= register_broker_record_offset)
        return {current, S::unfenced};
      return {current, S::fenced};
    case S::unfenced:
      if (request.want_fence) return {current, request.want_shutdown ? S::shutdown_now : S::fenced};
      if (request.want_shutdown) return {current, has_leaderships ? S::controlled_shutdown : S::shutdown_now};
      return {current, S::unfenced};
    case S::controlled_shutdown:
      if (has_leaderships) return {current, S::controlled_shutdown};
      // Every active broker must have replayed the records that moved the
      // leaderships away before this one may stop serving them.
      if (s.controlled_shutdown_offset <= lowest_active_offset()) return {current, S::shutdown_now};
      return {current, S::controlled_shutdown};
    case S::shutdown_now:
      break;
  }
  return {current, S::shutdown_now};
}

void BrokerHeartbeatManager::check_invariants() const {
  for (const auto& [id, s] : brokers_)
    KSIM_ASSERT_MSG(!(s.fenced && s.controlled_shutdown_offset >= 0),
                    "broker " << id << " is fenced yet in controlled shutdown");
}

}  // namespace ksim
