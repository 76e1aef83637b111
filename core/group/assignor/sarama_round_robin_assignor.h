#pragma once
// sarama's BalanceStrategyRoundRobin as of sarama v1.28.0 and later (IBM/sarama
// balance_strategy.go, roundRobinBalancer), registered as "sarama-roundrobin".
// It advertises the protocol name "roundrobin", like Java's RoundRobinAssignor.
//
// Like Java it deals all partitions of all subscribed topics with one cursor,
// skipping members not subscribed to a partition's topic. It differs in the two
// orders:
//   - partitions are sorted as the *strings* "topic-partition", so "t-10" and
//     "t-11" come before "t-2", and a topic named like "t-1" lands inside topic
//     "t" ("t-1" < "t-1-0" < "t-10"); Java sorts by topic, then partition number;
//   - members are sorted by member id alone; Java puts static members first,
//     ordered by group.instance.id.
// With fewer than 10 partitions per topic, no static members and no topic name
// that extends another with "-", the two agree.
//
// sarama before v1.28.0 dealt each topic separately: see
// sarama_legacy_round_robin_assignor.h.
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class SaramaRoundRobinAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "sarama-roundrobin"; }
  std::string_view protocol_name() const override { return "roundrobin"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

}  // namespace ksim::group
