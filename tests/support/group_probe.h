#pragma once
// GroupProbe: a test client that speaks the group protocol by hand. The test
// sends hand-written requests (FindCoordinator, JoinGroup, OffsetCommit, ...)
// to a chosen broker and reads the responses it received.
#include <optional>
#include <vector>

#include "core/env/env.h"
#include "core/env/node.h"

namespace ksim::test {

class GroupProbe final : public Node {
 public:
  explicit GroupProbe(Env& env) : env_(env) {}
  void start() override {}
  void on_message(NodeId from, ConnectionId, const Message& msg) override { received.push_back({from, msg}); }
  void on_timer(TimerId, TimerTag) override {}

  // Sends `msg` with a fresh correlation id, which it returns.
  template <class Req>
  int32_t send(NodeId to, Req req) {
    req.correlation_id = next_correlation_++;
    env_.send(to, req);
    return req.correlation_id;
  }
  // The response of type T with this correlation id, if it arrived.
  template <class T>
  std::optional<T> response(int32_t correlation) const {
    for (const auto& r : received)
      if (const T* x = std::get_if<T>(&r.msg); x && x->correlation_id == correlation) return *x;
    return std::nullopt;
  }

  struct Received {
    NodeId from;
    Message msg;
  };
  std::vector<Received> received;

 private:
  Env& env_;
  int32_t next_correlation_ = 1;
};

}  // namespace ksim::test
