#include "sim/trace/trace.h"

#include <cstring>
#include <type_traits>

#include "core/base/rng.h"
#include "sim/trace/field_visit.h"

namespace ksim {
namespace {

// A 64-bit running hash: each value is mixed in with a multiply-xorshift step.
// Stable across platforms of the same endianness-independent arithmetic.
struct Hasher {
  uint64_t h;

  void add(uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  void add(std::string_view s) {
    add(fnv1a64(s));
    add(static_cast<uint64_t>(s.size()));
  }

  template <class T>
  void operator()(const char* /*name*/, const T& v) {
    if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T>) {
      add(static_cast<uint64_t>(v));
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
      add(std::string_view(v));
    } else if constexpr (std::is_same_v<T, SimTime> || std::is_same_v<T, Duration>) {
      add(static_cast<uint64_t>(v.us));
    } else if constexpr (requires { v.value; }) {
      add(static_cast<uint64_t>(v.value));
    } else {
      // Containers of any of the above.
      add(static_cast<uint64_t>(v.size()));
      for (const auto& x : v) (*this)("", x);
    }
  }
};

}  // namespace

std::string_view TraceHeader::node_name(NodeId id) const {
  if (id.value < nodes.size()) return nodes[id.value].name;
  return "-";
}

NodeId TraceHeader::find_node(std::string_view name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return NodeId(static_cast<uint32_t>(i));
  return kNoNode;
}

const TraceEvent& Trace::record(SimTime time, NodeId node, trace::Payload payload) {
  TraceEvent& ev = keep_events_ ? events_.emplace_back() : scratch_;
  ev.time = time;
  ev.seq = next_seq_++;
  ev.node = node;
  ev.payload = std::move(payload);

  Hasher hasher{hash_};
  hasher.add(static_cast<uint64_t>(ev.time.us));
  hasher.add(ev.seq);
  hasher.add(static_cast<uint64_t>(ev.node.value));
  hasher.add(static_cast<uint64_t>(ev.payload.index()));
  trace::for_each_field(ev.payload, hasher);
  hash_ = hasher.h;

  for (TraceSink* sink : sinks_) sink->on_event(header_, ev);
  return ev;
}

uint64_t Trace::hash() const {
  Hasher hasher{hash_};
  for (const auto& n : header_.nodes) {
    hasher.add(std::string_view(n.name));
    hasher.add(std::string_view(n.role));
  }
  return hasher.h;
}

}  // namespace ksim
