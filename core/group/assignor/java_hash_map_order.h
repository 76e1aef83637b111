#pragma once
// The order in which Java's java.util.HashMap<String, V> iterates its keys, for
// the places where a Kafka assignor's result depends on it.
//
// AbstractStickyAssignor keeps each member's owned partitions in a HashMap keyed
// by member id (consumerToOwnedPartitions, filled while iterating the group's
// subscriptions, itself a HashMap) and walks it in ConstrainedAssignmentBuilder
// .assignOwnedPartitions: when more members own the maximum quota than may keep
// it, the ones visited first keep it. Java leaves HashMap order unspecified, but
// OpenJDK's is a pure function of the keys and their insertion order, and
// Kafka's own tests assert results that follow from it
// (AbstractStickyAssignorTest.testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers).
//
// OpenJDK's HashMap (java.util.HashMap.putVal / resize / treeifyBin), as used
// here, `new HashMap<>()` then put() of distinct keys:
//   1. a key's bucket is spread(h) & (capacity - 1), where h is
//      String.hashCode() (s[0]*31^(n-1) + ... over UTF-16 code units, in 32-bit
//      arithmetic) and spread(h) = h ^ (h >>> 16);
//   2. the table starts at 16 buckets and doubles when the size passes 3/4 of
//      the capacity; a bucket that reaches 9 entries also doubles a table of
//      fewer than 64 buckets (treeifyBin);
//   3. a bucket is a list in insertion order; a resize splits each bucket into
//      two, keeping that order;
//   4. iteration walks the buckets in index order.
// So the order is: by bucket at the final capacity, then by insertion order.
// Not modelled: a bucket of 9 or more keys in a table of 64 or more buckets,
// which Java turns into a red-black tree whose list order can differ from
// insertion order. It takes 9 member ids in one bucket of a group of 49 or more
// (crafted ids such as "AaAa", "BBBB" with equal hashes, never generated ones);
// ksim keeps insertion order there.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksim::group {

// Java's String.hashCode of the UTF-8 text `s` (decoded to UTF-16 code units;
// a byte that is not valid UTF-8 counts as U+FFFD, as Java's decoder reads it).
int32_t java_string_hash(std::string_view s);

// `keys`, distinct and in insertion order, in the order a HashMap<String, V>
// filled with them iterates.
std::vector<std::string> java_hash_map_order(const std::vector<std::string>& keys);

}  // namespace ksim::group
