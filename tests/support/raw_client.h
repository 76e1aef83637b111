#pragma once
// RawClient: a client node that sends exactly the requests a test writes by
// hand (a Produce with an idempotent batch, an InitProducerId) and records
// every answer with its arrival time. For broker tests that must not depend on
// a real client's retry logic.
#include <vector>

#include "core/env/env.h"
#include "core/env/node.h"

namespace ksim::test {

class RawClient final : public Node {
 public:
  struct Arrival {
    SimTime at;
    NodeId from;
    Message msg;
  };

  explicit RawClient(Env& env) : env_(env) {}
  void start() override {}
  void on_message(NodeId from, ConnectionId, const Message& msg) override { received.push_back({env_.now(), from, msg}); }
  void on_timer(TimerId, TimerTag) override {}

  void send(NodeId to, Message msg) { env_.send(to, std::move(msg)); }

  template <class T>
  std::vector<std::pair<SimTime, T>> received_of() const {
    std::vector<std::pair<SimTime, T>> out;
    for (const Arrival& a : received)
      if (const T* x = std::get_if<T>(&a.msg)) out.emplace_back(a.at, *x);
    return out;
  }

  std::vector<Arrival> received;

 private:
  Env& env_;
};

}  // namespace ksim::test
