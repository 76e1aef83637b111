#pragma once
// sarama's BalanceStrategyRange as of sarama v1.34.1 and later (IBM/sarama
// balance_strategy.go, NewBalanceStrategyRange), registered as "sarama-range".
// It advertises the protocol name "range", like Java's RangeAssignor.
//
// The split is Java's (see range_assignor.h), but the members of each topic are
// sorted by member id alone: sarama ignores group.instance.id. So static
// membership does not keep a static member's ranges across restarts, as it does
// in Java, where static members sort first by instance id: after a rolling
// bounce the coordinator hands out new member ids and the ranges follow the new
// member-id order.
//
// sarama before v1.34.1 split differently and ordered members by a hash: see
// sarama_legacy_range_assignor.h.
#include "core/group/assignor/assignor.h"

namespace ksim::group {

class SaramaRangeAssignor final : public Assignor {
 public:
  std::string_view name() const override { return "sarama-range"; }
  std::string_view protocol_name() const override { return "range"; }
  RebalanceProtocol protocol() const override { return RebalanceProtocol::kEager; }
  AssignmentResult assign(const GroupSubscription& group) const override;
};

}  // namespace ksim::group
