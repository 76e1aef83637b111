#include "core/group/assignor/assignor_registry.h"

#include "core/base/suggest.h"

#include <algorithm>
#include <cctype>

#include "core/group/assignor/cooperative_sticky_assignor.h"
#include "core/group/assignor/range_assignor.h"
#include "core/group/assignor/round_robin_assignor.h"
#include "core/group/assignor/sarama_legacy_range_assignor.h"
#include "core/group/assignor/sarama_legacy_round_robin_assignor.h"
#include "core/group/assignor/sarama_range_assignor.h"
#include "core/group/assignor/sarama_round_robin_assignor.h"
#include "core/group/assignor/sarama_sticky_assignor.h"
#include "core/group/assignor/sticky_assignor.h"

namespace ksim::group {
namespace {

struct Entry {
  const Assignor* assignor;
  std::string_view java_class;  // empty for sarama
};

const std::vector<Entry>& entries() {
  static const RangeAssignor range;
  static const RoundRobinAssignor round_robin;
  static const StickyAssignor sticky;
  static const CooperativeStickyAssignor cooperative_sticky;
  static const SaramaRangeAssignor sarama_range;
  static const SaramaRoundRobinAssignor sarama_round_robin;
  static const SaramaStickyAssignor sarama_sticky;
  static const SaramaLegacyRangeAssignor sarama_range_legacy;
  static const SaramaLegacyRoundRobinAssignor sarama_round_robin_legacy;
  static const std::vector<Entry> all = {
      {&range, "org.apache.kafka.clients.consumer.RangeAssignor"},
      {&round_robin, "org.apache.kafka.clients.consumer.RoundRobinAssignor"},
      {&sticky, "org.apache.kafka.clients.consumer.StickyAssignor"},
      {&cooperative_sticky, "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"},
      {&sarama_range, ""},
      {&sarama_round_robin, ""},
      {&sarama_sticky, ""},
      {&sarama_range_legacy, ""},
      {&sarama_round_robin_legacy, ""},
  };
  return all;
}

// Case-insensitive edit distance for "did you mean".
size_t edit_distance_nocase(std::string_view a, std::string_view b) {
  auto lower = [](std::string_view x) {
    std::string out(x);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return edit_distance(lower(a), lower(b));
}

}  // namespace

const std::vector<const Assignor*>& all_assignors() {
  static const std::vector<const Assignor*> all = [] {
    std::vector<const Assignor*> out;
    for (const Entry& e : entries()) out.push_back(e.assignor);
    return out;
  }();
  return all;
}

std::string_view java_class_name(const Assignor& assignor) {
  for (const Entry& e : entries())
    if (e.assignor == &assignor) return e.java_class;
  return {};
}

AssignorLookup find_assignor(std::string_view name) {
  for (const Entry& e : entries())
    if (e.assignor->name() == name || (!e.java_class.empty() && e.java_class == name)) return {e.assignor, {}};

  // Not found: suggest the closest name, comparing short names with short names
  // and class names (or their last part) with class names.
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  auto consider = [&](std::string_view candidate, std::string_view typed) {
    const size_t d = edit_distance_nocase(typed, candidate);
    if (d < best_distance) best_distance = d, best = candidate;
  };
  const std::string_view simple_name = name.substr(name.rfind('.') == std::string_view::npos ? 0 : name.rfind('.') + 1);
  for (const Entry& e : entries()) {
    consider(e.assignor->name(), name);
    if (!e.java_class.empty()) {
      const std::string_view simple_class = e.java_class.substr(e.java_class.rfind('.') + 1);
      if (edit_distance_nocase(simple_name, simple_class) < best_distance) {
        best_distance = edit_distance_nocase(simple_name, simple_class);
        best = e.java_class;
      }
    }
  }
  std::string error = "unknown assignor \"" + std::string(name) + "\"";
  // Close enough to be a typo: at most a third of the name wrong.
  if (!best.empty() && best_distance <= std::max<size_t>(2, name.size() / 3))
    error += "; did you mean \"" + std::string(best) + "\"?";
  error += " Known assignors:";
  for (size_t i = 0; i < entries().size(); ++i)
    error += (i ? ", " : " ") + std::string(entries()[i].assignor->name());
  error += " (Java class names such as org.apache.kafka.clients.consumer.RangeAssignor work too)";
  return {nullptr, error};
}

}  // namespace ksim::group
