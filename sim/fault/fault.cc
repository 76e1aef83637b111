#include "sim/fault/fault.h"

#include <sstream>

namespace ksim {

std::string FaultTarget::str() const {
  switch (kind) {
    case Kind::node: return node;
    case Kind::leader: return "leader(" + tp.str() + ")";
    case Kind::follower: return "follower(" + tp.str() + ")";
    case Kind::coordinator: return "coordinator(" + group + ")";
  }
  return "?";
}

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

nlohmann::ordered_json selector_json(const MessageSelector& m, int64_t nth, int64_t count) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (!m.type.empty()) out["type"] = m.type;
  if (m.from) out["from"] = m.from->str();
  if (m.to) out["to"] = m.to->str();
  out["nth"] = nth;
  if (count < 0) out["count"] = "all";
  else out["count"] = count;
  return out;
}

}  // namespace ksim
