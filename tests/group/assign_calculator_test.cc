// `ksim assign` end to end, through the pure function behind the command.
#include <catch2/catch.hpp>

#include "sim/tools/assign_calculator.h"

namespace ksim::tools {
namespace {

AssignOutput ok(std::string_view json, const std::string& strategy, bool follow_up = false) {
  auto r = assign_from_json(json, AssignOptions{strategy, follow_up});
  if (auto* e = std::get_if<AssignError>(&r)) FAIL("unexpected error: " << e->message);
  return std::get<AssignOutput>(r);
}

std::string error(std::string_view json, const std::string& strategy = "range", bool follow_up = false) {
  auto r = assign_from_json(json, AssignOptions{strategy, follow_up});
  if (!std::holds_alternative<AssignError>(r)) FAIL("expected an error, got " << std::get<AssignOutput>(r).stdout_text);
  return std::get<AssignError>(r).message;
}

constexpr std::string_view kTwoByThree = R"({
  "topics": {"t0": 3, "t1": 3},
  "members": [{"id": "C1", "topics": ["t0", "t1"]}, {"id": "C0", "topics": ["t0", "t1"]}]
})";

TEST_CASE("ksim assign prints every member's sorted partitions as JSON", "[group][assign-cli]") {
  const AssignOutput range = ok(kTwoByThree, "range");
  CHECK(range.stdout_text ==
        "{\n"
        "  \"C0\": [\"t0-0\", \"t0-1\", \"t1-0\", \"t1-1\"],\n"
        "  \"C1\": [\"t0-2\", \"t1-2\"]\n"
        "}\n");
  CHECK(range.stderr_text.empty());

  const AssignOutput rr = ok(kTwoByThree, "org.apache.kafka.clients.consumer.RoundRobinAssignor");
  CHECK(rr.stdout_text ==
        "{\n"
        "  \"C0\": [\"t0-0\", \"t0-2\", \"t1-1\"],\n"
        "  \"C1\": [\"t0-1\", \"t1-0\", \"t1-2\"]\n"
        "}\n");
}

TEST_CASE("ksim assign lists members with nothing as empty lists and an empty group as an empty object", "[group][assign-cli]") {
  const AssignOutput out = ok(R"({"topics": {"t": 1}, "members": [
      {"id": "a", "topics": ["t"]}, {"id": "b", "topics": ["t"]}, {"id": "c", "topics": []}]})",
                              "range");
  CHECK(out.stdout_text == "{\n  \"a\": [\"t-0\"],\n  \"b\": [],\n  \"c\": []\n}\n");
  CHECK(ok(R"({"topics": {}, "members": []})", "sticky").stdout_text == "{}\n");
}

TEST_CASE("ksim assign reads instance, owned and generation", "[group][assign-cli]") {
  // Static members sort by instance id in range.
  CHECK(ok(R"({"topics": {"t": 3}, "members": [
        {"id": "a", "instance": "i2", "topics": ["t"]},
        {"id": "b", "instance": "i1", "topics": ["t"], "generation": null}]})",
           "range")
            .stdout_text == "{\n  \"a\": [\"t-2\"],\n  \"b\": [\"t-0\", \"t-1\"]\n}\n");
  // Sticky keeps owned partitions.
  CHECK(ok(R"({"topics": {"t": 4}, "members": [
        {"id": "a", "topics": ["t"], "owned": ["t-3", "t-2"], "generation": 4},
        {"id": "b", "topics": ["t"], "owned": ["t-0", "t-1"], "generation": 4}]})",
           "sticky")
            .stdout_text == "{\n  \"a\": [\"t-2\", \"t-3\"],\n  \"b\": [\"t-0\", \"t-1\"]\n}\n");
}

constexpr std::string_view kJoin = R"({"topics": {"t": 3}, "members": [
    {"id": "c0", "topics": ["t"], "owned": ["t-0", "t-1", "t-2"], "generation": 1},
    {"id": "c1", "topics": ["t"]}]})";

