#pragma once
// The partition-assignment calculator behind `ksim assign`: reads a consumer
// group as JSON, runs one assignor (core/group/assignor/) and renders the result.
// Pure functions of their text input, so tests call them without spawning the CLI.
//
// Input:
//   {"topics": {"t0": 3, "t1": 3},
//    "members": [{"id": "c0", "instance": "i0", "topics": ["t0", "t1"],
//                 "owned": ["t0-0"], "generation": 1}, ...]}
//   topics      topic name -> partition count (>= 0; 0 means no metadata)
//   id          member.id (unique)
//   instance    group.instance.id (optional, unique; static membership, KIP-345)
//   topics      the member's subscription
//   owned       partitions the member owned before, "topic-partition" (optional;
//               only the sticky assignors read it)
//   generation  the generation it owned them in (optional; -1, Kafka's
//               DEFAULT_GENERATION, is the same as leaving it out)
//
// As Kafka's assignors do, the calculator accepts a subscription to a topic that
// does not exist (absent from "topics" or with 0 partitions: skipped, as
// AbstractPartitionAssignor.assign skips a topic without metadata) and a claim
// to a partition that does not exist (dropped, as AbstractStickyAssignor's
// allSubscriptionsEqual drops owned partitions of topics no longer there).
// Each is noted on stderr (input_notes), since it is often a typo.
//
// Output: {"c0": ["t0-0", "t1-0"], "c1": []}: every member (in member-id order)
// with its partitions sorted by topic, then partition. For cooperative-sticky it
// is the first rebalance's assignment; a note (stderr) lists each partition
// withheld until the follow-up rebalance, and with follow_up the output is the
// assignment after the follow-up instead.
//
// Errors name the JSON path and what is wrong, e.g.
//   members[1].generation: expected a whole number from -1 (no generation) to 2147483647, got "1"
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

// One "note: <json path>: ..." line (and its continuation) per subscribed topic
// that does not exist and per owned partition that does not exist; "" if none.
std::string input_notes(const group::GroupSubscription& group);

std::string assignment_to_json(const group::GroupAssignment& assignment);

std::variant<AssignOutput, AssignError> assign_from_json(std::string_view text, const AssignOptions& options);

}  // namespace ksim::tools
