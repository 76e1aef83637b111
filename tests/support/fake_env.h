#pragma once
// FakeEnv: an Env for unit tests of one core component without a simulation.
// The test sets the clock, and inspects what the component sent, which timers
// it armed and what it traced. Timers never fire by themselves.
#include <vector>

#include "core/env/env.h"
#include "tests/support/test_disk.h"

namespace ksim::test {

class FakeEnv final : public Env {
 public:
  struct Sent {
    NodeId to;
    Message msg;
  };
  struct Armed {
    TimerId id;
    SimTime at;
    TimerTag tag;
    bool cancelled = false;
  };

  explicit FakeEnv(NodeId self = NodeId(0), uint64_t seed = 1) : self_(self), rng_(seed) {}

  SimTime now() const override { return now_; }
  NodeId self() const override { return self_; }
  void send(NodeId to, Message msg) override { sent.push_back({to, std::move(msg)}); }
  // A connect to a node in `unreachable` fails (the test then calls the
  // component's on_connection_lost itself, as the network would).
  bool connect(NodeId to) override {
    for (NodeId n : unreachable)
      if (n == to) return false;
    return true;
  }
  TimerId set_timer(Duration after, TimerTag tag) override {
    TimerId id{next_timer_++};
    timers.push_back({id, now_ + after, tag});
    return id;
  }
  void cancel_timer(TimerId id) override {
    for (auto& t : timers)
      if (t.id == id) t.cancelled = true;
  }
  Rng& rng() override { return rng_; }
  Storage& storage() override { return disk.storage(); }
  void trace(trace::Payload event) override { traced.push_back(std::move(event)); }

  void advance(Duration d) { now_ += d; }
  void set_now(SimTime t) { now_ = t; }

  template <class T>
  std::vector<T> traced_of() const {
    std::vector<T> out;
    for (const auto& e : traced)
      if (const T* x = std::get_if<T>(&e)) out.push_back(*x);
    return out;
  }

  TestDisk disk;
  std::vector<Sent> sent;
  std::vector<Armed> timers;
  std::vector<trace::Payload> traced;
  std::vector<NodeId> unreachable;

 private:
  NodeId self_;
  SimTime now_;
  Rng rng_;
  uint64_t next_timer_ = 1;
};

}  // namespace ksim::test