TEST_CASE("ksim assign for cooperative-sticky prints the first rebalance and names what waits for the second",
          "[group][assign-cli][cooperative]") {
  const AssignOutput first = ok(kJoin, "cooperative-sticky");
  CHECK(first.stdout_text == "{\n  \"c0\": [\"t-0\", \"t-1\"],\n  \"c1\": []\n}\n");
  CHECK_THAT(first.stderr_text, Catch::Contains("first of two rebalances"));
  CHECK_THAT(first.stderr_text, Catch::Contains("  t-2: c0 -> c1\n"));
  CHECK_THAT(first.stderr_text, Catch::Contains("--follow-up"));

  const AssignOutput second = ok(kJoin, "cooperative-sticky", /*follow_up=*/true);
  CHECK(second.stdout_text == "{\n  \"c0\": [\"t-0\", \"t-1\"],\n  \"c1\": [\"t-2\"]\n}\n");
  CHECK_THAT(second.stderr_text, Catch::Contains("after the follow-up rebalance"));
  CHECK_THAT(second.stderr_text, !Catch::Contains("again withholds"));

  // The eager sticky assignor moves t-2 at once.
  CHECK(ok(kJoin, "sticky").stdout_text == second.stdout_text);
  // Nothing to move: a note says no follow-up is needed.
  const AssignOutput settled = ok(R"({"topics": {"t": 2}, "members": [
      {"id": "c0", "topics": ["t"], "owned": ["t-0"], "generation": 2},
      {"id": "c1", "topics": ["t"], "owned": ["t-1"], "generation": 2}]})",
                                  "cooperative-sticky");
  CHECK_THAT(settled.stderr_text, Catch::Contains("no follow-up rebalance is needed"));
}

TEST_CASE("ksim assign rejects a bad strategy and --follow-up with an eager one", "[group][assign-cli]") {
  CHECK_THAT(error(kTwoByThree, "rnage"),
             Catch::StartsWith("--strategy: unknown assignor \"rnage\"; did you mean \"range\"?"));
  CHECK_THAT(error(kTwoByThree, "range", /*follow_up=*/true),
             Catch::StartsWith("--follow-up: only cooperative-sticky has a follow-up rebalance; range is EAGER"));
}

