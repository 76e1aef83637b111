#pragma once
// Finds an assignor by the name a user writes in partition.assignment.strategy
// or on the `ksim assign --strategy` command line.
//
// Accepted names:
//   range, roundrobin, sticky, cooperative-sticky    Java's assignors, by their
//       protocol names, or by class name: org.apache.kafka.clients.consumer.
//       RangeAssignor, RoundRobinAssignor, StickyAssignor, CooperativeStickyAssignor
//   sarama-range, sarama-roundrobin, sarama-sticky   sarama's current strategies
//   sarama-range-legacy, sarama-roundrobin-legacy     sarama before v1.34.1 / v1.28.0
// Names are matched exactly (Kafka's config is case-sensitive too).
#include <string>
#include <string_view>
#include <vector>

#include "core/group/assignor/assignor.h"

namespace ksim::group {

struct AssignorLookup {
  const Assignor* assignor = nullptr;  // a process-lifetime singleton; null when not found
  std::string error;                   // when not found: what was wrong and what would work
};

AssignorLookup find_assignor(std::string_view name);

// Every assignor, in the order above (one entry per implementation).
const std::vector<const Assignor*>& all_assignors();

// The Java class name of a Java assignor ("org.apache.kafka.clients.consumer.RangeAssignor"),
// or empty for the sarama ones.
std::string_view java_class_name(const Assignor& assignor);

}  // namespace ksim::group
