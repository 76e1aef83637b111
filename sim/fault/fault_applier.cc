#include "sim/fault/fault_applier.h"

#include <algorithm>
#include <sstream>
#include <tuple>

#include "core/base/overloaded.h"
#include "core/broker/broker_node.h"
#include "core/consumer/kafka_consumer.h"
#include "core/controller/controller_node.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "sim/cluster/partition_view.h"

namespace ksim {
namespace {

std::string with_note(std::string detail, std::string_view note) {
  if (!note.empty()) detail += " -- " + std::string(note);
  return detail;
}

}  // namespace

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

FaultApplier::Outcome FaultApplier::skip(const FaultAction& action, const std::string& reason, std::string_view note) {
  Outcome o{false, with_note(describe_fault(action) + ": " + reason, note)};
  cluster_.sim().note_fault("skipped", o.detail);
  return o;
}

FaultApplier::Outcome FaultApplier::applied(const FaultAction& action, const std::string& detail,
                                            std::string_view note) {
  Outcome o{true, with_note(detail, note)};
  cluster_.sim().note_fault(std::string(fault_kind(action)), o.detail);
  return o;
}

FaultApplier::Outcome FaultApplier::apply(const FaultAction& action, std::string_view note) {
  Simulation& sim = cluster_.sim();
  Network& net = sim.network();

  // Resolves one target or explains why not.
  auto one = [&](const FaultTarget& t, Resolved& out) {
    out = resolve(t);
    return out.node != kNoNode;
  };
  auto two = [&](const FaultTarget& a, const FaultTarget& b, Resolved& ra, Resolved& rb, std::string& why) {
    if (!one(a, ra)) {
      why = ra.why_not;
      return false;
    }
    if (!one(b, rb)) {
      why = rb.why_not;
      return false;
    }
    if (ra.node == rb.node) {
      why = a.str() + " and " + b.str() + " are both " + sim.node_name(ra.node);
      return false;
    }
    return true;
  };
  auto selector = [&](const MessageSelector& m, MessageMatch& out, std::string& text, std::string& why) {
    out.type = m.type;
    text = m.type.empty() ? "any message" : m.type;
    for (auto [target, field, word] : {std::tuple{&m.from, &out.from, " from "}, std::tuple{&m.to, &out.to, " to "}}) {
      if (!*target) continue;
      Resolved r;
      if (!one(**target, r)) {
        why = r.why_not;
        return false;
      }
      *field = r.node;
      text += word + r.text;
    }
    return true;
  };

  return std::visit(
      Overloaded{
          [&](const fault::Crash& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            if (!sim.is_running(r.node)) return skip(action, r.text + " is not running", note);
            Outcome o = applied(action, r.text, note);
            sim.crash(r.node, false);
            return o;
          },
          [&](const fault::PowerLoss& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            if (!sim.is_running(r.node)) return skip(action, r.text + " is not running", note);
            Outcome o = applied(action, r.text + ": unflushed writes are lost", note);
            sim.crash(r.node, true);
            return o;
          },
          [&](const fault::Restart& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            if (sim.is_running(r.node)) return skip(action, r.text + " is already running", note);
            Outcome o = applied(action, r.text, note);
            sim.restart(r.node);
            return o;
          },
          [&](const fault::Pause& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            if (!sim.is_running(r.node)) return skip(action, r.text + " is not running", note);
            if (sim.is_paused(r.node)) return skip(action, r.text + " is already paused", note);
            std::ostringstream d;
            d << r.text << " for " << static_cast<double>(f.duration.us) / 1000.0 << " ms";
            Outcome o = applied(action, d.str(), note);
            sim.pause(r.node, f.duration);
            return o;
          },
          [&](const fault::ControlledShutdown& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            if (cluster_.broker_id_of(r.node) < 0) return skip(action, r.text + " is not a broker", note);
            if (!sim.is_running(r.node)) return skip(action, r.text + " is not running", note);
            if (sim.is_paused(r.node)) return skip(action, r.text + " is paused", note);
            Outcome o = applied(action, r.text + " asks the controller to move its leaderships away", note);
            sim.invoke(r.node, [](Node& n) { static_cast<BrokerNode&>(n).begin_controlled_shutdown(); });
            poll_shutdown(r.node, sim.incarnation(r.node));
            return o;
          },
          [&](const fault::Isolate& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            Outcome o = applied(action, r.text + " is cut off from every node", note);
            net.isolate(r.node);
            return o;
          },
          [&](const fault::Heal& f) {
            if (!f.link) {
              Outcome o = applied(action, "all links", note);
              net.heal_all();
              return o;
            }
            Resolved a, b;
            std::string why;
            if (!two(f.link->first, f.link->second, a, b, why)) return skip(action, why, note);
            Outcome o = applied(action, "link " + a.text + " <-> " + b.text, note);
            net.set_link(a.node, b.node, true, true);
            return o;
          },
          [&](const fault::NetworkPartition& f) {
            std::vector<std::vector<NodeId>> groups;
            std::vector<NodeId> seen;
            std::string text;
            for (const auto& g : f.groups) {
              groups.emplace_back();
              text += groups.size() == 1 ? "[" : " | [";
              for (const auto& t : g) {
                Resolved r;
                if (!one(t, r)) return skip(action, r.why_not, note);
                if (std::find(seen.begin(), seen.end(), r.node) != seen.end())
                  return skip(action, r.text + " would be in two groups", note);
                seen.push_back(r.node);
                groups.back().push_back(r.node);
                text += (groups.back().size() > 1 ? ", " : "") + r.text;
              }
              text += "]";
            }
            Outcome o = applied(action, text, note);
            net.partition(groups);
            return o;
          },
          [&](const fault::Cut& f) {
            Resolved a, b;
            std::string why;
            if (!two(f.a, f.b, a, b, why)) return skip(action, why, note);
            Outcome o = applied(action, a.text + (f.one_way ? " -> " : " <-> ") + b.text +
                                            (f.one_way ? " (one way: the other direction is untouched)" : ""),
                                note);
            net.set_link(a.node, b.node, false, f.one_way ? net.link(b.node, a.node).up : false);
            return o;
          },
          [&](const fault::SlowLink& f) {
            Resolved a, b;
            std::string why;
            if (!two(f.a, f.b, a, b, why)) return skip(action, why, note);
            std::ostringstream d;
            d << a.text << " <-> " << b.text << ": +" << static_cast<double>(f.extra_delay.us) / 1000.0
              << " ms each way";
            Outcome o = applied(action, d.str(), note);
            LinkSpec spec = net.link(a.node, b.node).spec;
            spec.extra_delay = f.extra_delay;
            net.set_link_spec(a.node, b.node, spec);
            return o;
          },
          [&](const fault::LossyLink& f) {
            Resolved a, b;
            std::string why;
            if (!two(f.a, f.b, a, b, why)) return skip(action, why, note);
            std::ostringstream d;
            d << a.text << " <-> " << b.text << ": loses " << f.loss * 100.0 << "% of messages";
            Outcome o = applied(action, d.str(), note);
            LinkSpec spec = net.link(a.node, b.node).spec;
            spec.loss = f.loss;
            net.set_link_spec(a.node, b.node, spec);
            return o;
          },
          [&](const fault::Drop& f) {
            MessageMatch m;
            std::string text, why;
            if (!selector(f.match, m, text, why)) return skip(action, why, note);
            const std::string range = f.count < 0   ? (f.nth == 1 ? std::string("every one")
                                                                  : "every one from number " + std::to_string(f.nth))
                                      : f.count == 1 ? "number " + std::to_string(f.nth)
                                                     : "numbers " + std::to_string(f.nth) + ".." +
                                                           std::to_string(f.nth + f.count - 1);
            Outcome o = applied(action, text + ", " + range, note);
            net.add_rule(MessageRule{m, RuleAction::drop, f.nth, f.count});
            return o;
          },
          [&](const fault::Hold& f) {
            if (holds_.count(f.id)) return skip(action, "hold \"" + f.id + "\" is already active", note);
            MessageMatch m;
            std::string text, why;
            if (!selector(f.match, m, text, why)) return skip(action, why, note);
            std::string detail = "\"" + f.id + "\": " + text + " kept back until released";
            if (f.duration) {
              std::ostringstream d;
              d << " (after " << static_cast<double>(f.duration->us) / 1000.0 << " ms)";
              detail += d.str();
            }
            Outcome o = applied(action, detail, note);
            holds_[f.id] = net.add_rule(MessageRule{m, RuleAction::hold, f.nth, f.count});
            if (f.duration) {
              const std::string id = f.id;
              sim.at(sim.now() + *f.duration, [this, id] {
                if (holds_.count(id)) release(id, "its duration is over");
              });
            }
            return o;
          },
          [&](const fault::Leave& f) {
            Resolved r;
            if (!one(f.target, r)) return skip(action, r.why_not, note);
            if (!sim.is_running(r.node)) return skip(action, r.text + " is not running", note);
            if (!sim.process_as<KafkaConsumer>(r.node)) return skip(action, r.text + " is not a consumer", note);
            Outcome o = applied(action, r.text + " closes", note);
            sim.invoke(r.node, [](Node& n) { static_cast<KafkaConsumer&>(n).close(); });
            return o;
          },
          [&](const fault::AddPartitions& f) {
            const NodeId controller = cluster_.controller_node();
            if (!sim.is_running(controller)) return skip(action, "the controller is not running", note);
            Outcome o = applied(action, f.topic + " to " + std::to_string(f.partitions) + " partitions", note);
            CreatePartitionsRequest request;
            request.name = f.topic;
            request.count = f.partitions;
            sim.invoke(controller,
                       [request](Node& n) { static_cast<ControllerNode&>(n).create_partitions(request); });
            return o;
          },
          [&](const fault::CreateTopic& f) {
            const NodeId controller = cluster_.controller_node();
            if (!sim.is_running(controller)) return skip(action, "the controller is not running", note);
            Outcome o = applied(action, f.topic.name, note);
            sim.invoke(controller, [topic = f.topic](Node& n) { static_cast<ControllerNode&>(n).create_topic(topic); });
            return o;
          },
          [&](const fault::Release& f) {
            if (!holds_.count(f.id)) return skip(action, "no active hold \"" + f.id + "\"", note);
            release(f.id, note);
            return Outcome{true, "release \"" + f.id + "\""};
          },
      },
      action);
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
