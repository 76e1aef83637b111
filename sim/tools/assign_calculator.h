#pragma once
// The partition-assignment calculator behind `ksim assign`: reads a consumer
// group as JSON, runs one assignor (core/group/assignor/) and renders the result.
// Pure functions of their text input, so tests call them without spawning the CLI.
//
// Input:
//   {"topics": {"t0": 3, "t1": 3},
//    "members": [{"id": "c0", "instance": "i0", "topics": ["t0", "t1"],
//                 "owned": ["t0-0"], "generation": 1}, ...]}
//   topics      topic name -> partition count (>= 1)
//   id          member.id (unique)
//   instance    group.instance.id (optional, unique; static membership, KIP-345)
//   topics      the member's subscription; every topic must be in "topics"
//   owned       partitions the member owned before, "topic-partition" (optional;
//               only the sticky assignors read it)
//   generation  the generation it owned them in (optional, >= 0)
//
// Output: {"c0": ["t0-0", "t1-0"], "c1": []}: every member (in member-id order)
// with its partitions sorted by topic, then partition. For cooperative-sticky it
// is the first rebalance's assignment; a note (stderr) lists each partition
// withheld until the follow-up rebalance, and with follow_up the output is the
// assignment after the follow-up instead.
//
// Errors name the JSON path and what is wrong, e.g.
//   members[1].topics[0]: unknown topic "t9" (topics: t0, t1)
#include <string>
#include <string_view>
#include <variant>

#include "core/group/assignor/assignor.h"

namespace ksim::tools {

// Size limits of the calculator (the sticky algorithms are quadratic and worse).
inline constexpr int64_t kAssignMaxPartitions = 2000;
inline constexpr size_t kAssignMaxMembers = 200;

struct AssignOptions {
  std::string strategy;    // an assignor name (core/group/assignor/assignor_registry.h)
  bool follow_up = false;  // cooperative only: print the follow-up rebalance's assignment
};

struct AssignOutput {
  std::string stdout_text;  // the assignment as JSON, ending with a newline
  std::string stderr_text;  // notes for a reader (cooperative rebalances), possibly empty
};

struct AssignError {
  std::string message;  // "<json path>: <what is wrong>", or about the strategy
};

std::variant<group::GroupSubscription, AssignError> parse_group_json(std::string_view text);

std::string assignment_to_json(const group::GroupAssignment& assignment);

std::variant<AssignOutput, AssignError> assign_from_json(std::string_view text, const AssignOptions& options);

}  // namespace ksim::tools
