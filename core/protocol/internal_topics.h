#pragma once
// Kafka's internal topics (org.apache.kafka.common.internals.Topic): written
// by brokers for their own bookkeeping, never by clients. ksim creates
// __consumer_offsets (the group coordinator's log); the others are named so
// that is_internal_topic answers as Topic.isInternal does.
#include <string_view>

namespace ksim {

inline constexpr std::string_view kConsumerOffsetsTopic = "__consumer_offsets";
inline constexpr std::string_view kTransactionStateTopic = "__transaction_state";
inline constexpr std::string_view kShareGroupStateTopic = "__share_group_state";

// Topic.isInternal: exactly these three names (a user topic may also start
// with "__"; it is not internal).
constexpr bool is_internal_topic(std::string_view topic) {
  return topic == kConsumerOffsetsTopic || topic == kTransactionStateTopic || topic == kShareGroupStateTopic;
}

}  // namespace ksim
