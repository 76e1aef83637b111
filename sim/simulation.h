#pragma once
// Simulation: one deterministic run. It owns the virtual clock, the event
// queue, the network, every node's disk and the trace, and drives the nodes
// (core::Node state machines) through the Env seam.
//
// A run is a pure function of (nodes, options, seed, build): the clock only
// moves to the next event's time, equal-time events run in the order they were
// scheduled, every node draws from its own named random stream, and nothing
// depends on pointer values or unordered iteration. Running it twice gives the
// same trace hash (see sim/determinism.h).
//
// Lifecycle faults:
//   crash(n, power_loss=false)  process crash: volatile state, timers, paused
//                               work and connections die; the page cache lives.
//   crash(n, power_loss=true)   also loses every write not yet durable.
//   restart(n)                  a new process over the same disk; start() recovers.
//   pause(n, d)                 a stop-the-world pause: n handles nothing for d,
//                               then everything that arrived or fired runs late,
//                               in its original order.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/assert.h"
#include "core/env/env.h"
#include "core/env/node.h"
#include "sim/disk/disk.h"
#include "sim/kernel/event_queue.h"
#include "sim/network/network.h"
#include "sim/trace/trace.h"

namespace ksim {

struct SimulationOptions {
  uint64_t seed = 1;
  std::string scenario = "unnamed";  // for the trace header and failure reports
  NetworkOptions network;
  DiskOptions disk;
  bool keep_trace_events = true;  // keep events in memory (tests, viewer)
  // Printed when an assertion fails, so the failure can be replayed.
  std::string reproduce_command;
  // A zero-time livelock: this many events in a row at one virtual instant
  // stop the run as an invariant failure that names the instant and what
  // loops (issue 16). No bundled scenario comes near: the most events any
  // of them runs at one instant is a few hundred.
  uint64_t max_events_at_one_instant = 1'000'000;
};

// Builds a node's process: called at the start and on every restart.
using NodeFactory = std::function<std::unique_ptr<Node>(Env& env)>;

class Simulation final : private AssertContext, private NetworkHost, private DiskHost {
 public:
  explicit Simulation(SimulationOptions options);
  ~Simulation() override;
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Declares a node; all nodes are declared before start(). Names are unique.
  NodeId add_node(std::string name, std::string role, NodeFactory factory);
  // Starts every node (in declaration order) at time zero.
  void start();

  // Runs one event. Returns false if none is left.
  bool step();
  // Runs every event scheduled at or before `until`, then sets the clock to it.
  void run_until(SimTime until);
  SimTime now() const override { return now_; }
  // When the next event is due (nullopt if none is scheduled).
  std::optional<SimTime> next_event_time() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.top().at;
  }

  // --- faults -----------------------------------------------------------------
  void crash(NodeId n, bool power_loss = false);
  void restart(NodeId n);
  void pause(NodeId n, Duration duration);
  bool is_running(NodeId n) const { return nodes_[n.value].process != nullptr; }
  bool is_paused(NodeId n) const { return nodes_[n.value].paused; }
  // Runs `action` at `at` (scenario faults, test steps). Actions run in the
  // same total order as everything else.
  void at(SimTime at, std::function<void()> action);
  // Runs `fn` on n's running process as if it were one of its handlers: how a
  // scenario tells a client to act (send, join, leave). Call it from an action.
  void invoke(NodeId n, const std::function<void(Node&)>& fn);
  // Records that a fault was injected (scenario layer, explorer, tests).
  void note_fault(std::string fault, std::string detail);

  // --- access -----------------------------------------------------------------
  Network& network() { return *network_; }
  Disk& disk(NodeId n) { return *nodes_[n.value].disk; }
  Trace& trace() { return trace_; }
  const Trace& trace() const { return trace_; }
  const SimulationOptions& options() const { return options_; }
  size_t node_count() const { return nodes_.size(); }
  const std::string& node_name(NodeId n) const { return nodes_[n.value].name; }
  NodeId find_node(std::string_view name) const;  // kNoNode if unknown
  int32_t incarnation(NodeId n) const { return nodes_[n.value].incarnation; }
  uint64_t events_run() const { return events_run_; }
  size_t queued_events() const { return queue_.size(); }  // incl. cancelled timers not yet swept

  // The running process of `n` as its concrete type, for tests and fixtures
  // (nullptr while crashed). Checkers and the viewer read the trace instead.
  template <class T>
  T* process_as(NodeId n) {
    return dynamic_cast<T*>(nodes_[n.value].process.get());
  }

  // Called after every event, after the handling node's check_invariants().
  void add_invariant(std::function<void()> check) { invariants_.push_back(std::move(check)); }

 private:
  class NodeEnv;
  struct KernelEvent {
    enum class Kind : uint8_t { deliver, timer, writeback, connection_lost, resume, action };
    Kind kind;
    uint32_t node;
    uint64_t a;
    uint64_t b;
  };
  struct TimerSlot {
    uint32_t node = 0;
    int32_t incarnation = 0;
    uint32_t generation = 0;
    bool armed = false;
    TimerTag tag = 0;
  };
  struct NodeSlot {
    std::string name;
    std::string role;
    NodeFactory factory;
    std::unique_ptr<NodeEnv> env;
    std::unique_ptr<Disk> disk;
    std::unique_ptr<Node> process;  // null while crashed
    int32_t incarnation = 0;
    bool paused = false;
    uint64_t pause_generation = 0;
    std::vector<EventQueue<KernelEvent>::Entry> deferred;  // arrived during a pause
  };

  void dispatch(const EventQueue<KernelEvent>::Entry& entry);
  bool handle(const KernelEvent& ev);  // true if a node handled it
  void start_process(NodeId n);
  TimerId arm_timer(NodeId n, Duration after, TimerTag tag);
  void disarm_timer(TimerId id);
  void sweep_cancelled_timers();
  void check_after_event(NodeId handled_by);
  // Zero-time livelock detection: counts what runs in the last events before
  // the limit, then fails with the tally.
  void note_same_instant_event(const KernelEvent& ev, std::string_view message);
  [[noreturn]] void report_livelock() const;

  // AssertContext
  void describe(std::ostream& out) const override;
  // NetworkHost and DiskHost (now() is the public one above)
  void schedule_delivery(NodeId to, uint64_t slot, SimTime at) override;
  void schedule_connection_lost(NodeId node, NodeId peer, SimTime at) override;
  void schedule_writeback(NodeId node, uint64_t file_index, uint64_t generation, SimTime at) override;
  void trace_from(NodeId node, trace::Payload event) override;

  SimulationOptions options_;
  SimTime now_;
  EventQueue<KernelEvent> queue_;
  Trace trace_;
  std::unique_ptr<Network> network_;
  std::vector<NodeSlot> nodes_;
  std::vector<TimerSlot> timers_;
  std::vector<uint32_t> free_timers_;
  // Cancelled timers whose events are still queued (an estimate: a sweep zeroes
  // it, and events deferred by a pause are not swept).
  uint64_t cancelled_timers_queued_ = 0;
  static constexpr uint64_t kMinTimerSweep = 1024;
  std::vector<std::function<void()>> actions_;
  std::vector<std::function<void()>> invariants_;
  NodeId current_node_ = kNoNode;  // the node whose handler is running
  uint64_t events_run_ = 0;
  uint64_t events_at_this_instant_ = 0;
  bool sampling_livelock_ = false;  // the last kLivelockSample events before the limit
  static constexpr uint64_t kLivelockSample = 10'000;
  std::map<std::string, uint64_t> livelock_tally_;  // "broker-1: timer" -> events
  bool started_ = false;
};

}  // namespace ksim
