#pragma once
// BrokerHeartbeatManager: the controller's soft state about broker sessions
// (Kafka's BrokerHeartbeatManager, KIP-631). Soft: it is not in the metadata
// log. A restarted controller rebuilds it from the registrations in its image,
// giving every broker a fresh session that starts at recovery time, as Kafka's
// ClusterControlManager.activate() does after a controller failover.
//
// Per registered broker it keeps the last heartbeat time, the metadata offset
// the broker last reported, and the offset at which its controlled shutdown
// completes. A broker's session is valid while it is unfenced and
//     now - last_contact <= broker.session.timeout.ms
// so the controller fences it at the first instant after that (one virtual
// microsecond later); next_check_time() says when.
//
// The state machine a heartbeat drives (calculate_next_state, Kafka's
// calculateNextBrokerState):
//
//   current \ request      want_shutdown            want_fence      neither
//   FENCED                 SHUTDOWN_NOW             FENCED          UNFENCED if caught up*, else FENCED
//   UNFENCED               CONTROLLED_SHUTDOWN**    FENCED***       UNFENCED
//   CONTROLLED_SHUTDOWN    SHUTDOWN_NOW once it leads nothing and every active broker has
//                          replayed the records that moved its leaderships; else stays
//
//   *   caught up: current_metadata_offset >= the offset of its RegisterBrokerRecord
//   **  SHUTDOWN_NOW at once if it leads no partition
//   *** SHUTDOWN_NOW if it also wants to shut down
#include <cstdint>
#include <map>
#include <optional>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "core/protocol/controller_messages.h"

namespace ksim {

enum class BrokerControlState : uint8_t { fenced, unfenced, controlled_shutdown, shutdown_now };

std::string_view broker_control_state_name(BrokerControlState s);
inline bool is_fenced_state(BrokerControlState s) {
  return s == BrokerControlState::fenced || s == BrokerControlState::shutdown_now;
}

class BrokerHeartbeatManager {
 public:
  explicit BrokerHeartbeatManager(Duration session_timeout) : session_timeout_(session_timeout) {}

  struct Transition {
    BrokerControlState current;
    BrokerControlState next;
  };

  // Starts tracking `broker` (or updates its fencing) as of `now`; a broker
  // already tracked keeps its reported metadata offset.
  void register_broker(BrokerId broker, bool fenced, SimTime now);
  // Forgets `broker` (a new incarnation replaces the old registration).
  void remove(BrokerId broker);
  // The controller fenced it (session expiry): it no longer has a session.
  void fence(BrokerId broker);
  // A heartbeat arrived: refresh the session and the reported offset. A fenced
  // broker leaves controlled shutdown.
  void touch(BrokerId broker, bool fenced, int64_t metadata_offset, SimTime now);
  // Records the offset whose replay by every active broker completes the
  // broker's controlled shutdown (only the first call per shutdown counts).
  void maybe_update_controlled_shutdown_offset(BrokerId broker, int64_t offset);

  bool is_tracked(BrokerId broker) const { return brokers_.count(broker.value) > 0; }
  bool has_valid_session(BrokerId broker, SimTime now) const;
  // When the oldest unfenced session expires (the instant after its timeout);
  // nullopt if no broker is unfenced.
  std::optional<SimTime> next_check_time() const;
  // The unfenced broker with the oldest heartbeat if its session has expired.
  std::optional<BrokerId> find_one_stale_broker(SimTime now) const;
  // The lowest metadata offset reported by an active (unfenced, not shutting
  // down) broker; INT64_MAX if there is none.
  int64_t lowest_active_offset() const;
  bool in_controlled_shutdown(BrokerId broker) const;

  Transition calculate_next_state(BrokerId broker, const BrokerHeartbeatRequest& request,
                                  int64_t register_broker_record_offset, bool has_leaderships) const;

  void check_invariants() const;

 private:
  struct State {
    SimTime last_contact;
    uint64_t contact_seq = 0;  // orders equal last_contact times as Kafka's list does (insertion order)
    int64_t metadata_offset = -1;
    int64_t controlled_shutdown_offset = -1;  // >= 0 while shutting down
    bool fenced = true;
  };
  const State& state(BrokerId broker) const;
  State& state(BrokerId broker);
  const std::pair<const int32_t, State>* oldest_unfenced() const;

  Duration session_timeout_;
  std::map<int32_t, State> brokers_;
  uint64_t next_contact_seq_ = 0;
};

}  // namespace ksim
