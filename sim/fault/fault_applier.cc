#include "sim/fault/fault_applier.h"

#include <tuple>

#include "core/broker/broker_node.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "sim/cluster/partition_view.h"

namespace ksim {
namespace {

std::string with_note(std::string detail, std::string_view note) {
  if (!note.empty()) detail += " -- " + std::string(note);
  return detail;
}

}  // namespace

FaultApplier::Outcome FaultApplier::apply(const FaultAction& action, std::string_view note) {
  return action->apply(*this, note);
}

FaultApplier::Resolved FaultApplier::resolve(const FaultTarget& t) {
  Resolved r;
  Simulation& sim = cluster_.sim();
  switch (t.kind) {
    case FaultTarget::Kind::node:
      r.node = sim.find_node(t.node);
      r.text = t.node;
      if (r.node == kNoNode) r.why_not = "no node named \"" + t.node + "\"";
      return r;
    case FaultTarget::Kind::leader: {
      const int32_t leader = current_leader(cluster_, t.tp);
      if (leader < 0) {
        r.why_not = t.str() + ": " + t.tp.str() + " has no leader";
        return r;
      }
      r.node = cluster_.broker_node(leader);
      r.text = sim.node_name(r.node) + " (leader of " + t.tp.str() + ")";
      return r;
    }
    case FaultTarget::Kind::follower: {
      const PartitionView v = view_partition(cluster_, t.tp);
      if (v.leader < 0) {
        r.why_not = t.str() + ": " + t.tp.str() + " has no leader, so no follower either";
        return r;
      }
      for (int32_t b : v.replicas)
        if (b != v.leader) {
          r.node = cluster_.broker_node(b);
          r.text = sim.node_name(r.node) + " (follower of " + t.tp.str() + ")";
          return r;
        }
      r.why_not = t.str() + ": " + t.tp.str() + " has no follower";
      return r;
    }
    case FaultTarget::Kind::coordinator: {
      // The offsets topic is auto-created with offsets.topic.num.partitions
      // partitions, so the configured count is the topic's.
      const TopicPartition offsets{std::string(kConsumerOffsetsTopic),
                                   offsets_partition_for(t.group, cluster_.spec().broker.offsets_topic_num_partitions)};
      const int32_t leader = current_leader(cluster_, offsets);
      if (leader < 0) {
        r.why_not = t.str() + ": " + offsets.str() + " has no leader (no coordinator yet)";
        return r;
      }
      r.node = cluster_.broker_node(leader);
      r.text = sim.node_name(r.node) + " (coordinator of " + t.group + ", leader of " + offsets.str() + ")";
      return r;
    }
  }
  return r;
}

FaultApplier::Outcome FaultApplier::skip(const Fault& fault, const std::string& reason, std::string_view note) {
  Outcome o{false, with_note(fault.describe() + ": " + reason, note)};
  cluster_.sim().note_fault("skipped", o.detail);
  return o;
}

FaultApplier::Outcome FaultApplier::applied(const Fault& fault, const std::string& detail, std::string_view note) {
  Outcome o{true, with_note(detail, note)};
  cluster_.sim().note_fault(std::string(fault.kind()), o.detail);
  return o;
}

bool FaultApplier::resolve_one(const FaultTarget& target, Resolved& out) {
  out = resolve(target);
  return out.node != kNoNode;
}

bool FaultApplier::resolve_two(const FaultTarget& a, const FaultTarget& b, Resolved& ra, Resolved& rb,
                               std::string& why) {
  if (!resolve_one(a, ra)) {
    why = ra.why_not;
    return false;
  }
  if (!resolve_one(b, rb)) {
    why = rb.why_not;
    return false;
  }
  if (ra.node == rb.node) {
    why = a.str() + " and " + b.str() + " are both " + sim().node_name(ra.node);
    return false;
  }
  return true;
}

bool FaultApplier::resolve_selector(const MessageSelector& m, MessageMatch& out, std::string& text, std::string& why) {
  out.type = m.type;
  text = m.type.empty() ? "any message" : m.type;
  for (auto [target, field, word] : {std::tuple{&m.from, &out.from, " from "}, std::tuple{&m.to, &out.to, " to "}}) {
    if (!*target) continue;
    Resolved r;
    if (!resolve_one(**target, r)) {
      why = r.why_not;
      return false;
    }
    *field = r.node;
    text += word + r.text;
  }
  return true;
}

void FaultApplier::start_hold(const std::string& id, RuleId rule, std::optional<Duration> duration) {
  holds_[id] = rule;
  if (!duration) return;
  Simulation& s = sim();
  s.at(s.now() + *duration, [this, id] {
    if (holds_.count(id)) release(id, "its duration is over");
  });
}

void FaultApplier::release(const std::string& id, std::string_view why) {
  Simulation& sim = cluster_.sim();
  const auto it = holds_.find(id);
  const RuleId rule = it->second;
  holds_.erase(it);
  sim.note_fault("release", with_note("\"" + id + "\": the held messages go out now", why));
  sim.network().remove_rule(rule);
  sim.network().release_held(rule);
}

void FaultApplier::poll_shutdown(NodeId node, int32_t incarnation) {
  Simulation& sim = cluster_.sim();
  sim.at(sim.now() + kShutdownPoll, [this, node, incarnation] {
    Simulation& s = cluster_.sim();
    if (s.incarnation(node) != incarnation || !s.is_running(node)) return;  // died or restarted meanwhile
    const auto* broker = s.process_as<BrokerNode>(node);
    if (broker && broker->shutdown_complete()) {
      s.note_fault("controlled_shutdown", s.node_name(node) + " stops: its controlled shutdown is complete");
      s.crash(node, false);
      return;
    }
    poll_shutdown(node, incarnation);
  });
}

}  // namespace ksim
