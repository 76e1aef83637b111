#pragma once
// sarama's BalanceStrategyRange before v1.34.1 (Shopify/sarama PR #2245 made it
// follow Java), e.g. sarama v1.26.1, registered as "sarama-range-legacy".
// Protocol name "range".
//
// Per topic:
//   1. order the topic's subscribers by the FNV-1a hash of topic + member id
//      (sarama_legacy_member_order.h), not by member id;
//   2. with step = P / M as a float64, member i gets partitions
//      [floor(i*step + 0.5), floor((i+1)*step + 0.5)).
// The rounding puts the extra partitions in the middle rather than first: 12
// partitions over 5 members give 2, 3, 2, 3, 2 where Java gives 3, 3, 2, 2, 2
// (the worked example of seed note 001). And since the member order is a
// per-topic hash, which member gets which range changes from topic to topic,
// so co-partitioned topics are not co-assigned as they are in Java.
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class SaramaLegacyRangeAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "sarama-range-legacy"; }
  std::string_view protocol_name() const override { return "range"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

}  // namespace ksim::group
