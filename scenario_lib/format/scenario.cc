#include "scenario_lib/format/scenario.h"

#include "sim/cluster/cluster.h"

#include <sstream>

namespace ksim::scenarios {

std::string broker_name(int32_t broker_id) { return broker_node_name(broker_id); }

const InitialTopic* Scenario::topic(const std::string& name) const {
  for (const auto& t : topics)
    if (t.name == name) return &t;
  return nullptr;
}

const ClientSpec* Scenario::client(const std::string& id) const {
  for (const auto& c : clients)
    if (c.id == id) return &c;
  return nullptr;
}

std::vector<std::string> Scenario::node_names() const {
  std::vector<std::string> names{"controller"};
  for (int32_t b = 1; b <= brokers; ++b) names.push_back(broker_name(b));
  for (const auto& c : clients) names.push_back(c.id);
  return names;
}

std::string Trigger::str() const {
  std::string out;
  switch (kind) {
    case Kind::at: return "at " + std::to_string(at_ms) + " ms";
    case Kind::hw_reaches: out = "when the HW of " + tp.str() + " reaches " + std::to_string(count); break;
    case Kind::leader_changes: out = "when " + tp.str() + " gets a new leader"; break;
    case Kind::acked: out = "when " + client + " has " + std::to_string(count) + " acks"; break;
  }
  if (after_ms > 0) out += ", +" + std::to_string(after_ms) + " ms";
  return out;
}

namespace {

std::string compare_text(Expectation::Compare c, int64_t v) {
  switch (c) {
    case Expectation::Compare::is: return "is " + std::to_string(v);
    case Expectation::Compare::at_least: return "is at least " + std::to_string(v);
    case Expectation::Compare::at_most: return "is at most " + std::to_string(v);
  }
  return "?";
}

}  // namespace

bool Expectation::accepts(int64_t seen) const {
  switch (compare) {
    case Compare::is: return seen == value;
    case Compare::at_least: return seen >= value;
    case Compare::at_most: return seen <= value;
  }
  return false;
}

std::string Expectation::str() const {
  std::ostringstream out;
  if (at_ms) out << "at " << *at_ms << " ms: ";
  switch (kind) {
    case Kind::check: out << check << (holds ? " holds" : " does not hold"); break;
    case Kind::leader: out << "leader of " << tp.str() << " is " << (leader < 0 ? "none" : broker_name(leader)); break;
    case Kind::leader_epoch: out << "leader epoch of " << tp.str() << " " << compare_text(compare, value); break;
    case Kind::isr: {
      out << "ISR of " << tp.str() << " is [";
      for (size_t i = 0; i < isr.size(); ++i) out << (i ? ", " : "") << broker_name(isr[i]);
      out << "]";
      break;
    }
    case Kind::hw:
      out << "HW of " << tp.str() << (broker < 0 ? " (leader)" : " on " + broker_name(broker)) << " "
          << compare_text(compare, value);
      break;
    case Kind::leo: out << "LEO of " << tp.str() << " on " << broker_name(broker) << " " << compare_text(compare, value); break;
    case Kind::running: out << node << (running ? " is running" : " is not running"); break;
    case Kind::sent: out << node << " sent " << compare_text(compare, value).substr(3); break;
    case Kind::acked: out << node << " acked " << compare_text(compare, value).substr(3); break;
    case Kind::failed:
      out << node << " failed" << (error.empty() ? "" : " with " + error) << " " << compare_text(compare, value).substr(3);
      break;
    case Kind::generation: out << "generation of group " << group << " " << compare_text(compare, value); break;
    case Kind::owner:
      out << "owner of " << tp.str() << " in group " << group << " is " << (owner.empty() ? "none" : owner);
      break;
    case Kind::committed:
      out << "committed offset of " << tp.str() << " in group " << group << " " << compare_text(compare, value);
      break;
    case Kind::group_state: {
      out << "group " << group << " is " << group_state;
      for (size_t i = 0; i < members.size(); ++i) out << (i ? ", " : " with members ") << members[i];
      break;
    }
  }
  return out.str();
}

}  // namespace ksim::scenarios
