#include "sim/simulation.h"

#include <algorithm>
#include <ostream>
#include <sstream>

namespace ksim {

// The Env a node's process sees. One per node, living across restarts; the
// node's random stream continues across restarts too.
class Simulation::NodeEnv final : public Env {
 public:
  NodeEnv(Simulation& sim, NodeId id, Rng rng) : sim_(sim), id_(id), rng_(rng) {}

  SimTime now() const override { return sim_.now_; }
  NodeId self() const override { return id_; }
  void send(NodeId to, Message msg) override {
    KSIM_ASSERT_MSG(sim_.current_node_ == id_, "a node may only act from its own handlers");
    sim_.network_->send(id_, to, std::move(msg));
  }
  void respond(const ReplyTo& to, Message msg) override {
    KSIM_ASSERT_MSG(sim_.current_node_ == id_, "a node may only act from its own handlers");
    sim_.network_->respond(id_, to.node, to.connection.value, std::move(msg));
  }
  bool connect(NodeId to) override {
    KSIM_ASSERT_MSG(sim_.current_node_ == id_, "a node may only act from its own handlers");
    return sim_.network_->connect(id_, to);
  }
  TimerId set_timer(Duration after, TimerTag tag) override { return sim_.arm_timer(id_, after, tag); }
  void cancel_timer(TimerId id) override { sim_.disarm_timer(id); }
  Rng& rng() override { return rng_; }
  Storage& storage() override { return *sim_.nodes_[id_.value].disk; }
  void trace(trace::Payload event) override { sim_.trace_.record(sim_.now_, id_, std::move(event)); }

