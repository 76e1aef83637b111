#pragma once
// Trace events of the simulation kernel: node lifecycle, network, disk, faults.
// docs/trace-format.md documents every kind; keep the two in step.
//
// Each event is a plain struct with
//   static constexpr std::string_view kKind;   // the "kind" in the JSON Lines file
//   template <class S, class F> static void fields(S& self, F&& f);
// where `fields` calls f("name", self.member) for each field, in file order. One
// description serves writing, reading and hashing. string_view fields hold names
// with static storage (message kinds); a reader interns them.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/base/ids.h"
#include "core/base/time.h"

namespace ksim::trace {

// A node's process started: at the beginning of the run, or a restart after a
// crash (incarnation counts starts, from 1).
struct NodeStarted {
  static constexpr std::string_view kKind = "node_started";
  int32_t incarnation = 1;
  template <class S, class F> static void fields(S& s, F&& f) { f("incarnation", s.incarnation); }
};

// The process died: volatile state and timers are gone. A power loss also loses
// every write the disk had not made durable.
struct NodeCrashed {
  static constexpr std::string_view kKind = "node_crashed";
  bool power_loss = false;
  template <class S, class F> static void fields(S& s, F&& f) { f("power_loss", s.power_loss); }
};

// A stop-the-world pause (a long GC): the node handles nothing until it resumes,
// then everything that arrived or fired meanwhile runs late, in order.
struct NodePaused {
  static constexpr std::string_view kKind = "node_paused";
  Duration duration;
  template <class S, class F> static void fields(S& s, F&& f) { f("duration_us", s.duration); }
};

struct NodeResumed {
  static constexpr std::string_view kKind = "node_resumed";
  int64_t deferred_events = 0;  // how many events waited for the pause to end
  template <class S, class F> static void fields(S& s, F&& f) { f("deferred_events", s.deferred_events); }
};

// A message left `node` (the sender). deliver_at is when it will arrive unless
// it is dropped on the way (a cut link, a crash, a fault rule).
struct MessageSent {
  static constexpr std::string_view kKind = "message_sent";
  uint64_t msg_id = 0;
  NodeId to;
  std::string_view type;
  int64_t bytes = 0;
  SimTime deliver_at;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("msg_id", s.msg_id); f("to", s.to); f("type", s.type); f("bytes", s.bytes); f("deliver_at_us", s.deliver_at);
  }
};

// The message reached `node` (the receiver) and was handed to it.
struct MessageDelivered {
  static constexpr std::string_view kKind = "message_delivered";
  uint64_t msg_id = 0;
  NodeId from;
  std::string_view type;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("msg_id", s.msg_id); f("from", s.from); f("type", s.type);
  }
};

// The message will never arrive. `node` is the sender. Reasons: "link_down"
// (sent over a cut link), "connection_broken" (in flight when the link was cut
// or an end crashed), "receiver_down", "lossy_link", "fault_rule" (a scenario's
// drop rule, e.g. a lost acknowledgement), "connection_closed" (a response to a
// parked request whose connection closed meanwhile: it is never sent).
struct MessageDropped {
  static constexpr std::string_view kKind = "message_dropped";
  uint64_t msg_id = 0;
  NodeId to;
  std::string_view type;
  std::string_view reason;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("msg_id", s.msg_id); f("to", s.to); f("type", s.type); f("reason", s.reason);
  }
};

// A fault rule is holding the message; it arrives only once released.
struct MessageHeld {
  static constexpr std::string_view kKind = "message_held";
  uint64_t msg_id = 0;
  NodeId to;
  std::string_view type;
  template <class S, class F> static void fields(S& s, F&& f) { f("msg_id", s.msg_id); f("to", s.to); f("type", s.type); }
};

// The link between `node` and `peer` changed: up both ways, or cut in one
// direction (node -> peer) or both.
struct LinkChanged {
  static constexpr std::string_view kKind = "link_changed";
  NodeId peer;
  bool up_to_peer = true;    // node -> peer carries messages
  bool up_from_peer = true;  // peer -> node carries messages
  template <class S, class F> static void fields(S& s, F&& f) {
    f("peer", s.peer); f("up_to_peer", s.up_to_peer); f("up_from_peer", s.up_from_peer);
  }
};

// `node` noticed that its connection to `peer` broke (Kafka's NetworkClient
// sees a disconnect): requests in flight on it will get no answer.
struct ConnectionLost {
  static constexpr std::string_view kKind = "connection_lost";
  NodeId peer;
  template <class S, class F> static void fields(S& s, F&& f) { f("peer", s.peer); }
};

// The OS wrote a file's page cache back to the disk (or the node fsynced it).
struct DiskFlushed {
  static constexpr std::string_view kKind = "disk_flushed";
  std::string file;
  int64_t durable_entries = 0;
  bool fsync = false;  // the node asked for it; otherwise OS write-back
  template <class S, class F> static void fields(S& s, F&& f) {
    f("file", s.file); f("durable_entries", s.durable_entries); f("fsync", s.fsync);
  }
};

// A power loss threw away a file's unflushed writes.
struct DiskLost {
  static constexpr std::string_view kKind = "disk_lost";
  std::string file;
  int64_t entries_before = 0;
  int64_t entries_after = 0;
  template <class S, class F> static void fields(S& s, F&& f) {
    f("file", s.file); f("entries_before", s.entries_before); f("entries_after", s.entries_after);
  }
};

// A fault was injected by the scenario, the explorer or a test. `fault` is its
// kind ("crash", "isolate", "partition", "drop", ...), `detail` says what exactly.
struct FaultInjected {
  static constexpr std::string_view kKind = "fault_injected";
  std::string fault;
  std::string detail;
  template <class S, class F> static void fields(S& s, F&& f) { f("fault", s.fault); f("detail", s.detail); }
};

// A free-form note from a node, for demos and lectures ("counter reached 10").
struct Note {
  static constexpr std::string_view kKind = "note";
  std::string text;
  template <class S, class F> static void fields(S& s, F&& f) { f("text", s.text); }
};

}  // namespace ksim::trace
