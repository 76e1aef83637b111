#include "sim/check/poll_order.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ksim::check {
namespace {

struct Position {
  GenerationId generation;
  LogEntry last;
  const Poll* poll;
};

// One pass over polls, assignment changes and node lifecycle, merged in run
// order. Fills whichever of `skips` and `nonmonotonic` is given.
void scan(const CheckContext& ctx, ResultBuilder* skips, ResultBuilder* nonmonotonic) {
  const History& h = ctx.history;
  // Keyed by (consumer, group, partition): a node could run a consumer in each
  // of two groups.
  using Key = std::tuple<NodeId, GroupIndex, PartitionIndex>;
  std::map<Key, Position> position;

  auto forget_node = [&](NodeId node) {
    auto lo = position.lower_bound(Key{node, 0, 0});
    auto hi = position.lower_bound(Key{node + 1, 0, 0});
    position.erase(lo, hi);
  };

  auto explain_pair = [&](const Poll& poll, const LogEntry& a, const LogEntry& b, const Poll* prev, const std::string& what) {
    AnomalyExample ex;
    ex.partition = h.partition_name(poll.partition);
    ex.offsets = {a.offset, b.offset};
    if (prev) ex.times.push_back(prev->at.time);
    ex.times.push_back(poll.at.time);
    ex.records = {a.record, b.record};
    const std::string who = std::string(h.node_name(poll.consumer)) + " (generation " +
                            std::to_string(poll.generation.value) + ")";
    ex.explanation = who + (prev ? " polled " + ex.partition + " up to offset " + std::to_string(a.offset.value) + " at " +
                                       format_ms(prev->at.time) + ", then its next poll at " + format_ms(poll.at.time) +
                                       " started at offset " + std::to_string(b.offset.value)
                                 : " got offset " + std::to_string(a.offset.value) + " then " +
                                       std::to_string(b.offset.value) + " of " + ex.partition + " in one poll at " +
                                       format_ms(poll.at.time)) +
                     what;
    return ex;
  };

  // Checks the step from `a` to `b` (a before b in what the consumer got).
  auto step = [&](const Poll& poll, const LogEntry& a, const LogEntry& b, const Poll* prev) {
    if (b.offset <= a.offset) {
      if (nonmonotonic) nonmonotonic->add([&] { return explain_pair(poll, a, b, prev, ": it went backwards"); });
      return;
    }
    // Offsets are integers: with none strictly between a and b, nothing was skipped.
    if (!skips || a.offset.value + 1 == b.offset.value) return;
    const auto log = ctx.committed_logs[poll.partition];
    auto lo = std::upper_bound(log.begin(), log.end(), a.offset,
                               [](Offset o, const LogEntry& e) { return o < e.offset; });
    auto hi = std::lower_bound(lo, log.end(), b.offset, [](const LogEntry& e, Offset o) { return e.offset < o; });
    if (lo == hi) return;
    skips->add([&] {
      std::string skipped;
      int listed = 0;
      for (auto it = lo; it != hi; ++it) {
        if (listed == 5) {
          skipped += ", ...";
          break;
        }
        skipped += (listed++ ? ", " : "") + std::to_string(it->offset.value) + " (" + h.record_name(it->record) + ")";
      }
      auto ex = explain_pair(poll, a, b, prev,
                             ", skipping " + std::to_string(hi - lo) + " record" + (hi - lo == 1 ? "" : "s") +
                                 " of the log: " + skipped);
      for (auto it = lo; it != hi && ex.records.size() < 2 + 5; ++it) ex.records.push_back(it->record);
      return ex;
    });
  };

  size_t pi = 0, ai = 0, li = 0;
  const auto& polls = h.polls;
  const auto& assignments = h.assignments;
  const auto& lifecycle = h.lifecycle;
  constexpr uint64_t kEnd = UINT64_MAX;
  while (pi < polls.size() || ai < assignments.size() || li < lifecycle.size()) {
    const uint64_t ps = pi < polls.size() ? polls[pi].at.seq : kEnd;
    const uint64_t as = ai < assignments.size() ? assignments[ai].at.seq : kEnd;
    const uint64_t ls = li < lifecycle.size() ? lifecycle[li].at.seq : kEnd;
    if (ls <= as && ls <= ps) {
      forget_node(lifecycle[li++].node);
    } else if (as <= ps) {
      const auto& a = assignments[ai++];
      for (PartitionIndex p : a.assigned) position.erase(Key{a.consumer, a.group, p});
      for (PartitionIndex p : a.revoked) position.erase(Key{a.consumer, a.group, p});
    } else {
      const Poll& poll = polls[pi++];
      if (poll.records.empty()) continue;
      const Key key{poll.consumer, poll.group, poll.partition};
      auto it = position.find(key);
      if (it != position.end() && it->second.generation == poll.generation)
        step(poll, it->second.last, poll.records.front(), it->second.poll);
      for (size_t k = 1; k < poll.records.size(); ++k) step(poll, poll.records[k - 1], poll.records[k], nullptr);
      position[key] = Position{poll.generation, poll.records.back(), &poll};
    }
  }
}

}  // namespace

CheckResult check_poll_skip(const CheckContext& ctx) {
  ResultBuilder out("poll-skip");
  scan(ctx, &out, nullptr);
  return std::move(out).finish();
}

CheckResult check_nonmonotonic_poll(const CheckContext& ctx) {
  ResultBuilder out("nonmonotonic-poll");
  scan(ctx, nullptr, &out);
  return std::move(out).finish();
}

}  // namespace ksim::check
