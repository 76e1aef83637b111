#pragma once
// PartitionChangeBuilder: computes a partition's next state from its current
// one and a target ISR, electing a leader if needed (Kafka's
// PartitionChangeBuilder). Every change the controller makes to a partition
// after creation goes through here: fencing, unfencing, controlled shutdown,
// AlterPartition, preferred election.
//
// build() does, in order:
//   1. KIP-966, if ELR is on: if the target ISR is below min ISR, replicas
//      leaving the ISR join the ELR (minus those that shut down uncleanly);
//      at or above min ISR the ELR is cleared.
//   2. Election. The current leader stays if it is still valid. Otherwise:
//        ONLINE:    the first replica, in assignment order, that is a valid
//                   leader: in the target ISR (or, if that ISR is empty, in
//                   the ELR) and acceptable (registered, unfenced, not in
//                   controlled shutdown; the caller can override for a broker
//                   being fenced or unfenced);
//        PREFERRED: the first replica if valid, else as ONLINE;
//        then, with ELR on and both ISR and ELR empty, the last known leader
//                   if it is acceptable ("balanced recovery", KIP-966);
//        UNCLEAN:   finally the first acceptable replica even outside the ISR;
//                   the ISR becomes just that replica (data may be lost).
//      A leader elected from the ELR makes the ISR just itself.
//      No candidate: leader -1 (offline).
//   3. The ISR becomes the target ISR, except that with ELR off KRaft never
//      empties it: the last member stays (and the partition goes offline).
//   4. With ELR on, the last known leader is remembered when the ISR empties
//      and forgotten once the partition has a leader again.
//   5. leader_epoch + 1 iff the leader changed; partition_epoch + 1 iff
//      anything changed. (Since metadata.version 3.6 an ISR shrink alone does
//      not bump the leader epoch; KAFKA-15021.) No change at all: nullopt.
//
// Deviation, deliberate: trunk (Oct 2024) elects the last known leader even
// when it is fenced (canElectLastKnownLeader logs instead of returning false);
// ksim requires it to be acceptable, so a leader is never fenced.
#include <functional>
#include <optional>
#include <vector>

#include "core/metadata/metadata_records.h"

namespace ksim {

enum class Election : uint8_t {
  preferred,  // the preferred replica if it is in the ISR and acceptable
  online,     // any ISR member (ELR member when the ISR is empty)
  unclean,    // ONLINE first, then any acceptable replica
};

struct PartitionChange {
  PartitionRecord record;  // the complete next state, epochs bumped
  bool leader_changed = false;
  bool unclean = false;        // elected outside the ISR/ELR (or the last known leader)
  bool elected_from_elr = false;
};

class PartitionChangeBuilder {
 public:
  using LeaderAcceptor = std::function<bool(int32_t broker)>;

  PartitionChangeBuilder(const PartitionRecord& partition, LeaderAcceptor is_acceptable_leader, int32_t min_isr);

  PartitionChangeBuilder& set_target_isr(std::vector<int32_t> isr);
  PartitionChangeBuilder& set_election(Election e);
  PartitionChangeBuilder& set_elr_enabled(bool enabled);
  PartitionChangeBuilder& set_unclean_shutdown_replica(int32_t broker);

  std::optional<PartitionChange> build() const;

 private:
  struct Elected {
    int32_t node;
    bool unclean;
  };
  Elected elect(const std::vector<int32_t>& target_isr, const std::vector<int32_t>& target_elr) const;
  bool is_valid_new_leader(int32_t replica, const std::vector<int32_t>& target_isr,
                           const std::vector<int32_t>& target_elr) const;
  bool can_elect_last_known_leader(const std::vector<int32_t>& target_isr, const std::vector<int32_t>& target_elr) const;

  const PartitionRecord& partition_;
  LeaderAcceptor is_acceptable_leader_;
  int32_t min_isr_;
  std::vector<int32_t> target_isr_;
  Election election_ = Election::online;
  bool elr_enabled_ = false;
  int32_t unclean_shutdown_replica_ = -1;
};

}  // namespace ksim
