#include "sim/tools/assign_calculator.h"

#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/group/assignor/assignor_registry.h"
#include "core/group/assignor/cooperative_sticky_assignor.h"

namespace ksim::tools {
namespace {

using nlohmann::json;
using group::GroupAssignment;
using group::GroupSubscription;
using group::MemberSubscription;
using group::TopicPartition;

std::string json_quoted(std::string_view s) { return json(std::string(s)).dump(); }

// `path.key`, or `path["key"]` when the key is not a plain identifier.
std::string key_path(const std::string& path, std::string_view key) {
  const bool plain = !key.empty() && (std::isalpha(static_cast<unsigned char>(key[0])) || key[0] == '_') &&
                     std::all_of(key.begin(), key.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
                     });
  if (plain) return path.empty() ? std::string(key) : path + "." + std::string(key);
  return (path.empty() ? std::string("") : path) + "[" + json_quoted(key) + "]";
}

std::string index_path(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: return "the string " + v.dump();
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_float: return v.dump();
    default: return v.dump();
  }
}

// An integer JSON number within [lo, hi] (nlohmann stores positive literals as
// unsigned, negative ones as signed).
bool whole_number_in(const json& v, int64_t lo, int64_t hi) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    return hi >= 0 && u <= static_cast<uint64_t>(hi) && static_cast<int64_t>(u) >= lo;
  }
  if (v.is_number_integer()) {
    const int64_t i = v.get<int64_t>();
    return i >= lo && i <= hi;
  }
  return false;
}