TEST_CASE("ksim assign names the JSON path of each kind of bad input", "[group][assign-cli]") {
  using Catch::Equals;
  using Catch::StartsWith;
  // Not JSON at all.
  CHECK_THAT(error("{\"topics\": "), StartsWith("not valid JSON: parse error at line 1, column 12: syntax error"));
  CHECK_THAT(error("[1]"), Equals("(top level): expected an object with \"topics\" and \"members\", got an array"));
  // Missing and unknown keys.
  CHECK_THAT(error(R"({"members": []})"), Equals("(top level): missing key \"topics\""));
  CHECK_THAT(error(R"({"topics": {}})"), Equals("(top level): missing key \"members\""));
  CHECK_THAT(error(R"({"topics": {}, "members": [], "member": 1})"),
             Equals("(top level): unknown key \"member\" (expected \"topics\" and \"members\")"));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"topics": ["t"]}]})"),
             Equals("members[0]: missing key \"id\""));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a"}]})"),
             Equals("members[0]: missing key \"topics\" (the member's subscription)"));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a", "topics": [], "owend": []}]})"),
             Equals("members[0]: unknown key \"owend\" (expected id, instance, topics, owned, generation)"));
  // Wrong types.
  CHECK_THAT(error(R"({"topics": [], "members": []})"),
             Equals("topics: expected an object of topic name -> partition count, got an array"));
  CHECK_THAT(error(R"({"topics": {"t0": "3"}, "members": []})"),
             Equals("topics.t0: expected a whole number of partitions, got the string \"3\""));
  CHECK_THAT(error(R"({"topics": {"t0": 2.5}, "members": []})"),
             Equals("topics.t0: expected a whole number of partitions, got 2.5"));
  CHECK_THAT(error(R"({"topics": {}, "members": {}})"), Equals("members: expected an array of members, got an object"));
  CHECK_THAT(error(R"({"topics": {}, "members": ["a"]})"),
             Equals("members[0]: expected a member object, got the string \"a\""));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": 7, "topics": []}]})"),
             Equals("members[0].id: expected a non-empty string, got 7"));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a", "topics": "t"}]})"),
             Equals("members[0].topics: expected an array of topic names, got the string \"t\""));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a", "topics": ["t"], "generation": "1"}]})"),
             Equals("members[0].generation: expected a whole number from -1 (no generation) to 2147483647, got the "
                    "string \"1\""));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a", "topics": ["t"], "generation": -2}]})"),
             StartsWith("members[0].generation: expected a whole number from -1"));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a", "topics": ["t"], "instance": 3}]})"),
             StartsWith("members[0].instance: expected a non-empty string (group.instance.id) or null, got 3"));
  // Bad values.
  CHECK_THAT(error(R"({"topics": {"t0": 3}, "members": [{"id": "a", "topics": ["t0", "t0"]}]})"),
             Equals("members[0].topics[1]: duplicate topic \"t0\""));
  CHECK_THAT(error(R"({"topics": {"t0": -1}, "members": []})"),
             Equals("topics.t0: expected a partition count of 0 or more, got -1"));
  CHECK_THAT(error(R"({"topics": {"t0": 1}, "members": [{"id": "a", "topics": ["my topic"]}]})"),
             Equals("members[0].topics[0]: \"my topic\" is not a legal topic name"));
  CHECK_THAT(error(R"({"topics": {"t0": 99999999999999999999}, "members": []})"),
             StartsWith("topics.t0: expected a whole number of partitions"));
  CHECK_THAT(error(R"({"topics": {"t0": 3000}, "members": []})"),
             Equals("topics.t0: at most 2000 partitions, got 3000"));
  CHECK_THAT(error(R"({"topics": {"my topic": 1}, "members": []})"),
             StartsWith("topics[\"my topic\"]: \"my topic\" is not a legal topic name"));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [{"id": "a", "topics": []}, {"id": "a", "topics": []}]})"),
             Equals("members[1].id: duplicate member id \"a\" (also members[0])"));
  CHECK_THAT(error(R"({"topics": {"t": 1}, "members": [
                 {"id": "a", "instance": "i", "topics": []}, {"id": "b", "instance": "i", "topics": []}]})"),
             StartsWith("members[1].instance: duplicate group.instance.id \"i\" (also members[0]"));
  // Owned partitions.
  CHECK_THAT(error(R"({"topics": {"t0": 3}, "members": [{"id": "a", "topics": ["t0"], "owned": ["t0"]}]})"),
             Equals("members[0].owned[0]: expected \"topic-partition\" like \"t0-2\", got \"t0\""));
  CHECK_THAT(error(R"({"topics": {"t0": 3}, "members": [{"id": "a", "topics": ["t0"], "owned": ["t0-x"]}]})"),
             Equals("members[0].owned[0]: expected \"topic-partition\" like \"t0-2\", got \"t0-x\""));
  CHECK_THAT(error(R"({"topics": {"t0": 3}, "members": [{"id": "a", "topics": ["t0"], "owned": ["t0-1", "t0-1"]}]})"),
             Equals("members[0].owned[1]: duplicate partition \"t0-1\""));
  CHECK_THAT(error(R"({"topics": {"t0": 3}, "members": [{"id": "a", "topics": ["t0"], "owned": [1]}]})"),
             Equals("members[0].owned[0]: expected a partition like \"t0-2\", got 1"));
}

TEST_CASE("ksim assign skips a subscribed topic that does not exist, as Kafka's assignors do", "[group][assign-cli]") {
  // RangeAssignorTest / RoundRobinAssignorTest / AbstractStickyAssignorTest
  // .testOneConsumerNonexistentTopic: the topic has no partitions (or no
  // metadata at all), the member gets nothing, and that is not an error.
  for (const char* strategy : {"range", "roundrobin", "sticky", "cooperative-sticky"}) {
    INFO(strategy);
    const AssignOutput zero = ok(R"({"topics": {"topic": 0}, "members": [{"id": "consumer", "topics": ["topic"]}]})",
                                 strategy);
    CHECK(zero.stdout_text == "{\n  \"consumer\": []\n}\n");
    CHECK_THAT(zero.stderr_text, Catch::StartsWith("note: members[0].topics[0]: \"topic\" has 0 partitions, so the "
                                                   "assignor skips it"));
    const AssignOutput absent = ok(R"({"topics": {"t0": 2}, "members": [
        {"id": "a", "topics": ["t0", "later"]}, {"id": "b", "topics": ["t0"]}]})",
                                   strategy);
    CHECK(absent.stdout_text == "{\n  \"a\": [\"t0-0\"],\n  \"b\": [\"t0-1\"]\n}\n");
    CHECK_THAT(absent.stderr_text,
               Catch::StartsWith("note: members[0].topics[1]: \"later\" is not in \"topics\", so the assignor skips it"));
  }
}

