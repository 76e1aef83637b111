// Finding assignors by the names users write.
#include "tests/group/assignor_test_support.h"

namespace ksim::group {
namespace {

TEST_CASE("assignors are found by their protocol names and by Java class names", "[group][assignor][registry]") {
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {"range", "org.apache.kafka.clients.consumer.RangeAssignor"},
      {"roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor"},
      {"sticky", "org.apache.kafka.clients.consumer.StickyAssignor"},
      {"cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"},
  };
  for (const auto& [name, java_class] : aliases) {
    INFO(name);
    const AssignorLookup by_name = find_assignor(name);
    const AssignorLookup by_class = find_assignor(java_class);
    REQUIRE(by_name.assignor != nullptr);
    CHECK(by_name.assignor == by_class.assignor);
    CHECK(by_name.assignor->name() == name);
    CHECK(by_name.assignor->protocol_name() == name);
    CHECK(java_class_name(*by_name.assignor) == java_class);
  }
  for (const char* name : {"sarama-range", "sarama-roundrobin", "sarama-sticky", "sarama-range-legacy",
                           "sarama-roundrobin-legacy"}) {
    INFO(name);
    const AssignorLookup lookup = find_assignor(name);
    REQUIRE(lookup.assignor != nullptr);
    CHECK(lookup.assignor->name() == name);
    CHECK(java_class_name(*lookup.assignor).empty());
  }
  CHECK(all_assignors().size() == 9);
}

TEST_CASE("a misspelt assignor name gets a suggestion", "[group][assignor][registry]") {
  AssignorLookup r = find_assignor("rnage");
  CHECK(r.assignor == nullptr);
  CHECK_THAT(r.error, Catch::StartsWith("unknown assignor \"rnage\"; did you mean \"range\"?"));
  CHECK_THAT(r.error, Catch::Contains("cooperative-sticky"));

  CHECK_THAT(find_assignor("round-robin").error, Catch::Contains("did you mean \"roundrobin\"?"));
  CHECK_THAT(find_assignor("cooperative_sticky").error, Catch::Contains("did you mean \"cooperative-sticky\"?"));
  CHECK_THAT(find_assignor("Sticky").error, Catch::Contains("did you mean \"sticky\"?"));
  CHECK_THAT(find_assignor("org.apache.kafka.clients.consumer.StickyAsignor").error,
             Catch::Contains("did you mean \"org.apache.kafka.clients.consumer.StickyAssignor\"?"));
  CHECK_THAT(find_assignor("RoundRobinAssignor").error,
             Catch::Contains("did you mean \"org.apache.kafka.clients.consumer.RoundRobinAssignor\"?"));
}

TEST_CASE("a name unlike any assignor gets the list but no guess", "[group][assignor][registry]") {
  const AssignorLookup r = find_assignor("uniform");
  CHECK(r.assignor == nullptr);
  CHECK_THAT(r.error, !Catch::Contains("did you mean"));
  CHECK_THAT(r.error, Catch::Contains("Known assignors: range, roundrobin, sticky, cooperative-sticky, sarama-range"));
  CHECK(find_assignor("").assignor == nullptr);
}

}  // namespace
}  // namespace ksim::group
