// TopicName (core/protocol/topic_name.h): a shared, immutable topic name that
// must behave exactly as the std::string it replaced, whatever its origin.
#include <catch2/catch.hpp>
#include <map>
#include <rapidcheck/catch.h>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/protocol/topic_name.h"
#include "core/protocol/topic_partition.h"

namespace ksim {
namespace {

int sign(std::strong_ordering o) { return o < 0 ? -1 : o > 0 ? 1 : 0; }
int sign(int c) { return c < 0 ? -1 : c > 0 ? 1 : 0; }

TEST_CASE("names made separately from the same text are equal and neither sorts before the other",
          "[protocol][topic_name]") {
  const std::string text = "__consumer_offsets";
  const TopicName from_string(text);
  const TopicName from_literal("__consumer_offsets");
  const TopicName from_view(std::string_view("x__consumer_offsets").substr(1));
  CHECK_FALSE(from_string.shares_with(from_literal));
  CHECK(from_string == from_literal);
  CHECK(from_literal == from_view);
  CHECK_FALSE(from_string < from_literal);
  CHECK_FALSE(from_literal < from_string);
  CHECK(sign(from_string <=> from_view) == 0);
  // Short names (held whole in the prefix) too.
  CHECK(TopicName("orders") == TopicName(std::string("orders")));
  CHECK(sign(TopicName("orders") <=> TopicName(std::string("orders"))) == 0);
}

TEST_CASE("a copy shares its original's text instead of copying it", "[protocol][topic_name]") {
  const TopicName name("__consumer_offsets");
  const TopicName copy = name;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(copy.shares_with(name));
  CHECK(&copy.str() == &name.str());
  TopicName assigned;
  assigned = copy;
  CHECK(&assigned.str() == &name.str());
  const TopicPartition tp{name, PartitionId(7)};
  const TopicPartition tp_copy = tp;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(tp_copy.topic.shares_with(name));
  CHECK(tp_copy == TopicPartition{TopicName("__consumer_offsets"), PartitionId(7)});
}

TEST_CASE("a moved-from name and a default name are the empty name", "[protocol][topic_name]") {
  TopicName name("orders");
  TopicName moved = std::move(name);
  CHECK(moved == "orders");
  CHECK(name.empty());  // NOLINT(bugprone-use-after-move): specified as empty
  CHECK(name == TopicName());
  CHECK(TopicName() == "");
  CHECK(TopicName("") == TopicName());
  CHECK(TopicName().str().empty());
  CHECK(TopicName() < TopicName("a"));
}

TEST_CASE("names order exactly as std::string orders the same texts", "[protocol][topic_name]") {
  // Edge cases of the 8-byte prefix: a prefix of another name, embedded zero
  // bytes (the padding value), bytes above 0x7f, a difference past byte 8.
  const std::vector<std::string> texts = {"",
                                          "a",
                                          "ab",
                                          std::string("ab\0", 3),
                                          std::string("ab\0c", 4),
                                          "orders",
                                          "orders-eu",
                                          "ordersxy",
                                          "ordersxyz",
                                          "__consumer_offsets",
                                          "__consumer_offsetz",
                                          "__consumer_offsets_",
                                          "__consumer_offset",
                                          "__consume",
                                          "__consumer",
                                          "\xff",
                                          "a\xff",
                                          std::string("12345678\0", 9),
                                          "12345678",
                                          "123456789",
                                          "12345679"};
  for (const auto& a : texts) {
    for (const auto& b : texts) {
      INFO("a = \"" << a << "\" (" << a.size() << "), b = \"" << b << "\" (" << b.size() << ")");
      const TopicName na(a), nb(b);
      CHECK(sign(na <=> nb) == sign(a.compare(b)));
      CHECK((na == nb) == (a == b));
      CHECK(sign(na <=> b) == sign(a.compare(b)));
      CHECK((na == b) == (a == b));
      CHECK((na == std::string_view(b)) == (a == b));
    }
  }
}

TEST_CASE("ordering and equality agree with std::string for any texts", "[protocol][topic_name]") {
  rc::prop("TopicName compares as std::string", [] {
    // Few distinct characters, so that long common prefixes are frequent.
    const auto gen_text = rc::gen::container<std::string>(rc::gen::element('a', 'b', '\0', '\xff'));
    const std::string a = *gen_text;
    const std::string b = *rc::gen::oneOf(rc::gen::just(a), gen_text,
                                          rc::gen::map(gen_text, [a](std::string s) { return a + s; }));
    const TopicName na(a), nb(b);
    RC_ASSERT(sign(na <=> nb) == sign(a.compare(b)));
    RC_ASSERT((na == nb) == (a == b));
    RC_ASSERT(na.str() == a);
    RC_ASSERT(na.size() == a.size());
  });
}

TEST_CASE("a map keyed by TopicPartition finds a key made from a different copy of the text",
          "[protocol][topic_name]") {
  std::map<TopicPartition, int> by_partition;
  const TopicName offsets("__consumer_offsets");
  for (int p = 0; p < 50; ++p) by_partition[TopicPartition{offsets, PartitionId(p)}] = p;
  for (int p = 0; p < 6; ++p) by_partition[TopicPartition{TopicName("orders"), PartitionId(p)}] = 100 + p;
  for (int p = 0; p < 50; ++p) {
    auto it = by_partition.find(TopicPartition{std::string("__consumer_offsets"), PartitionId(p)});
    REQUIRE(it != by_partition.end());
    CHECK(it->second == p);
  }
  CHECK(by_partition.find(TopicPartition{"orders", PartitionId(5)})->second == 105);
  CHECK(by_partition.find(TopicPartition{"orders", PartitionId(6)}) == by_partition.end());
  CHECK(by_partition.find(TopicPartition{"__consumer_offset", PartitionId(0)}) == by_partition.end());
  // Iteration is by (topic text, partition): "__consumer_offsets" sorts before "orders".
  CHECK(by_partition.begin()->first.str() == "__consumer_offsets-0");
  CHECK(by_partition.rbegin()->first.str() == "orders-5");
  std::set<TopicName> names{TopicName("b"), TopicName("a"), TopicName(std::string("a"))};
  CHECK(names.size() == 2);
  CHECK(*names.begin() == "a");
}

TEST_CASE("a name reads like the std::string it replaced", "[protocol][topic_name]") {
  const TopicName name("orders");
  const std::string& as_string = name;
  CHECK(as_string == "orders");
  CHECK(name.view() == "orders");
  CHECK(name + "-3" == "orders-3");
  CHECK("topic " + name == "topic orders");
  CHECK(std::string("x") + name == "xorders");
  std::ostringstream out;
  out << name << '|' << TopicName();
  CHECK(out.str() == "orders|");
  CHECK(std::hash<TopicName>{}(name) == std::hash<std::string_view>{}("orders"));
  CHECK(TopicPartition{name, PartitionId(3)}.str() == "orders-3");
}

}  // namespace
}  // namespace ksim