// Kafka's Topic.validate: [a-zA-Z0-9._-], 1 to 249 characters, not "." or "..".
bool legal_topic_name(std::string_view name) {
  if (name.empty() || name.size() > 249 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

constexpr int64_t kNoGeneration = -1;  // AbstractStickyAssignor.DEFAULT_GENERATION

class GroupParser {
 public:
  std::variant<GroupSubscription, AssignError> parse(std::string_view text) {
    json root;
    try {
      root = json::parse(text);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for a number like 1e400
      std::string what = e.what();
      if (auto pos = what.find("] "); what.rfind("[json.exception", 0) == 0 && pos != std::string::npos)
        what = what.substr(pos + 2);
      return AssignError{"not valid JSON: " + what};
    }
    if (!root.is_object())
      return AssignError{"(top level): expected an object with \"topics\" and \"members\", got " + describe(root)};
    for (const auto& [key, value] : root.items())
      if (key != "topics" && key != "members")
        return AssignError{"(top level): unknown key " + json_quoted(key) + " (expected \"topics\" and \"members\")"};
    if (!root.contains("topics")) return AssignError{"(top level): missing key \"topics\""};
    if (!root.contains("members")) return AssignError{"(top level): missing key \"members\""};
    if (!parse_topics(root["topics"]) || !parse_members(root["members"])) return AssignError{error_};
    return std::move(group_);
  }

 private:
  bool fail(const std::string& path, const std::string& what) {
    error_ = path + ": " + what;
    return false;
  }

  bool parse_topics(const json& topics) {
    const std::string path = "topics";
    if (!topics.is_object())
      return fail(path, "expected an object of topic name -> partition count, got " + describe(topics));
    int64_t total = 0;
    for (const auto& [name, count] : topics.items()) {
      const std::string here = key_path(path, name);
      if (!legal_topic_name(name))
        return fail(here, json_quoted(name) +
                              " is not a legal topic name (Kafka allows letters, digits, '.', '_' and '-', "
                              "1 to 249 characters)");
      if (!count.is_number_integer()) return fail(here, "expected a whole number of partitions, got " + describe(count));
      if (!whole_number_in(count, std::numeric_limits<int64_t>::min(), kAssignMaxPartitions))
        return fail(here, "at most " + std::to_string(kAssignMaxPartitions) + " partitions, got " + count.dump());
      const int64_t n = count.get<int64_t>();
      // 0 stands for a topic without metadata (not created yet, or deleted):
      // the assignors skip it as AbstractPartitionAssignor.assign skips a
      // subscribed topic whose partition list is empty.
      if (n < 0) return fail(here, "expected a partition count of 0 or more, got " + std::to_string(n));
      total += n;
      if (total > kAssignMaxPartitions)
        return fail(path, "more than " + std::to_string(kAssignMaxPartitions) +
                              " partitions in total; ksim assign handles at most that many");
      group_.partitions_per_topic[name] = static_cast<int32_t>(n);
    }
    return true;
  }

  bool parse_members(const json& members) {
    const std::string path = "members";
    if (!members.is_array()) return fail(path, "expected an array of members, got " + describe(members));
    if (members.size() > kAssignMaxMembers)
      return fail(path, std::to_string(members.size()) + " members; ksim assign handles at most " +
                            std::to_string(kAssignMaxMembers));
    std::map<std::string, size_t> ids, instances;
    for (size_t i = 0; i < members.size(); ++i) {
      const std::string here = index_path(path, i);
      const json& m = members[i];
      if (!m.is_object()) return fail(here, "expected a member object, got " + describe(m));
      for (const auto& [key, value] : m.items())
        if (key != "id" && key != "instance" && key != "topics" && key != "owned" && key != "generation")
          return fail(here, "unknown key " + json_quoted(key) + " (expected id, instance, topics, owned, generation)");
      MemberSubscription member;

      if (!m.contains("id")) return fail(here, "missing key \"id\"");
      const json& id = m["id"];
      if (!id.is_string() || id.get<std::string>().empty())
        return fail(key_path(here, "id"), "expected a non-empty string, got " + describe(id));
      member.member_id = id.get<std::string>();
      if (auto [it, fresh] = ids.emplace(member.member_id, i); !fresh)
        return fail(key_path(here, "id"),
                    "duplicate member id " + json_quoted(member.member_id) + " (also members[" + std::to_string(it->second) + "])");

      if (m.contains("instance") && !m["instance"].is_null()) {
        const json& instance = m["instance"];
        if (!instance.is_string() || instance.get<std::string>().empty())
          return fail(key_path(here, "instance"), "expected a non-empty string (group.instance.id) or null, got " +
                                                      describe(instance));
        member.group_instance_id = instance.get<std::string>();
        if (auto [it, fresh] = instances.emplace(*member.group_instance_id, i); !fresh)
          return fail(key_path(here, "instance"), "duplicate group.instance.id " + json_quoted(*member.group_instance_id) +
                                                      " (also members[" + std::to_string(it->second) +
                                                      "]; the coordinator would fence one of them)");
      }

      if (!m.contains("topics")) return fail(here, "missing key \"topics\" (the member's subscription)");
      if (!parse_subscription(key_path(here, "topics"), m["topics"], member)) return false;
      if (m.contains("owned") && !parse_owned(key_path(here, "owned"), m["owned"], member)) return false;

      if (m.contains("generation") && !m["generation"].is_null()) {
        const json& generation = m["generation"];
        if (!whole_number_in(generation, kNoGeneration, std::numeric_limits<int32_t>::max()))
          return fail(key_path(here, "generation"),
                      "expected a whole number from -1 (no generation) to 2147483647, got " + describe(generation));
        // -1 is Kafka's AbstractStickyAssignor.DEFAULT_GENERATION, what a member
        // that never had an assignment sends: the same as leaving it out.
        if (const int64_t g = generation.get<int64_t>(); g != kNoGeneration)
          member.generation = GenerationId(static_cast<int32_t>(g));
      }
      group_.members.push_back(std::move(member));
    }
    return true;
  }

  bool parse_subscription(const std::string& path, const json& topics, MemberSubscription& member) {
    if (!topics.is_array()) return fail(path, "expected an array of topic names, got " + describe(topics));
    std::set<std::string> seen;
    for (size_t j = 0; j < topics.size(); ++j) {
      const std::string here = index_path(path, j);
      if (!topics[j].is_string()) return fail(here, "expected a topic name, got " + describe(topics[j]));
      const std::string topic = topics[j].get<std::string>();
      // A topic missing from "topics" is accepted: a consumer may subscribe to
      // a topic that does not exist (yet); the assignor ignores it (see
      // input_notes).
      if (!legal_topic_name(topic))
        return fail(here, json_quoted(topic) + " is not a legal topic name");
      if (!seen.insert(topic).second) return fail(here, "duplicate topic " + json_quoted(topic));
      member.topics.push_back(topic);
    }
    return true;
  }

  bool parse_owned(const std::string& path, const json& owned, MemberSubscription& member) {
    if (owned.is_null()) return true;
    if (!owned.is_array())
      return fail(path, "expected an array of partitions like \"t0-2\", got " + describe(owned));
    std::set<TopicPartition> seen;
    for (size_t j = 0; j < owned.size(); ++j) {
      const std::string here = index_path(path, j);
      if (!owned[j].is_string()) return fail(here, "expected a partition like \"t0-2\", got " + describe(owned[j]));
      const std::string text = owned[j].get<std::string>();
      const size_t dash = text.rfind('-');
      const std::string number = dash == std::string::npos ? "" : text.substr(dash + 1);
      if (dash == std::string::npos || dash == 0 || number.empty() || number.size() > 9 ||
          !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail(here, "expected \"topic-partition\" like \"t0-2\", got " + json_quoted(text));
      // A partition that does not exist (its topic was deleted, or recreated
      // with fewer partitions) is accepted and dropped (see input_notes).
      TopicPartition tp{text.substr(0, dash), PartitionId(std::stoi(number))};
      if (!seen.insert(tp).second) return fail(here, "duplicate partition " + json_quoted(text));
      member.owned.push_back(std::move(tp));
    }
    return true;
  }

  GroupSubscription group_;
  std::string error_;
};

// The members that claimed `tp` in `group`, joined by "+".
std::string claimants(const GroupSubscription& group, const TopicPartition& tp) {
  std::vector<std::string> ids;
  for (const MemberSubscription& m : group.members)
    if (std::find(m.owned.begin(), m.owned.end(), tp) != m.owned.end()) ids.push_back(m.member_id);
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : "+") + id;
  return out.empty() ? "(nobody)" : out;
}

std::string withheld_lines(const GroupSubscription& group, const group::AssignmentResult& result) {
  std::string out;
  for (const auto& [tp, member] : result.withheld)
    out += "  " + group::to_string(tp) + ": " + claimants(group, tp) + " -> " + member + "\n";
  return out;
}

std::string plural(size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

bool partition_exists(const GroupSubscription& group, const TopicPartition& tp) {
  auto it = group.partitions_per_topic.find(tp.topic);
  return it != group.partitions_per_topic.end() && tp.partition.value < it->second;
}

}  // namespace

std::string input_notes(const GroupSubscription& group) {
  std::string out;
  for (size_t i = 0; i < group.members.size(); ++i) {
    const MemberSubscription& m = group.members[i];
    const std::string here = "members[" + std::to_string(i) + "]";
    for (size_t j = 0; j < m.topics.size(); ++j) {
      auto it = group.partitions_per_topic.find(m.topics[j]);
      if (it != group.partitions_per_topic.end() && it->second > 0) continue;
      out += "note: " + here + ".topics[" + std::to_string(j) + "]: " + json_quoted(m.topics[j]) +
             (it == group.partitions_per_topic.end() ? " is not in \"topics\"" : " has 0 partitions") +
             ", so the assignor skips it (Kafka's AbstractPartitionAssignor skips a subscribed topic\n"
             "      without metadata; the member gets its partitions once the topic exists)\n";
    }
    for (size_t j = 0; j < m.owned.size(); ++j) {
      if (partition_exists(group, m.owned[j])) continue;
      out += "note: " + here + ".owned[" + std::to_string(j) + "]: " + json_quoted(group::to_string(m.owned[j])) +
             " does not exist, so the assignor drops the claim (as Kafka's\n"
             "      AbstractStickyAssignor drops owned partitions of a topic that no longer exists)\n";
    }
  }
  return out;
}

std::variant<GroupSubscription, AssignError> parse_group_json(std::string_view text) {
  return GroupParser().parse(text);
}

std::string assignment_to_json(const GroupAssignment& assignment) {
  if (assignment.empty()) return "{}\n";
  std::string out = "{\n";
  size_t i = 0;
  for (const auto& [member, partitions] : assignment) {
    out += "  " + json_quoted(member) + ": [";
    for (size_t j = 0; j < partitions.size(); ++j) out += (j ? ", " : "") + json_quoted(group::to_string(partitions[j]));
    out += ++i < assignment.size() ? "],\n" : "]\n";
  }
  return out + "}\n";
}

namespace {

AssignOutput assign_group(const group::Assignor& assignor, const GroupSubscription& group, const AssignOptions& options) {
  const group::AssignmentResult first = assignor.assign(group);
  AssignOutput out;
  if (assignor.protocol() != group::RebalanceProtocol::kCooperative) {
    out.stdout_text = assignment_to_json(first.assignment);
    return out;
  }

  const std::string name(assignor.name());
  if (first.withheld.empty()) {
    out.stdout_text = assignment_to_json(first.assignment);
    out.stderr_text = name + " (COOPERATIVE, KIP-429): no partition changes owner, so this assignment\n" +
                      "is final; no follow-up rebalance is needed.\n";
    return out;
  }
  if (!options.follow_up) {
    out.stdout_text = assignment_to_json(first.assignment);
    out.stderr_text = name + " (COOPERATIVE, KIP-429): the first of two rebalances.\n" +
                      "Partitions that change owner are only revoked from their current owner now;\n"
                      "the next owner gets them in the follow-up rebalance (current owner -> next owner):\n" +
                      withheld_lines(group, first) +
                      "Run with --follow-up for the assignment after the follow-up rebalance.\n";
    return out;
  }
  const GroupSubscription next = group::follow_up_subscription(group, first.assignment);
  const group::AssignmentResult second = assignor.assign(next);
  out.stdout_text = assignment_to_json(second.assignment);
  out.stderr_text = name + " (COOPERATIVE, KIP-429): the assignment after the follow-up rebalance, where\n" +
                    "each member rejoined owning what the first rebalance gave it (" +
                    plural(first.withheld.size(), "partition") + " had been withheld).\n";
  if (!second.withheld.empty())
    out.stderr_text += "This rebalance again withholds " + plural(second.withheld.size(), "partition") +
                       " for one more follow-up:\n" + withheld_lines(next, second);
  return out;
}

}  // namespace

std::variant<AssignOutput, AssignError> assign_from_json(std::string_view text, const AssignOptions& options) {
  const group::AssignorLookup lookup = group::find_assignor(options.strategy);
  if (!lookup.assignor) return AssignError{"--strategy: " + lookup.error};
  const group::Assignor& assignor = *lookup.assignor;
  if (options.follow_up && assignor.protocol() != group::RebalanceProtocol::kCooperative)
    return AssignError{"--follow-up: only cooperative-sticky has a follow-up rebalance; " +
                       std::string(assignor.name()) + " is " + std::string(group::to_string(assignor.protocol())) +
                       " and hands out everything in one rebalance"};

  auto parsed = parse_group_json(text);
  if (auto* error = std::get_if<AssignError>(&parsed)) return *error;
  const GroupSubscription& group = std::get<GroupSubscription>(parsed);

  AssignOutput out = assign_group(assignor, group, options);
  out.stderr_text = input_notes(group) + out.stderr_text;
  return out;
}

}  // namespace ksim::tools
