#pragma once
// sarama's BalanceStrategyRoundRobin before v1.28.0 (Shopify/sarama PR #1788
// replaced it with the all-topics version), e.g. sarama v1.26.1, registered as
// "sarama-roundrobin-legacy". Protocol name "roundrobin".
//
// Each topic is dealt on its own: its subscribers are ordered by the FNV-1a hash
// of topic + member id (sarama_legacy_member_order.h) and partition i goes to
// subscriber i % M. The cursor restarts at every topic, so the members first in
// each topic's order collect that topic's remainder. Seed note 001 shows the
// effect with the members in the same order for every topic: topics of 1, 2 and
// 3 partitions over three members subscribed to all give 3, 2, 1 partitions
// where Java's RoundRobinAssignor gives 2, 2, 2. With the per-topic hash order
// the remainders land on whichever members the hashes favour, so the balance
// depends on the names of the topics and members.
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class SaramaLegacyRoundRobinAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "sarama-roundrobin-legacy"; }
  std::string_view protocol_name() const override { return "roundrobin"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

}  // namespace ksim::group
