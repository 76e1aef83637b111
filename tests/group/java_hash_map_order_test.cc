// java_hash_map_order: Java's String.hashCode and OpenJDK HashMap iteration
// order, which AbstractStickyAssignor's results depend on.
#include "core/group/assignor/java_hash_map_order.h"

#include <catch2/catch.hpp>

namespace ksim::group {
namespace {

TEST_CASE("java_string_hash matches Java's String.hashCode", "[group][assignor][java-hash]") {
  CHECK(java_string_hash("") == 0);
  CHECK(java_string_hash("hello") == 99162322);
  CHECK(java_string_hash("consumer1") == -421004549);  // 3873962747 as a Java int
  CHECK(java_string_hash("Aa") == java_string_hash("BB"));  // the classic collision, 2112
  CHECK(java_string_hash("Aa") == 2112);
  // UTF-16 code units: U+00E9 is one unit, U+1F600 a surrogate pair.
  CHECK(java_string_hash("\xC3\xA9") == 0xE9);
  CHECK(java_string_hash("\xF0\x9F\x98\x80") == 31 * 0xD83D + 0xDE00);
  // A byte that is not UTF-8 reads as U+FFFD.
  CHECK(java_string_hash("\xFF") == 0xFFFD);
}

TEST_CASE("a HashMap of consumer1..consumer3 iterates consumer3, consumer2, consumer1", "[group][assignor][java-hash]") {
  // Their hashes differ by one in the low bits, and spread() keeps that: buckets
  // 12, 11 and 10 of 16.
  CHECK(java_hash_map_order({"consumer1", "consumer2", "consumer3"}) ==
        std::vector<std::string>{"consumer3", "consumer2", "consumer1"});
  CHECK(java_hash_map_order({"consumer3", "consumer1", "consumer2"}) ==
        std::vector<std::string>{"consumer3", "consumer2", "consumer1"});
}

TEST_CASE("keys in one HashMap bucket iterate in insertion order", "[group][assignor][java-hash]") {
  // "Aa" and "BB" have one hash, so one bucket: insertion order decides.
  CHECK(java_hash_map_order({"Aa", "BB"}) == std::vector<std::string>{"Aa", "BB"});
  CHECK(java_hash_map_order({"BB", "Aa"}) == std::vector<std::string>{"BB", "Aa"});
}

TEST_CASE("a HashMap past 12 keys doubles to 32 buckets, which reorders its keys", "[group][assignor][java-hash]") {
  // Of 16 buckets, "c3" takes 0 and "c0" 13; of 32, "c3" takes 16 and "c0"
  // still 13, so c0 moves ahead of c3 when the 13th key arrives.
  std::vector<std::string> keys;
  for (int i = 0; i <= 11; ++i) keys.push_back("c" + std::to_string(i));
  CHECK(java_hash_map_order(keys) == std::vector<std::string>{"c3", "c4", "c5", "c11", "c6", "c10", "c7", "c8",
                                                               "c9", "c0", "c1", "c2"});
  keys.push_back("c12");
  CHECK(java_hash_map_order(keys) == std::vector<std::string>{"c11", "c10", "c12", "c0", "c1", "c2", "c3", "c4",
                                                               "c5", "c6", "c7", "c8", "c9"});
}

}  // namespace
}  // namespace ksim::group
