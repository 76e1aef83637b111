#include <catch2/catch.hpp>

#include <limits>

#include "core/controller/broker_heartbeat_manager.h"

namespace ksim {
namespace {

using S = BrokerControlState;
constexpr BrokerId kB{1};

BrokerHeartbeatRequest heartbeat(int64_t offset, bool want_fence, bool want_shutdown) {
  BrokerHeartbeatRequest r;
  r.broker = kB;
  r.current_metadata_offset = offset;
  r.want_fence = want_fence;
  r.want_shutdown = want_shutdown;
  return r;
}

TEST_CASE("a fenced broker is unfenced only when it asks and has replayed its registration record",
          "[controller][heartbeat]") {
  BrokerHeartbeatManager m(seconds(9));
  m.register_broker(kB, true, SimTime::zero());
  const int64_t registered_at = 10;
  CHECK(m.calculate_next_state(kB, heartbeat(9, false, false), registered_at, false).next == S::fenced);
  CHECK(m.calculate_next_state(kB, heartbeat(10, true, false), registered_at, false).next == S::fenced);
  CHECK(m.calculate_next_state(kB, heartbeat(10, false, false), registered_at, false).next == S::unfenced);
  CHECK(m.calculate_next_state(kB, heartbeat(-1, false, true), registered_at, false).next == S::shutdown_now);
}

TEST_CASE("an unfenced broker: want_fence fences, want_shutdown starts a controlled shutdown only if it leads",
          "[controller][heartbeat]") {
  BrokerHeartbeatManager m(seconds(9));
  m.register_broker(kB, false, SimTime::zero());
  CHECK(m.calculate_next_state(kB, heartbeat(5, false, false), 0, true).next == S::unfenced);
  CHECK(m.calculate_next_state(kB, heartbeat(5, true, false), 0, true).next == S::fenced);
  CHECK(m.calculate_next_state(kB, heartbeat(5, true, true), 0, true).next == S::shutdown_now);
  CHECK(m.calculate_next_state(kB, heartbeat(5, false, true), 0, true).next == S::controlled_shutdown);
  CHECK(m.calculate_next_state(kB, heartbeat(5, false, true), 0, false).next == S::shutdown_now);
}

TEST_CASE("controlled shutdown completes once the broker leads nothing and active brokers replayed the move",
          "[controller][heartbeat]") {
  BrokerHeartbeatManager m(seconds(9));
  const BrokerId other{2};
  m.register_broker(kB, false, SimTime::zero());
  m.register_broker(other, false, SimTime::zero());
  m.touch(other, false, 40, SimTime::zero());
  m.maybe_update_controlled_shutdown_offset(kB, 42);
  m.maybe_update_controlled_shutdown_offset(kB, 99);  // the first offset counts
  CHECK(m.in_controlled_shutdown(kB));
  CHECK(m.calculate_next_state(kB, heartbeat(50, false, true), 0, true).next == S::controlled_shutdown);
  CHECK(m.calculate_next_state(kB, heartbeat(50, false, true), 0, false).next == S::controlled_shutdown);
  m.touch(other, false, 42, SimTime::zero());
  CHECK(m.lowest_active_offset() == 42);  // the shutting-down broker does not count
  CHECK(m.calculate_next_state(kB, heartbeat(50, false, true), 0, false).next == S::shutdown_now);
  m.fence(other);
  CHECK(m.lowest_active_offset() == std::numeric_limits<int64_t>::max());
}

TEST_CASE("sessions expire strictly after the timeout, oldest first", "[controller][heartbeat]") {
  BrokerHeartbeatManager m(seconds(9));
  const BrokerId b2{2}, b3{3};
  m.register_broker(kB, false, SimTime::from_ms(1000));
  m.register_broker(b2, false, SimTime::from_ms(500));
  m.register_broker(b3, true, SimTime::zero());  // fenced: no session to expire
  CHECK(m.next_check_time() == SimTime::from_ms(9500) + micros(1));
  CHECK_FALSE(m.find_one_stale_broker(SimTime::from_ms(9500)));
  CHECK(m.find_one_stale_broker(SimTime::from_ms(9500) + micros(1)) == b2);
  m.fence(b2);
  CHECK(m.next_check_time() == SimTime::from_ms(10000) + micros(1));
  CHECK(m.has_valid_session(kB, SimTime::from_ms(10000)));
  CHECK_FALSE(m.has_valid_session(b2, SimTime::from_ms(600)));
  m.touch(kB, false, 3, SimTime::from_ms(5000));
  CHECK(m.next_check_time() == SimTime::from_ms(14000) + micros(1));
  m.touch(kB, true, 3, SimTime::from_ms(6000));
  CHECK_FALSE(m.next_check_time());
}

}  // namespace
}  // namespace ksim
