#include "sim/fault/fault.h"

#include <sstream>

#include "core/base/overloaded.h"

namespace ksim {
namespace {

std::string ms_text(Duration d) {
  std::ostringstream out;
  out << static_cast<double>(d.us) / 1000.0 << " ms";
  return out.str();
}

std::string selector_text(const MessageSelector& m) {
  std::string out = m.type.empty() ? "any message" : m.type;
  if (m.from) out += " from " + m.from->str();
  if (m.to) out += " to " + m.to->str();
  return out;
}

std::string range_text(int64_t nth, int64_t count) {
  if (count < 0) return nth == 1 ? "every one" : "every one from the " + std::to_string(nth) + "th";
  if (count == 1) return "message " + std::to_string(nth);
  return "messages " + std::to_string(nth) + ".." + std::to_string(nth + count - 1);
}

}  // namespace

std::string FaultTarget::str() const {
  switch (kind) {
    case Kind::node: return node;
    case Kind::leader: return "leader(" + tp.str() + ")";
    case Kind::follower: return "follower(" + tp.str() + ")";
    case Kind::coordinator: return "coordinator(" + group + ")";
  }
  return "?";
}

std::string_view fault_kind(const FaultAction& action) {
  return std::visit(
      Overloaded{
          [](const fault::Crash&) { return std::string_view("crash"); },
          [](const fault::PowerLoss&) { return std::string_view("power_loss"); },
          [](const fault::Restart&) { return std::string_view("restart"); },
          [](const fault::Pause&) { return std::string_view("pause"); },
          [](const fault::ControlledShutdown&) { return std::string_view("controlled_shutdown"); },
          [](const fault::Isolate&) { return std::string_view("isolate"); },
          [](const fault::Heal&) { return std::string_view("heal"); },
          [](const fault::NetworkPartition&) { return std::string_view("partition"); },
          [](const fault::Cut&) { return std::string_view("cut"); },
          [](const fault::SlowLink&) { return std::string_view("slow_link"); },
          [](const fault::LossyLink&) { return std::string_view("lossy_link"); },
          [](const fault::Drop&) { return std::string_view("drop"); },
          [](const fault::Hold&) { return std::string_view("hold"); },
          [](const fault::Release&) { return std::string_view("release"); },
          [](const fault::Leave&) { return std::string_view("leave"); },
          [](const fault::AddPartitions&) { return std::string_view("add_partitions"); },
          [](const fault::CreateTopic&) { return std::string_view("create_topic"); },
      },
      action);
}

std::string describe_fault(const FaultAction& action) {
  const std::string kind(fault_kind(action));
  return std::visit(
      Overloaded{
          [&](const fault::Crash& f) { return kind + " " + f.target.str(); },
          [&](const fault::PowerLoss& f) { return kind + " " + f.target.str(); },
          [&](const fault::Restart& f) { return kind + " " + f.target.str(); },
          [&](const fault::Pause& f) { return kind + " " + f.target.str() + " for " + ms_text(f.duration); },
          [&](const fault::ControlledShutdown& f) { return kind + " " + f.target.str(); },
          [&](const fault::Isolate& f) { return kind + " " + f.target.str(); },
          [&](const fault::Heal& f) {
            return f.link ? kind + " link " + f.link->first.str() + " <-> " + f.link->second.str() : kind + " all links";
          },
          [&](const fault::NetworkPartition& f) {
            std::string out = kind;
            for (size_t g = 0; g < f.groups.size(); ++g) {
              out += g == 0 ? " [" : " | [";
              for (size_t i = 0; i < f.groups[g].size(); ++i) out += (i ? ", " : "") + f.groups[g][i].str();
              out += "]";
            }
            return out;
          },
          [&](const fault::Cut& f) {
            return kind + " link " + f.a.str() + (f.one_way ? " -> " : " <-> ") + f.b.str() +
                   (f.one_way ? " (one way)" : "");
          },
          [&](const fault::SlowLink& f) {
            return kind + " " + f.a.str() + " <-> " + f.b.str() + " +" + ms_text(f.extra_delay);
          },
          [&](const fault::LossyLink& f) {
            std::ostringstream out;
            out << kind << " " << f.a.str() << " <-> " << f.b.str() << " loses " << f.loss * 100.0 << "%";
            return out.str();
          },
          [&](const fault::Drop& f) { return kind + " " + selector_text(f.match) + " (" + range_text(f.nth, f.count) + ")"; },
          [&](const fault::Hold& f) {
            return kind + " \"" + f.id + "\" " + selector_text(f.match) + " (" + range_text(f.nth, f.count) + ")" +
                   (f.duration ? " for " + ms_text(*f.duration) : "");
          },
          [&](const fault::Release& f) { return kind + " \"" + f.id + "\""; },
          [&](const fault::Leave& f) { return kind + " " + f.target.str(); },
          [&](const fault::AddPartitions& f) {
            return kind + " " + f.topic + " to " + std::to_string(f.partitions) + " partitions";
          },
          [&](const fault::CreateTopic& f) { return kind + " " + f.topic.name; },
      },
      action);
}

}  // namespace ksim