 private:
  Simulation& sim_;
  NodeId id_;
  Rng rng_;
};

Simulation::Simulation(SimulationOptions options)
    : options_(std::move(options)), trace_(options_.keep_trace_events) {
  trace_.header().seed = options_.seed;
  trace_.header().scenario = options_.scenario;
}

Simulation::~Simulation() = default;

NodeId Simulation::add_node(std::string name, std::string role, NodeFactory factory) {
  KSIM_ASSERT_MSG(!started_, "nodes are declared before start()");
  KSIM_ASSERT_MSG(find_node(name) == kNoNode, "duplicate node name " << name);
  const NodeId id(static_cast<uint32_t>(nodes_.size()));
  NodeSlot& slot = nodes_.emplace_back();
  slot.name = std::move(name);
  slot.role = std::move(role);
  slot.factory = std::move(factory);
  slot.env = std::make_unique<NodeEnv>(*this, id, Rng::stream(options_.seed, "node/" + slot.name));
  slot.disk = std::make_unique<Disk>(id, options_.disk, static_cast<DiskHost&>(*this));
  trace_.header().nodes.push_back({slot.name, slot.role});
  return id;
}

NodeId Simulation::find_node(std::string_view name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return NodeId(static_cast<uint32_t>(i));
  return kNoNode;
}

void Simulation::start() {
  KSIM_ASSERT(!started_);
  started_ = true;
  network_ = std::make_unique<Network>(nodes_.size(), options_.network, static_cast<NetworkHost&>(*this),
                                       Rng::stream(options_.seed, "network"));
  ScopedAssertContext scope(this);
  for (uint32_t i = 0; i < nodes_.size(); ++i) start_process(NodeId(i));
}

void Simulation::start_process(NodeId n) {
  NodeSlot& slot = nodes_[n.value];
  ++slot.incarnation;
  network_->node_up(n);
  trace_.record(now_, n, trace::NodeStarted{slot.incarnation});
  slot.process = slot.factory(*slot.env);
  KSIM_ASSERT(slot.process != nullptr);
  const NodeId previous = current_node_;
  current_node_ = n;
  slot.process->start();
  current_node_ = previous;
  check_after_event(n);
}

bool Simulation::step() {
  KSIM_ASSERT_MSG(started_, "call start() before running");
  if (queue_.empty()) return false;
  ScopedAssertContext scope(this);
  const auto entry = queue_.pop();
  KSIM_ASSERT(entry.at >= now_);
  if (entry.at == now_ && events_run_ > 0) {
    ++events_at_this_instant_;
    sampling_livelock_ = events_at_this_instant_ + kLivelockSample > options_.max_events_at_one_instant;
    if (events_at_this_instant_ >= options_.max_events_at_one_instant) report_livelock();
  } else if (events_at_this_instant_ > 0) {
    events_at_this_instant_ = 0;
    sampling_livelock_ = false;
    livelock_tally_.clear();
  }
  now_ = entry.at;
  ++events_run_;
  dispatch(entry);
  return true;
}

void Simulation::run_until(SimTime until) {
  while (!queue_.empty() && queue_.top().at <= until) step();
  if (until > now_) now_ = until;
}

void Simulation::dispatch(const EventQueue<KernelEvent>::Entry& entry) {
  const KernelEvent& ev = entry.payload;
  const bool node_event = ev.kind == KernelEvent::Kind::deliver || ev.kind == KernelEvent::Kind::timer ||
                          ev.kind == KernelEvent::Kind::connection_lost;
  if (node_event) {
    NodeSlot& slot = nodes_[ev.node];
    if (slot.paused && slot.process) {
      // The process is frozen: the event waits, in order, for the pause to end.
      // A cancelled timer is not an event that waits: it goes now, so the
      // count in node_resumed is what really ran late.
      if (ev.kind == KernelEvent::Kind::timer && !timers_[static_cast<uint32_t>(ev.a & 0xffffffffULL)].armed) {
        handle(ev);  // frees the slot
        return;
      }
      slot.deferred.push_back(entry);
      return;
    }
  }
  const bool handled = handle(ev);
  if (handled) check_after_event(NodeId(ev.node));
}

bool Simulation::handle(const KernelEvent& ev) {
  const NodeId n(ev.node);
  NodeSlot& slot = nodes_[ev.node];
  if (sampling_livelock_ && ev.kind != KernelEvent::Kind::deliver) [[unlikely]]
    note_same_instant_event(ev, {});
  switch (ev.kind) {
    case KernelEvent::Kind::deliver: {
      auto msg = network_->take(ev.a);
      if (sampling_livelock_) [[unlikely]]
        note_same_instant_event(ev, msg ? message_name(msg->message) : std::string_view("a lost message"));
      if (!msg) return false;  // lost on the way; the drop is already traced
      KSIM_ASSERT_MSG(slot.process, "delivery to a crashed node " << slot.name);
      trace_.record(now_, n, trace::MessageDelivered{msg->msg_id, msg->from, message_name(msg->message)});
      current_node_ = n;
      slot.process->on_message(msg->from, ConnectionId(msg->connection), msg->message);
      current_node_ = kNoNode;
      return true;
    }
    case KernelEvent::Kind::timer: {
      const uint32_t index = static_cast<uint32_t>(ev.a & 0xffffffffULL);
      TimerSlot& t = timers_[index];
      KSIM_ASSERT(t.generation == static_cast<uint32_t>(ev.a >> 32));
      free_timers_.push_back(index);  // fired or cancelled: the slot is free again
      if (!t.armed) {
        if (cancelled_timers_queued_ > 0) --cancelled_timers_queued_;
        return false;
      }
      t.armed = false;
      if (t.incarnation != slot.incarnation || !slot.process) return false;  // died with its process
      current_node_ = n;
      slot.process->on_timer(TimerId{ev.a}, t.tag);
      current_node_ = kNoNode;
      return true;
    }
    case KernelEvent::Kind::connection_lost: {
      const NodeId peer(static_cast<uint32_t>(ev.a));
      if (!network_->take_notice(n, peer)) return false;
      if (static_cast<int32_t>(ev.b) != slot.incarnation || !slot.process) return false;
      trace_.record(now_, n, trace::ConnectionLost{peer});
      current_node_ = n;
      slot.process->on_connection_lost(peer);
      current_node_ = kNoNode;
      return true;
    }
    case KernelEvent::Kind::writeback:
      slot.disk->on_writeback(ev.a, ev.b);
      return false;
    case KernelEvent::Kind::resume: {
      if (!slot.paused || ev.a != slot.pause_generation) return false;
      slot.paused = false;
      auto deferred = std::move(slot.deferred);
      slot.deferred.clear();
      trace_.record(now_, n, trace::NodeResumed{static_cast<int64_t>(deferred.size())});
      // Everything that waited runs now, in its original order.
      for (const auto& e : deferred) queue_.push(now_, e.payload);
      return false;
    }
    case KernelEvent::Kind::action: {
      auto action = std::move(actions_[ev.a]);
      actions_[ev.a] = nullptr;
      action();
      for (const auto& check : invariants_) check();
      return false;
    }
  }
  return false;
}

void Simulation::check_after_event(NodeId handled_by) {
  NodeSlot& slot = nodes_[handled_by.value];
  if (slot.process) {
    current_node_ = handled_by;
    slot.process->check_invariants();
    current_node_ = kNoNode;
  }
  for (const auto& check : invariants_) check();
}

TimerId Simulation::arm_timer(NodeId n, Duration after, TimerTag tag) {
  KSIM_ASSERT_MSG(after.us >= 0, "timer in the past: " << after.us << "us");
  uint32_t index;
  if (!free_timers_.empty()) {
    index = free_timers_.back();
    free_timers_.pop_back();
  } else {
    index = static_cast<uint32_t>(timers_.size());
    timers_.emplace_back();
  }
  TimerSlot& t = timers_[index];
  t.node = n.value;
  t.incarnation = nodes_[n.value].incarnation;
  ++t.generation;
  t.armed = true;
  t.tag = tag;
  const uint64_t id = (static_cast<uint64_t>(t.generation) << 32) | index;
  queue_.push(now_ + after, KernelEvent{KernelEvent::Kind::timer, n.value, id, 0});
  return TimerId{id};
}

void Simulation::disarm_timer(TimerId id) {
  if (!id.valid()) return;
  const uint32_t index = static_cast<uint32_t>(id.value & 0xffffffffULL);
  KSIM_ASSERT(index < timers_.size());
  TimerSlot& t = timers_[index];
  if (!t.armed || t.generation != static_cast<uint32_t>(id.value >> 32)) return;
  // The queued event stays and is skipped when it comes up (generation check);
  // the slot is recycled only then, so the generation cannot be reused early.
  t.armed = false;
  // Most timers are cancelled (every request arms a 30 s timeout that its
  // response cancels), so dead entries would outnumber live ones a hundred to
  // one and make every pop dearer. Sweep them out once they are half the queue.
  if (++cancelled_timers_queued_ >= kMinTimerSweep && cancelled_timers_queued_ * 2 > queue_.size()) sweep_cancelled_timers();
}

void Simulation::sweep_cancelled_timers() {
  queue_.remove_if([this](const KernelEvent& ev) {
    if (ev.kind != KernelEvent::Kind::timer) return false;
    const uint32_t index = static_cast<uint32_t>(ev.a & 0xffffffffULL);
    if (timers_[index].armed) return false;
    free_timers_.push_back(index);  // as if it had come up
    return true;
  });
  cancelled_timers_queued_ = 0;
}

void Simulation::crash(NodeId n, bool power_loss) {
  NodeSlot& slot = nodes_[n.value];
  KSIM_ASSERT_MSG(slot.process, "crash of " << slot.name << ", which is not running");
  trace_.record(now_, n, trace::NodeCrashed{power_loss});
  slot.process.reset();
  slot.paused = false;
  slot.deferred.clear();
  ++slot.pause_generation;
  network_->node_down(n);
  if (power_loss) slot.disk->lose_power();
}

void Simulation::restart(NodeId n) {
  NodeSlot& slot = nodes_[n.value];
  KSIM_ASSERT_MSG(!slot.process, "restart of " << slot.name << ", which is running");
  start_process(n);
}

void Simulation::pause(NodeId n, Duration duration) {
  NodeSlot& slot = nodes_[n.value];
  KSIM_ASSERT_MSG(slot.process, "pause of " << slot.name << ", which is not running");
  KSIM_ASSERT_MSG(!slot.paused, slot.name << " is already paused");
  slot.paused = true;
  ++slot.pause_generation;
  trace_.record(now_, n, trace::NodePaused{duration});
  queue_.push(now_ + duration, KernelEvent{KernelEvent::Kind::resume, n.value, slot.pause_generation, 0});
}

void Simulation::at(SimTime when, std::function<void()> action) {
  KSIM_ASSERT_MSG(when >= now_, "action scheduled in the past");
  actions_.push_back(std::move(action));
  queue_.push(when, KernelEvent{KernelEvent::Kind::action, 0, actions_.size() - 1, 0});
}

void Simulation::invoke(NodeId n, const std::function<void(Node&)>& fn) {
  NodeSlot& slot = nodes_[n.value];
  KSIM_ASSERT_MSG(slot.process, "invoke on " << slot.name << ", which is not running");
  KSIM_ASSERT_MSG(!slot.paused, "invoke on " << slot.name << ", which is paused");
  // Like a step: a failed check names the seed, the time and the node.
  ScopedAssertContext scope(this);
  const NodeId previous = current_node_;
  current_node_ = n;
  fn(*slot.process);
  check_after_event(n);
  current_node_ = previous;
}

void Simulation::note_fault(std::string fault, std::string detail) {
  trace_.record(now_, kNoNode, trace::FaultInjected{std::move(fault), std::move(detail)});
}

void Simulation::schedule_delivery(NodeId to, uint64_t slot, SimTime at) {
  queue_.push(at, KernelEvent{KernelEvent::Kind::deliver, to.value, slot, 0});
}

void Simulation::schedule_connection_lost(NodeId node, NodeId peer, SimTime at) {
  queue_.push(at, KernelEvent{KernelEvent::Kind::connection_lost, node.value, peer.value,
                              static_cast<uint64_t>(nodes_[node.value].incarnation)});
}

void Simulation::schedule_writeback(NodeId node, uint64_t file_index, uint64_t generation, SimTime at) {
  queue_.push(at, KernelEvent{KernelEvent::Kind::writeback, node.value, file_index, generation});
}

void Simulation::trace_from(NodeId node, trace::Payload event) { trace_.record(now_, node, std::move(event)); }

void Simulation::note_same_instant_event(const KernelEvent& ev, std::string_view message) {
  std::string what = ev.node < nodes_.size() ? nodes_[ev.node].name + ": " : std::string();
  switch (ev.kind) {
    case KernelEvent::Kind::deliver: what += "receives " + std::string(message); break;
    case KernelEvent::Kind::timer: what += "timer"; break;
    case KernelEvent::Kind::connection_lost: what += "connection lost"; break;
    case KernelEvent::Kind::writeback: what += "disk writeback"; break;
    case KernelEvent::Kind::resume: what += "resume"; break;
    case KernelEvent::Kind::action: what = "scenario action"; break;
  }
  ++livelock_tally_[what];
}

void Simulation::report_livelock() const {
  // What ran most in the sample, most first.
  std::vector<std::pair<uint64_t, std::string>> top;
  for (const auto& [what, count] : livelock_tally_) top.emplace_back(count, what);
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::ostringstream msg;
  msg << "zero-time livelock: virtual time stopped at " << now_.us / 1000 << "." << (now_.us % 1000) / 100
      << " ms for " << events_at_this_instant_ << " events in a row; settings of 0 that answer each other at once "
      << "(a latency of 0 with replica.fetch.wait.max.ms 0, a request timeout and retry backoff of 0, ...) loop "
      << "without letting time pass. The last " << std::min(events_at_this_instant_, kLivelockSample)
      << " events:";
  for (size_t i = 0; i < top.size() && i < 8; ++i) msg << "\n    " << top[i].first << " x " << top[i].second;
  assert_failed(__FILE__, __LINE__, "virtual time advances", msg.str());
}

void Simulation::describe(std::ostream& out) const {
  out << "  seed " << options_.seed << ", scenario \"" << options_.scenario << "\", virtual time "
      << now_.us / 1000 << "." << (now_.us % 1000) / 100 << " ms, event #" << events_run_;
  if (current_node_ != kNoNode && current_node_.value < nodes_.size())
    out << ", in node " << nodes_[current_node_.value].name;
  out << "\n";
  if (!options_.reproduce_command.empty()) out << "  reproduce with: " << options_.reproduce_command << "\n";
}

}  // namespace ksim