TEST_CASE("ksim assign drops owned partitions of topics that no longer exist", "[group][assign-cli]") {
  // AbstractStickyAssignorTest.testOnlyAssignsPartitionsFromSubscribedTopics:
  // the member owned other-0 and other-1 of a topic gone from the metadata.
  const AssignOutput out = ok(R"({"topics": {"topic": 2}, "members": [
      {"id": "consumer", "topics": ["topic"], "owned": ["topic-0", "topic-1", "other-0", "other-1"], "generation": 1}]})",
                              "cooperative-sticky");
  CHECK(out.stdout_text == "{\n  \"consumer\": [\"topic-0\", \"topic-1\"]\n}\n");
  CHECK_THAT(out.stderr_text, Catch::Contains("note: members[0].owned[2]: \"other-0\" does not exist, so the assignor "
                                              "drops the claim"));
  CHECK_THAT(out.stderr_text, Catch::Contains("no follow-up rebalance is needed"));
  // A partition number past the topic's count, and "t0--1" (partition 1 of a
  // topic "t0-", the number follows the last '-'), are dropped the same way.
  const AssignOutput past = ok(R"({"topics": {"t0": 3}, "members": [
      {"id": "a", "topics": ["t0"], "owned": ["t0-7", "t0--1", "t0-2"], "generation": 4}]})",
                               "sticky");
  CHECK(past.stdout_text == "{\n  \"a\": [\"t0-0\", \"t0-1\", \"t0-2\"]\n}\n");
  CHECK_THAT(past.stderr_text, Catch::Contains("members[0].owned[0]: \"t0-7\" does not exist"));
  CHECK_THAT(past.stderr_text, Catch::Contains("members[0].owned[1]: \"t0--1\" does not exist"));
}

TEST_CASE("ksim assign reads generation -1 as no generation, Kafka's DEFAULT_GENERATION", "[group][assign-cli]") {
  auto parsed = parse_group_json(R"({"topics": {"t": 2}, "members": [
      {"id": "a", "topics": ["t"], "owned": ["t-1"], "generation": -1}]})");
  REQUIRE(std::holds_alternative<group::GroupSubscription>(parsed));
  CHECK_FALSE(std::get<group::GroupSubscription>(parsed).members[0].generation.has_value());
  // AbstractStickyAssignor: a claim of generation -1 counts as long as nobody
  // claims the partition in a real generation.
  const AssignOutput out = ok(R"({"topics": {"t": 2}, "members": [
      {"id": "a", "topics": ["t"], "owned": ["t-1"], "generation": -1},
      {"id": "b", "topics": ["t"], "owned": ["t-0"], "generation": -1}]})",
                              "sticky");
  CHECK(out.stdout_text == "{\n  \"a\": [\"t-1\"],\n  \"b\": [\"t-0\"]\n}\n");
  CHECK(out.stderr_text.empty());
}

TEST_CASE("ksim assign reads owned partitions of topics whose names contain dashes", "[group][assign-cli]") {
  const AssignOutput out = ok(R"({"topics": {"orders-eu": 2}, "members": [
      {"id": "a", "topics": ["orders-eu"], "owned": ["orders-eu-1"], "generation": 3},
      {"id": "b", "topics": ["orders-eu"]}]})",
                              "sticky");
  CHECK(out.stdout_text == "{\n  \"a\": [\"orders-eu-1\"],\n  \"b\": [\"orders-eu-0\"]\n}\n");
}

TEST_CASE("the parsed group keeps the input's members, subscriptions and ownership", "[group][assign-cli]") {
  auto parsed = parse_group_json(R"({"topics": {"t0": 2}, "members": [
      {"id": "b", "instance": "i-b", "topics": ["t0"], "owned": ["t0-1"], "generation": 7}]})");
  REQUIRE(std::holds_alternative<group::GroupSubscription>(parsed));
  const auto& g = std::get<group::GroupSubscription>(parsed);
  CHECK(g.partitions_per_topic == group::PartitionCounts{{"t0", 2}});
  REQUIRE(g.members.size() == 1);
  CHECK(g.members[0].member_id == "b");
  CHECK(g.members[0].group_instance_id == std::optional<std::string>("i-b"));
  CHECK(g.members[0].topics == std::vector<std::string>{"t0"});
  CHECK(g.members[0].owned == std::vector<group::TopicPartition>{{"t0", PartitionId(1)}});
  CHECK(g.members[0].generation == GenerationId(7));
}

}  // namespace
}  // namespace ksim::tools
