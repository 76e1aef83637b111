#pragma once
// How old sarama ordered the members of each topic for its per-topic
// strategies (balanceStrategySortable in balance_strategy.go): ascending by a
// 32-bit FNV-1a hash of the topic name followed by the member id, fed one
// Unicode code point at a time (h ^= uint32(rune); h *= 16777619, from
// h = 2166136261). Round robin stopped using it in v1.28.0 (Shopify/sarama PR
// #1788 deals all topics at once), range in v1.34.1 (PR #2245 sorts by member
// id), and PR #2285 (v1.35.0) removed it. Under it each topic has its own,
// effectively shuffled, member order, unrelated to the member ids'
// alphabetical order and different from topic to topic.
//
// Go's sort.Sort is not stable, so two members whose hashes collide come out in
// an unspecified order; ksim breaks that tie by member id.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ksim::group {

// FNV-1a over the code points of `topic` then `member_id`; a byte that is not
// valid UTF-8 counts as U+FFFD, as Go's range-over-string yields it.
uint32_t sarama_legacy_member_hash(std::string_view topic, std::string_view member_id);

// `members` sorted by sarama_legacy_member_hash(topic, member), ties by member id.
std::vector<std::string> sarama_legacy_member_order(std::string_view topic, std::vector<std::string> members);

}  // namespace ksim::group
